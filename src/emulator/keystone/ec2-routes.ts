/**
 * Keystone's EC2 extension, `/users/{user_id}/credentials/OS-EC2[/{access}]`, used by
 * `openstack ec2 credentials create|list|show|delete` and Horizon. It is a view of the very
 * `ec2` credentials of `/credentials`: a pair made here is an `ec2` credential with blob
 * `{"access","secret","trust_id"}` and id sha256(access), and every `ec2` credential, however
 * it was made, is listed here.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { CredentialRecord } from './identity-store';
import { KeystoneCrash, keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse, noContent } from './keystone-response';
import { enforce, isSystemReader } from './policy';
import { pythonRepr } from './python-repr';
import { parseJsonLikeKeystone } from './request-body';
import { RequestContext, requireCaller } from './request-context';

const EC2 = 'ec2';

/** `keystone.common.utils.hash_access_key`. */
function hashAccessKey(access: string): string {
  return createHash('sha256').update(access, 'utf8').digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `_convert_v3_to_ec2_credential` with the self link added by the resource: keys missing from
 * the blob are null, and the link is built from the raw access key, without any escaping.
 */
function renderEc2Credential(userId: string, tenantId: unknown, blob: string, identityUrl: string) {
  const decoded = parseJsonLikeKeystone(blob);
  // Python's `.get` on something that is not a dict raises: an unhandled 500.
  if (!isRecord(decoded)) throw new KeystoneCrash('ec2 blob is not a JSON object');
  const field = (name: string) => (decoded[name] === undefined ? null : decoded[name]);
  const access = field('access');
  // Python's str() of whatever the blob held: an object really does become its repr-like text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const linkAccess = access === null ? 'None' : String(access);
  return {
    user_id: userId,
    tenant_id: tenantId,
    access,
    secret: field('secret'),
    trust_id: field('trust_id'),
    links: { self: `${identityUrl}/users/${userId}/credentials/OS-EC2/${linkAccess}` },
  };
}

function renderStored(credential: CredentialRecord, identityUrl: string) {
  return renderEc2Credential(credential.userId, credential.projectId, credential.blob, identityUrl);
}

/** A project id, or the domain's (a domain is a project too). */
function projectExists(context: RequestContext, id: string): boolean {
  return context.store.getProject(id) !== undefined || context.store.getDomain(id) !== undefined;
}

/**
 * Resolves `tenant_id` as `resource_api.get_project(tenant_id)` on PostgreSQL does: absent or
 * null is the project `None`; a one-string list is read as that id (SQLAlchemy takes it for a
 * primary key tuple) and then stored as the array literal `{id}`, `[null]` is never found; any
 * other non-string crashes.
 */
function resolveTenant(context: RequestContext, tenantId: unknown): { stored: string; echoed: unknown } {
  if (tenantId === undefined || tenantId === null) throw keystoneErrors.notFound('project', 'None');
  if (typeof tenantId === 'string') {
    if (!projectExists(context, tenantId)) throw keystoneErrors.notFound('project', tenantId);
    return { stored: tenantId, echoed: tenantId };
  }
  if (Array.isArray(tenantId) && tenantId.length === 1 && (typeof tenantId[0] === 'string' || tenantId[0] === null)) {
    const id = tenantId[0] as string | null;
    if (id === null || !projectExists(context, id)) throw keystoneErrors.notFound('project', pythonRepr(tenantId));
    return { stored: `{${id}}`, echoed: [id] };
  }
  throw new KeystoneCrash('tenant_id of a type the database cannot compare');
}

/** The user in the path may create for itself; only an admin for anyone else. Roles do not matter. */
export function createEc2Credential(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const userId = context.params.userId;
  enforce(caller, 'identity:ec2_create_credential', userId === caller.token.userId);
  if (!context.store.getUser(userId)) throw keystoneErrors.notFound('user', userId);
  const tenant = resolveTenant(context, context.body?.tenant_id);

  const access = randomUUID().replace(/-/g, '');
  const secret = randomUUID().replace(/-/g, '');
  // Python's `json.dumps`, separators included: the blob is stored as this very string.
  const blob = `{"access": "${access}", "secret": "${secret}", "trust_id": null}`;
  const credential: CredentialRecord = {
    id: hashAccessKey(access),
    userId,
    projectId: tenant.stored,
    type: EC2,
    blob,
  };
  if (!context.store.addCredential(credential)) {
    throw keystoneErrors.conflict('credential', `Duplicate entry found with ID ${credential.id}`);
  }
  return json(201, { credential: renderEc2Credential(userId, tenant.echoed, blob, context.identityUrl) });
}

/** Every `ec2` credential of the user in the path: itself or an admin only (403, not an empty list). */
export function listEc2Credentials(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const userId = context.params.userId;
  enforce(caller, 'identity:ec2_list_credentials', userId === caller.token.userId);
  if (!context.store.getUser(userId)) throw keystoneErrors.notFound('user', userId);
  const credentials = context.store.listCredentials({ userId, type: EC2 });
  return json(200, {
    credentials: credentials.map((credential) => renderStored(credential, context.identityUrl)),
    links: { self: context.requestUrl, previous: null, next: null },
  });
}

/**
 * Keystone's order: the credential is looked up first (404, whoever asks), then policy on its
 * owner (the user in the path is not compared with it), then the user in the path must exist,
 * then the credential must be of type `ec2` exactly (else a bare 401).
 */
function requireEc2Credential(
  context: RequestContext,
  action: 'identity:ec2_get_credential' | 'identity:ec2_delete_credential',
): CredentialRecord {
  const caller = requireCaller(context);
  const id = hashAccessKey(context.params.accessKey);
  const credential = context.store.getCredential(id);
  if (!credential) throw keystoneErrors.notFound('credential', id);
  const owner = credential.userId === caller.token.userId;
  enforce(caller, action, owner || (action === 'identity:ec2_get_credential' && isSystemReader(caller)));
  if (!context.store.getUser(context.params.userId)) throw keystoneErrors.notFound('user', context.params.userId);
  if (credential.type !== EC2) throw keystoneErrors.unauthorized();
  return credential;
}

export function getEc2Credential(context: RequestContext): KeystoneResponse {
  const credential = requireEc2Credential(context, 'identity:ec2_get_credential');
  return json(200, { credential: renderStored(credential, context.identityUrl) });
}

export function deleteEc2Credential(context: RequestContext): KeystoneResponse {
  const credential = requireEc2Credential(context, 'identity:ec2_delete_credential');
  context.store.deleteCredential(credential.id);
  return noContent();
}
