import Negotiator from 'negotiator';
import {
  DocumentNode,
  GraphQLError,
  GraphQLInputType,
  GraphQLFormattedError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
  ValidationRule,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';
import { Logger } from '../observability/logger';
import { TrustedDocumentManifest } from '../trusted-documents/manifest';

/** One document of the manifest, parsed, validated and compiled once at start-up. */
export interface TrustedDocument {
  id: string;
  /** The document text. */
  text: string;
  operationName: string;
  type: OperationTypeNode;
  /** The first root field: the label of the operation metrics, as `metricsPlugin` reads it. */
  rootField: string;
  operation: OperationDefinitionNode;
  compiled: CompiledQuery;
  /**
   * The variable names when every variable is a `String` or `ID` without a default: a string
   * value for each is then its own coercion, in graphql-js as in graphql-jit.
   */
  stringVariables: readonly string[] | undefined;
}

/**
 * The trusted documents (the console's and the typed client's operations), compiled with
 * graphql-jit. A request names one by id (Apollo's `extensions.persistedQuery.sha256Hash`, or
 * `documentId` as GraphQL Code Generator's persisted documents send it, bare or `sha256:`-prefixed)
 * or by sending its exact text.
 */
export class TrustedDocuments {
  private readonly byId = new Map<string, TrustedDocument>();
  private readonly byText = new Map<string, TrustedDocument>();

  constructor(
    manifest: TrustedDocumentManifest,
    private readonly schema: GraphQLSchema,
    validationRules: readonly ValidationRule[],
    logger: Logger,
  ) {
    for (const entry of manifest.operations) {
      const document = parse(entry.body);
      // What Apollo would refuse stays Apollo's to refuse, with its own errors.
      const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
      const compiled = errors.length ? undefined : compileQuery(schema, document, entry.name);
      if (!compiled || !isCompiledQuery(compiled)) {
        logger.warn({ operationName: entry.name, id: entry.id }, 'trusted document not compiled: it is served by Apollo');
        continue;
      }
      const operation = operationOf(document);
      const trusted: TrustedDocument = {
        id: entry.id,
        text: entry.body,
        operationName: entry.name,
        type: operation.operation,
        rootField: rootFieldOf(operation),
        operation,
        compiled,
        stringVariables: stringVariablesOf(operation),
      };
      this.byId.set(entry.id, trusted);
      this.byText.set(entry.body, trusted);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The trusted document a single (non-batched) request body names, if any. */
  find(body: unknown): TrustedDocument | undefined {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { query, documentId, extensions } = body as { query?: unknown; documentId?: unknown; extensions?: unknown };
    const hash = persistedQueryHash(extensions);
    if (typeof query === 'string') {
      const trusted = this.byText.get(query);
      // Apollo refuses a text whose hash is not the one sent with it: leave that to Apollo.
      return trusted && (hash === undefined || hash === trusted.id) ? trusted : undefined;
    }
    if (query !== undefined && query !== null) return undefined;
    if (typeof documentId === 'string') return this.byId.get(documentId.replace(/^sha256:/, ''));
    return hash === undefined ? undefined : this.byId.get(hash);
  }

  /**
   * Whether every operation of a request is a trusted document (by text or id): a POST body,
   * single or batched, or a GET request's `query` / `extensions` parameters.
   */
  trusts(body: unknown, search: URLSearchParams | undefined): boolean {
    if (search) {
      let extensions: unknown;
      try {
        extensions = JSON.parse(search.get('extensions') ?? 'null');
      } catch {
        return false;
      }
      return this.find({ query: search.get('query') ?? undefined, extensions }) !== undefined;
    }
    return Array.isArray(body) ? body.length > 0 && body.every((item) => this.find(item)) : this.find(body) !== undefined;
  }

  /**
   * The variables to run the compiled query with, or `undefined` where Apollo must answer: an
   * operation name that is not the document's, `extensions` or `variables` that are not objects,
   * or variables graphql-js refuses (Apollo's 400 and its wording stay the only ones).
   *
   * The variables are coerced by graphql-js, as inside Apollo, and handed to the compiled query
   * in input form: graphql-jit's own coercion does not apply input-object field defaults
   * (`LoginInput.domain`), so it must see them spelled out.
   */
  variablesFor(trusted: TrustedDocument, body: Record<string, unknown>): Record<string, unknown> | undefined {
    const { operationName, variables, extensions } = body;
    if (operationName !== undefined && operationName !== null && operationName !== trusted.operationName) return undefined;
    if (extensions !== undefined && extensions !== null && !isPlainObject(extensions)) return undefined;
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) return undefined;
    const definitions = trusted.operation.variableDefinitions ?? [];
    if (definitions.length === 0) return {};
    const strings =
      trusted.stringVariables && onlyStrings(variables as Record<string, unknown> | null | undefined, trusted.stringVariables);
    if (strings) return strings;
    const coerced = getVariableValues(this.schema, definitions, (variables ?? {}) as Record<string, unknown>, {
      maxErrors: 50,
    });
    if (coerced.errors) return undefined;
    const input: Record<string, unknown> = {};
    for (const definition of definitions) {
      const name = definition.variable.name.value;
      if (!(name in coerced.coerced)) continue;
      input[name] = inputFormOf(coerced.coerced[name], typeFromAST(this.schema, definition.type) as GraphQLInputType);
    }
    return input;
  }
}

function stringVariablesOf(operation: OperationDefinitionNode): readonly string[] | undefined {
  const definitions = operation.variableDefinitions ?? [];
  const simple = definitions.every((definition) => {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    return !definition.defaultValue && type.kind === Kind.NAMED_TYPE && ['String', 'ID'].includes(type.name.value);
  });
  return simple ? definitions.map((definition) => definition.variable.name.value) : undefined;
}

/** The named variables when each is a string (what coercion would give), else `undefined`. */
function onlyStrings(
  variables: Record<string, unknown> | null | undefined,
  names: readonly string[],
): Record<string, unknown> | undefined {
  if (!variables) return undefined;
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const value = variables[name];
    if (typeof value !== 'string') return undefined;
    values[name] = value;
  }
  return values;
}

/** A coerced input value back in the form a client sends: enums by name, defaults now explicit. */
function inputFormOf(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value;
  const named = isNonNullType(type) ? type.ofType : type;
  if (isListType(named)) {
    const itemType = named.ofType;
    return Array.isArray(value) ? value.map((item) => inputFormOf(item, itemType)) : inputFormOf(value, itemType);
  }
  if (isEnumType(named)) return named.serialize(value);
  if (isInputObjectType(named)) {
    const fields = named.getFields();
    const result: Record<string, unknown> = {};
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      result[name] = fields[name] ? inputFormOf(fieldValue, fields[name].type) : fieldValue;
    }
    return result;
  }
  return value;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `extensions.persistedQuery.sha256Hash` of Apollo's persisted-query protocol (version 1). */
function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null | undefined)
    ?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
}

function rootFieldOf(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

const APPLICATION_JSON = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
/** Apollo's candidates, in its order (`MEDIA_TYPES`). */
const ACCEPTABLE = [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, 'application/json; callbackSpec=1.0; charset=utf-8'];
const contentTypes = new Map<string, string | null>();

/**
 * The content type Apollo answers a single result with for this `Accept` header (its
 * `chooseContentTypeForSingleResultResponse`, with the same negotiator), memoised per header
 * value; `null` where Apollo would refuse with 406.
 */
export function contentTypeFor(accept: string | undefined): string | null {
  if (!accept) return APPLICATION_JSON;
  let type = contentTypes.get(accept);
  if (type === undefined) {
    const preferred = new Negotiator({ headers: { accept } }).mediaType(ACCEPTABLE);
    // The subscription-callback type is Apollo's to answer.
    type = preferred === APPLICATION_JSON || preferred === GRAPHQL_RESPONSE_JSON ? preferred : null;
    // Clients send a handful of distinct values; a prober must not grow the map without end.
    if (contentTypes.size < 100) contentTypes.set(accept, type);
  }
  return type;
}

/** One error as Apollo's `normalizeAndFormatErrors` hands it to `formatError`. */
export function enrichError(error: GraphQLError): GraphQLFormattedError {
  const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
  delete extensions.http;
  return { ...error.toJSON(), extensions };
}
