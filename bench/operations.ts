/** The GraphQL operations the benchmark sends, and how a correct answer looks for each target. */
import * as aws4 from 'aws4';
import { documentId } from '../src/trusted-documents/manifest';
import type { TargetName } from './report';
import { BENCH_PAIR, CALLER_TOKEN, DIRECTORY_SIZE, LOGIN_PASSWORD, PAIRS_PER_USER, TARGET_USER_ID } from './fixtures';

export type OperationName = 'akSk' | 'trustedAkSk' | 'signedAkSk' | 'createAkSk' | 'login' | 'users';

export interface Operation {
  name: OperationName;
  /** As in the report, e.g. `users { akSks }`. */
  label: string;
  /** The POST body, the same for the gateway and the bare proxy. */
  body: string;
  /** Where the bare proxy serves the same upstream work. */
  barePath: string;
  /** Full check of one gateway answer (JSON already parsed); a message when wrong. */
  checkGateway(status: number, body: unknown): string | undefined;
  /** Upstream routes (stub counter names) one request of this operation must call, for the report. */
  upstreamRoutes: string[];
  /** Sent to the gateway signed with an AK/SK pair (SigV4) instead of with a token. */
  signed?: boolean;
  /** The body for the Apollo reference when the gateway's names a trusted document by id. */
  referenceBody?: string;
}

const graphql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

const AK_SK_FIELDS = 'accessKey secretKey userId projectId type';

/**
 * The bench's trusted document: the same selection as `akSk`, under its own name so the untrusted
 * `akSk` text is not in the manifest (an exact text match would run compiled too).
 */
export const TRUSTED_AK_SK_DOCUMENT = `query TrustedAkSk($userId: ID!) { akSk(userId: $userId) { ${AK_SK_FIELDS} } }`;

export const OPERATIONS: readonly Operation[] = [
  {
    name: 'akSk',
    label: 'akSk(userId)',
    body: graphql(`query AkSk($userId: ID!) { akSk(userId: $userId) { ${AK_SK_FIELDS} } }`, { userId: TARGET_USER_ID }),
    barePath: '/akSk',
    checkGateway: (status, body) => {
      const pairs = dataOf(body)?.akSk;
      return status === 200 && Array.isArray(pairs) && pairs.length === PAIRS_PER_USER
        ? undefined
        : "expected data.akSk with the stub's pairs";
    },
    upstreamRoutes: ['multicloud.listAkSks'],
  },
  {
    name: 'trustedAkSk',
    label: 'akSk(userId), trusted document',
    body: JSON.stringify({
      variables: { userId: TARGET_USER_ID },
      extensions: { persistedQuery: { version: 1, sha256Hash: documentId(TRUSTED_AK_SK_DOCUMENT) } },
    }),
    referenceBody: graphql(TRUSTED_AK_SK_DOCUMENT, { userId: TARGET_USER_ID }),
    barePath: '/akSk',
    checkGateway: (status, body) => {
      const pairs = dataOf(body)?.akSk;
      return status === 200 && Array.isArray(pairs) && pairs.length === PAIRS_PER_USER
        ? undefined
        : "expected data.akSk with the stub's pairs";
    },
    upstreamRoutes: ['multicloud.listAkSks'],
  },
  {
    name: 'signedAkSk',
    label: 'akSk(userId), signed',
    body: graphql(`query AkSk($userId: ID!) { akSk(userId: $userId) { ${AK_SK_FIELDS} } }`, { userId: TARGET_USER_ID }),
    barePath: '/signedAkSk',
    checkGateway: (status, body) => {
      const pairs = dataOf(body)?.akSk;
      return status === 200 && Array.isArray(pairs) && pairs.length === PAIRS_PER_USER
        ? undefined
        : "expected data.akSk with the stub's pairs";
    },
    upstreamRoutes: ['keystone.ec2tokens', 'multicloud.listAkSks'],
    signed: true,
  },
  {
    name: 'createAkSk',
    label: 'createAkSk',
    body: graphql(`mutation CreateAkSk($input: CreateAkSkInput!) { createAkSk(input: $input) { ${AK_SK_FIELDS} } }`, {
      input: { userId: TARGET_USER_ID },
    }),
    barePath: '/createAkSk',
    checkGateway: (status, body) => {
      const pair = dataOf(body)?.createAkSk as { accessKey?: unknown } | undefined;
      return status === 200 && typeof pair?.accessKey === 'string' ? undefined : 'expected data.createAkSk.accessKey';
    },
    upstreamRoutes: ['multicloud.createAkSk'],
  },
  {
    name: 'login',
    label: 'login',
    body: graphql(
      'mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id name } project { id name } roles { name } } }',
      {
        input: { username: 'admin', domain: 'Default', password: LOGIN_PASSWORD },
      },
    ),
    barePath: '/login',
    checkGateway: (status, body) => {
      const token = (dataOf(body)?.login as { token?: unknown } | undefined)?.token;
      return status === 200 && typeof token === 'string' && token.length > 0 ? undefined : 'expected data.login.token';
    },
    upstreamRoutes: ['keystone.createToken'],
  },
  {
    name: 'users',
    label: 'users { akSks }',
    body: graphql('query Users { users { id name akSks { accessKey secretKey } } }'),
    barePath: '/users',
    checkGateway: (status, body) => {
      const users = dataOf(body)?.users;
      const complete =
        Array.isArray(users) &&
        users.length === DIRECTORY_SIZE &&
        users.every((user: { akSks?: unknown }) => Array.isArray(user.akSks) && user.akSks.length === PAIRS_PER_USER);
      return status === 200 && complete ? undefined : `expected data.users with ${DIRECTORY_SIZE} users and their pairs`;
    },
    upstreamRoutes: ['keystone.listUsers', 'multicloud.listAkSks'],
  },
];

const HEADERS = { 'content-type': 'application/json', 'x-auth-token': CALLER_TOKEN };

/**
 * The token header, or for a signed operation sent to the gateway a SigV4 signature made now
 * (a query's signature may be replayed within the clock-skew window, so one per run does).
 */
/** What a target is sent for `op`: the bare proxy its own path, the Apollo reference (which knows no trusted documents) the document's text. */
export function requestOf(op: Operation, target: TargetName): { path: string; body: string } {
  return {
    path: target === 'bare' ? op.barePath : '/graphql',
    body: target === 'apollo' ? (op.referenceBody ?? op.body) : op.body,
  };
}

export function headersFor(op: Operation, url: string): Record<string, string> {
  if (!op.signed || !url.endsWith('/graphql')) return HEADERS;
  const target = new URL(url);
  const signed = aws4.sign(
    {
      host: target.host,
      method: 'POST',
      path: target.pathname,
      body: op.body,
      service: 'graphql',
      region: 'RegionOne',
      headers: { 'content-type': 'application/json' },
    },
    { accessKeyId: BENCH_PAIR.accessKey, secretAccessKey: BENCH_PAIR.secretKey },
  );
  // Host and Content-Length are signed with the values fetch and autocannon send themselves.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (!['host', 'content-length'].includes(name.toLowerCase())) headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

function dataOf(body: unknown): Record<string, unknown> | undefined {
  const record = body as { data?: Record<string, unknown> | null; errors?: unknown[] } | null;
  if (!record || record.errors) return undefined;
  return record.data ?? undefined;
}

/** The GraphQL error code of a refused operation, e.g. `GRAPHQL_VALIDATION_FAILED` when the schema lacks the field. */
export function errorCodeOf(body: unknown): string | undefined {
  const errors = (body as { errors?: Array<{ extensions?: { code?: unknown } }> } | null)?.errors;
  const code = errors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : errors ? 'UNKNOWN' : undefined;
}

/** Cheap per-response check under load: counted as an autocannon mismatch when false. */
export function looksSuccessful(body: string): boolean {
  return body.length > 0 && !body.includes('"errors"');
}
