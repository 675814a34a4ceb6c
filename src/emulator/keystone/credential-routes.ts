/** `/credentials`: where Keystone keeps EC2-style AK/SK pairs (and other secrets). */

import { createHash } from 'node:crypto';
import { CredentialRecord, newKeystoneId } from './identity-store';
import { KeystoneCrash, keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse, noContent } from './keystone-response';
import { enforce, isAdmin } from './policy';
import { parseJsonLikeKeystone } from './request-body';
import { RequestContext, requireCaller } from './request-context';
import { pythonJsonDumps } from './python-repr';
import { renderCredential } from './resource-bodies';
import { assertMatchesSchema, JsonSchema } from './schema-check';

/** keystone/credential/schema.py `credential_create` of Keystone 22, keys in source order. */
const CREDENTIAL_CREATE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    blob: { type: 'string' },
    project_id: { type: 'string' },
    type: { type: 'string' },
    user_id: { type: 'string' },
  },
  additionalProperties: true,
  oneOf: [
    {
      title: 'ec2 credential requires project_id',
      required: ['blob', 'type', 'user_id', 'project_id'],
      properties: { type: { enum: ['ec2'] } },
    },
    {
      title: 'non-ec2 credential does not require project_id',
      required: ['blob', 'type', 'user_id'],
      properties: { type: { not: { enum: ['ec2'] } } },
    },
  ],
};

/** keystone/credential/schema.py `credential_update`: only the blob may change. */
const CREDENTIAL_UPDATE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { blob: { type: 'string' } },
  additionalProperties: false,
  required: ['blob'],
};

/** Widths of the `credential` table's columns, which the database enforces. */
const COLUMN_LENGTHS = { user_id: 64, project_id: 64, type: 255 } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * An ec2 credential's id is the SHA-256 of its access key, so each access key exists once;
 * any other type gets a random id.
 */
function credentialId(type: string, blob: string): string {
  if (type.toLowerCase() !== 'ec2') return newKeystoneId();
  let decoded: unknown;
  try {
    decoded = parseJsonLikeKeystone(blob);
  } catch (failure) {
    if (failure instanceof KeystoneCrash) throw failure;
    throw keystoneErrors.badRequest('Invalid blob in credential');
  }
  if (!isRecord(decoded) || Object.keys(decoded).length === 0) {
    throw keystoneErrors.missingAttribute('blob', 'credential');
  }
  if (decoded.access === undefined || decoded.access === null) {
    throw keystoneErrors.missingAttribute('access', 'credential');
  }
  if (typeof decoded.access !== 'string') {
    // Keystone calls `.encode()` on it and crashes.
    throw new KeystoneCrash('ec2 access key is not a string');
  }
  return createHash('sha256').update(decoded.access, 'utf8').digest('hex');
}

export function createCredential(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const body = context.body ?? {};
  const requested = Object.prototype.hasOwnProperty.call(body, 'credential') ? body.credential : {};
  const ownerId = isRecord(requested) ? requested.user_id : undefined;
  enforce(caller, 'identity:create_credential', ownerId === caller.token.userId);
  assertMatchesSchema(CREDENTIAL_CREATE_SCHEMA, requested);
  const fields = requested as { user_id: string; project_id?: string; type: string; blob: string };

  const credential: CredentialRecord = {
    id: credentialId(fields.type, fields.blob),
    userId: fields.user_id,
    projectId: fields.project_id ?? null,
    type: fields.type,
    blob: fields.blob,
  };
  for (const [column, length] of Object.entries(COLUMN_LENGTHS)) {
    const value = fields[column as keyof typeof COLUMN_LENGTHS];
    if (value !== undefined && [...value].length > length) throw keystoneErrors.stringTooLong(value, column, length);
  }
  // Keystone 22 checks neither the user nor the project: an admin may store a credential for
  // ids that do not exist.
  if (!context.store.addCredential(credential)) {
    throw keystoneErrors.conflict('credential', `Duplicate entry found with ID ${credential.id}`);
  }
  return json(201, { credential: renderCredential(credential, context.identityUrl) });
}

export function listCredentials(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const filter = {
    userId: context.query.get('user_id') ?? undefined,
    type: context.query.get('type') ?? undefined,
  };
  // Someone else's credentials are filtered out, not refused: a 200 with an empty list.
  const visible = context.store
    .listCredentials(filter)
    .filter((credential) => isAdmin(caller) || credential.userId === caller.token.userId);
  return json(200, {
    credentials: visible.map((credential) => renderCredential(credential, context.identityUrl)),
    links: { self: context.requestUrl, previous: null, next: null },
  });
}

/**
 * Policy is checked against the stored credential when there is one; a missing credential
 * therefore answers 404 to an admin but 403 to anybody else.
 */
function requireCredential(
  context: RequestContext,
  action: 'identity:get_credential' | 'identity:update_credential' | 'identity:delete_credential',
) {
  const caller = requireCaller(context);
  const id = context.params.credentialId;
  const credential = context.store.getCredential(id);
  enforce(caller, action, credential !== undefined && credential.userId === caller.token.userId);
  if (!credential) throw keystoneErrors.notFound('credential', id);
  return credential;
}

export function getCredential(context: RequestContext): KeystoneResponse {
  const credential = requireCredential(context, 'identity:get_credential');
  return json(200, { credential: renderCredential(credential, context.identityUrl) });
}

export function deleteCredential(context: RequestContext): KeystoneResponse {
  const credential = requireCredential(context, 'identity:delete_credential');
  context.store.deleteCredential(credential.id);
  return noContent();
}

/**
 * `PATCH /credentials/{id}`: the blob only (the schema refuses `type`, `user_id`...). An ec2
 * blob is checked as on create; Keystone does not compare the new access key with the id, so
 * the gateway never changes it. The answer echoes the blob as sent; a later read shows Python's
 * re-encoding of it.
 */
export function updateCredential(context: RequestContext): KeystoneResponse {
  const credential = requireCredential(context, 'identity:update_credential');
  const body = context.body ?? {};
  const requested = Object.prototype.hasOwnProperty.call(body, 'credential') ? body.credential : {};
  assertMatchesSchema(CREDENTIAL_UPDATE_SCHEMA, requested);
  const { blob } = requested as { blob: string };
  let stored = blob;
  if (credential.type.toLowerCase() === 'ec2') {
    credentialId(credential.type, blob);
    stored = pythonJsonDumps(parseJsonLikeKeystone(blob));
  }
  context.store.updateCredentialBlob(credential.id, stored);
  return json(200, { credential: renderCredential({ ...credential, blob }, context.identityUrl) });
}
