import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, OperationTypeNode, parse } from 'graphql';

/**
 * The trusted documents: every operation the console and the typed client can send, known at build
 * time. The file is Apollo's persisted query manifest format (what `@apollo/generate-persisted-query-manifest`
 * writes and Apollo's tooling reads), each id the SHA-256 of the exact document text the client sends.
 */
export interface TrustedDocumentManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: TrustedOperation[];
}

export interface TrustedOperation {
  /** Lower-case hex SHA-256 of `body`. */
  id: string;
  name: string;
  type: OperationTypeNode;
  body: string;
}

export function documentId(body: string): string {
  return hash('sha256', body, 'hex');
}

/** A manifest of the given document texts, each holding exactly one operation (and its fragments). */
export function manifestOf(bodies: Iterable<string>): TrustedDocumentManifest {
  const operations: TrustedOperation[] = [];
  for (const body of bodies) {
    const definitions = parse(body).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (definitions.length !== 1 || !definitions[0].name) {
      throw new Error(`A trusted document must hold exactly one named operation:\n${body}`);
    }
    operations.push({ id: documentId(body), name: definitions[0].name.value, type: definitions[0].operation, body });
  }
  operations.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** Reads and checks a manifest file: the ids must be the bodies' hashes. */
export function readManifest(path: string): TrustedDocumentManifest {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<TrustedDocumentManifest>;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`${path} is not an apollo-persisted-query-manifest version 1`);
  }
  for (const operation of manifest.operations) {
    if (typeof operation?.body !== 'string' || operation.id !== documentId(operation.body)) {
      throw new Error(`${path}: operation ${String(operation?.name)} has an id that is not the SHA-256 of its body`);
    }
  }
  return manifest as TrustedDocumentManifest;
}

/** The document texts among a generated client module's exports (`…Document`, not fragments). */
export function clientDocuments(generated: Record<string, unknown>): string[] {
  return Object.entries(generated)
    .filter(([name, value]) => name.endsWith('Document') && value instanceof String)
    .map(([, value]) => String(value));
}
