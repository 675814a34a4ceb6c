/**
 * `POST /ec2tokens`: Keystone's check of an EC2/S3-style signature (`EC2TokensResource` and
 * `EC2_S3_Resource.handle_authenticate`), in its order: policy (admin or service), a body,
 * the access key, the `ec2` credential with id sha256(access), the signature (retried once
 * without the port of `host`), user and project, the timestamp, the roles; then a token with
 * methods `["ec2credential"]` scoped to the credential's project. Every refusal after the
 * lookup is the same bare 401, as in Keystone.
 */

import { createHash } from 'node:crypto';
import { Ec2RequestDescription, Ec2Signer } from './ec2-signer';
import { KeystoneCrash, keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse } from './keystone-response';
import { isAdmin } from './policy';
import { parseJsonLikeKeystone } from './request-body';
import { RequestContext, requireCaller } from './request-context';
import { renderTokenBody } from './token-body';

/** `[credential] auth_ttl`: how old a signed request's timestamp may be, in minutes. */
const AUTH_TTL_MS = 15 * 60_000;

export const EC2_CREDENTIAL_METHOD = 'ec2credential';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Python's truthiness of decoded JSON. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's `'access' in credentials` on whatever the body held (a substring test on text). */
function hasAccess(credentials: unknown): boolean {
  if (typeof credentials === 'string') return credentials.includes('access');
  if (Array.isArray(credentials)) return credentials.includes('access');
  if (isRecord(credentials)) return 'access' in credentials;
  throw new KeystoneCrash('credentials of a type `in` cannot search');
}

/** `_check_signature`: equal as given, or after dropping the port from `host` (some clients sign without it). */
function checkSignature(secret: unknown, credentials: Record<string, unknown>): void {
  if (typeof secret !== 'string') throw new KeystoneCrash('the blob holds no secret');
  if (!isRecord(credentials.params)) throw new KeystoneCrash('params missing');
  const description = credentials as unknown as Ec2RequestDescription;
  const computed = new Ec2Signer(secret).generate(description);
  const presented = credentials.signature;
  if (!truthy(presented)) throw keystoneErrors.unauthorized();
  if (presented === computed) return;
  const host = credentials.host;
  if (typeof host !== 'string') throw new KeystoneCrash('host missing');
  if (host.includes(':')) {
    description.host = hostnameOf(host);
    if (presented === new Ec2Signer(secret).generate(description)) return;
  }
  throw keystoneErrors.unauthorized();
}

/** `urlsplit('//' + host).hostname`: lower-cased, brackets and port gone. */
function hostnameOf(host: string): string | null {
  const authority = host.split(/[/?#]/)[0].split('@').pop() ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(authority);
  const name = bracketed ? bracketed[1] : authority.split(':')[0];
  return name === '' ? null : name.toLowerCase();
}

/** `timeutils.parse_isotime` of the ISO 8601 forms signers send; a time without zone is UTC. */
function parseIsoTime(text: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (basic) return Date.UTC(+basic[1], +basic[2] - 1, +basic[3], +basic[4], +basic[5], +basic[6]);
  const extended = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!extended) return undefined;
  const zone = extended[8] && extended[8] !== 'Z' ? extended[8] : '+00:00';
  const iso =
    `${extended[1]}-${extended[2]}-${extended[3]}T${extended[4]}:${extended[5]}:${extended[6] ?? '00'}` +
    `.${(extended[7] ?? '0').slice(0, 3).padEnd(3, '0')}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** `_check_timestamp`: no timestamp is the signer's choice; one older than `auth_ttl` is refused. */
function checkTimestamp(credentials: Record<string, unknown>, now: number): void {
  const params = isRecord(credentials.params) ? credentials.params : {};
  const headers = isRecord(credentials.headers) ? credentials.headers : {};
  const timestamp = [params.Timestamp, headers['X-Amz-Date'], params['X-Amz-Date']].find(truthy);
  if (timestamp === undefined) return;
  const parsed = typeof timestamp === 'string' ? parseIsoTime(timestamp) : undefined;
  if (parsed === undefined || now > parsed + AUTH_TTL_MS) throw keystoneErrors.unauthorized();
}

export function createEc2Token(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  // `rule:service_or_admin`.
  if (!isAdmin(caller) && !caller.roleNames.includes('service')) {
    throw keystoneErrors.forbiddenAction('identity:ec2tokens_validate');
  }
  const body = context.body;
  if (!truthy(body)) throw keystoneErrors.badRequest('request must include a request body');
  const found = [body?.credentials, body?.credential, body?.ec2Credentials].find(truthy) ?? {};
  if (!hasAccess(found)) throw keystoneErrors.unauthorized();
  if (!isRecord(found)) throw new KeystoneCrash('credentials is not a dict');
  const credentials = found;
  if (typeof credentials.access !== 'string') throw new KeystoneCrash('access is not a string');

  const id = createHash('sha256').update(credentials.access, 'utf8').digest('hex');
  const stored = context.store.getCredential(id);
  if (!stored) throw keystoneErrors.notFound('credential', id);
  if (stored.type !== 'ec2') throw keystoneErrors.unauthorized();
  const blob = parseJsonLikeKeystone(stored.blob);
  if (!isRecord(blob)) throw new KeystoneCrash('ec2 blob is not a JSON object');
  // Pairs made from trusts, application credentials or OAuth tokens are not emulated.
  if (truthy(blob.trust_id) || truthy(blob.app_cred_id) || truthy(blob.access_token_id)) {
    throw new KeystoneCrash('delegated ec2 credentials are not emulated');
  }

  checkSignature(blob.secret, credentials);
  const project = stored.projectId === null ? undefined : context.store.getProject(stored.projectId);
  if (!project) throw keystoneErrors.notFound('project', stored.projectId ?? 'None');
  const user = context.store.getUser(stored.userId);
  if (!user) throw keystoneErrors.notFound('user', stored.userId);
  if (!user.enabled || !project.enabled) throw keystoneErrors.unauthorized();
  checkTimestamp(credentials, context.store.now());
  if (context.store.effectiveRoles(user.id, project.id).length === 0) throw keystoneErrors.unauthorized();

  const token = context.store.issueToken({
    userId: user.id,
    projectId: project.id,
    system: false,
    methods: [EC2_CREDENTIAL_METHOD],
  });
  // The catalog comes whatever the query says: this route ignores `nocatalog`.
  const rendered = renderTokenBody(context.store, token, {
    includeCatalog: true,
    catalog: context.catalog,
    identityUrl: context.identityUrl,
  });
  return json(200, rendered, { 'X-Subject-Token': token.id });
}
