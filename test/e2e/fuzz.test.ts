/**
 * Property-based fuzzing (fast-check) of the running gateway over the embedded emulator: GraphQL
 * documents, variables and raw HTTP requests. Properties: no 5xx (the emulator is healthy, so
 * none is upstream-caused), the gateway stays up, no secret in any response or log line, and
 * bounded work per request (a document refused by a limit never reaches an upstream). Run counts
 * are fixed so the suite takes seconds; a failure prints its seed and path to replay it.
 */
import fc from 'fast-check';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { rawRequest } from '../support/hostile-kit';
import { recordSecrets } from '../support/log-audit';
import { AuthTokenResult, LOGIN } from '../support/operations';

const { admin } = DEMO_LOGINS;

const RUNS = 60;

const FIELDS = [
  'viewer',
  'akSk',
  'users',
  'projects',
  'login',
  'createAkSk',
  'deleteAkSk',
  '__typename',
  '__schema',
  'user',
  'id',
];
const NAMES = fc.constantFrom(...FIELDS, 'x', 'input', 'userId', 'password', 'token', 'secretKey');

/** Arbitrary GraphQL-ish text: real field names and punctuation, often invalid, sometimes deep. */
const documentText = fc
  .array(
    fc.oneof(
      NAMES,
      fc.constantFrom(
        '{',
        '}',
        '(',
        ')',
        ':',
        '$u',
        '"x"',
        '...',
        '@include(if: true)',
        'query',
        'mutation',
        'fragment F on Query',
        ' ',
      ),
    ),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.join(' '));

const jsonValue = fc.jsonValue({ maxDepth: 6 });

describe('fuzzing the running gateway', () => {
  let harness: GatewayHarness;
  let secrets: string[];
  let token: string;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '100000', LOGIN_MAX_FAILURES_PER_USER: '100000' },
    });
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login;
    token = login.token;
    // The admin's password is the word "password", which the schema itself says: only the token
    // and the passwords the fuzzer makes up are looked for in answers.
    secrets = [token];
    recordSecrets(secrets);
  });
  afterAll(async () => {
    for (const secret of secrets) expect(harness.logLines.filter((line) => line.includes(secret))).toEqual([]);
    await harness.close();
  });

  const settings = (seed?: number): fc.Parameters<unknown> => ({
    numRuns: RUNS,
    ...(seed === undefined ? {} : { seed }),
    verbose: 1,
  });

  async function expectSane(status: number, text: string): Promise<void> {
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  it('any document with any variables: a 2xx/4xx answer, no secret echoed, the gateway still up', async () => {
    await fc.assert(
      fc.asyncProperty(
        documentText,
        fc.dictionary(NAMES, jsonValue, { maxKeys: 4 }),
        fc.boolean(),
        async (query, variables, withToken) => {
          const response = await rawRequest(harness.gateway.url, {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json', ...(withToken ? { 'x-auth-token': token } : {}) },
            body: JSON.stringify({ query, variables }),
          });
          await expectSane(response.status, response.text);
          const body = JSON.parse(response.text) as { errors?: Array<{ extensions?: { code?: string } }> };
          for (const error of body.errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        },
      ),
      settings(),
    );
    expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
  });

  it('login with any input: never a 5xx, never the password in the answer or a log line', async () => {
    const password = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/);
    const rest = fc.dictionary(fc.constantFrom('username', 'userId', 'domain', 'scope', 'session', 'usernme'), jsonValue, {
      maxKeys: 4,
    });
    const passwordValue = fc.oneof(
      password,
      password.map((text) => ({ nested: text })),
      password.map((text) => [text]),
    );
    await fc.assert(
      fc.asyncProperty(rest, passwordValue, async (input, value) => {
        const secret = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : value.nested;
        secrets.push(secret);
        recordSecrets([secret]);
        const response = await rawRequest(harness.gateway.url, {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LOGIN, variables: { input: { ...input, password: value } } }),
        });
        await expectSane(response.status, response.text);
      }),
      settings(),
    );
  });

  it('any JSON body, any content type and method: an answer below 500', async () => {
    const body = fc.oneof(
      jsonValue.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc.nat({ max: 400 }).map((levels) => `${'['.repeat(levels)}${']'.repeat(levels)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
        fc.constantFrom('application/json', 'text/plain', 'application/graphql-response+json', 'multipart/form-data', ''),
        body,
        async (method, contentType, text) => {
          const response = await rawRequest(harness.gateway.url, {
            method,
            path: '/graphql',
            headers: { 'apollo-require-preflight': 'true', ...(contentType ? { 'content-type': contentType } : {}) },
            body: method === 'GET' ? undefined : text,
          });
          await expectSane(response.status, response.text);
        },
      ),
      settings(),
    );
  });

  it('any request target: an answer below 500, and the gateway still up', async () => {
    const segment = fc.oneof(
      fc.constantFrom('graphql', 'downloads', 'healthz', 'readyz', 'metrics', 'console', '..', '.', '%2e%2e', '%2f', '%00', ''),
      fc.stringMatching(/^[A-Za-z0-9_~!$&'()*+,;=:@%-]{0,20}$/),
    );
    const target = fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.option(fc.stringMatching(/^[A-Za-z0-9=&%_.-]{0,30}$/)))
      .map(([segments, query]) => `/${segments.join('/')}${query === null ? '' : `?${query}`}`);
    await fc.assert(
      fc.asyncProperty(target, async (path) => {
        const response = await rawRequest(harness.gateway.url, { path, headers: { accept: 'application/json' } });
        await expectSane(response.status, response.text);
      }),
      settings(),
    );
    expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
  });

  it('deep or wide variables cost one pass: refused without an upstream call', async () => {
    const calls: string[] = [];
    const counted = await startGatewayHarness({ onUpstreamRequest: (method, path) => calls.push(`${method} ${path}`) });
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 129, max: 50_000 }), fc.constantFrom('[', '{"a":'), async (levels, open) => {
          const close = open === '[' ? ']' : '}';
          const value = `${open.repeat(levels)}${open === '[' ? '' : '1'}${close.repeat(levels)}`;
          const before = calls.length;
          const response = await rawRequest(counted.gateway.url, {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json', 'x-auth-token': token },
            body: `{"query":"query($u: ID!) { akSk(userId: $u) { accessKey } }","variables":{"u":${value}}}`,
          });
          expect(response.status).toBe(400);
          expect(JSON.parse(response.text).errors[0].extensions.code).toBe('JSON_TOO_DEEP');
          expect(calls.length).toBe(before);
        }),
        { ...settings(), numRuns: 20 },
      );
    } finally {
      await counted.close();
    }
  });
});
