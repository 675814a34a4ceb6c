/**
 * The GraphQL-over-HTTP rules the gateway follows, over real HTTP: GET queries authenticated by
 * a token header are served (they force a browser preflight, so they are not CSRF-able), GET
 * mutations are 405, cookie-only GETs need a preflight header, and
 * `application/graphql-response+json` gets its content type and status codes. The deliberate
 * deviations (docs/graphql-over-http.md) are pinned too, so a change to them is a visible one.
 */
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { SESSION_COOKIE } from '../../src/auth/session-cookie';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { LOGIN } from '../support/operations';

const { admin } = DEMO_LOGINS;
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const VIEWER = '{ viewer { user { name } } }';
const CSRF = /^This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)\./;

describe('GraphQL over HTTP', () => {
  let harness: GatewayHarness;
  let token: string;

  beforeAll(async () => {
    harness = await startGatewayHarness();
    const login = dataOf(
      await harness.graphql<{ login: { token: string } }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    );
    token = login.login.token;
  });
  afterAll(() => harness.close());

  async function get(query: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent(query)}`, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      allow: response.headers.get('allow'),
      body: (await response.json()) as Body,
    };
  }
  async function post(query: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Body };
  }

  it('serves a GET query authenticated by X-Auth-Token or Authorization: Bearer, with no preflight header', async () => {
    for (const headers of [{ 'x-auth-token': token }, { authorization: `Bearer ${token}` }] as Array<Record<string, string>>) {
      const response = await get(VIEWER, headers);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { viewer: { user: { name: admin.name } } } });
    }
  });

  it('answers a GET query with a bad token UNAUTHENTICATED, not as CSRF', async () => {
    const response = await get(VIEWER, { 'x-auth-token': 'not-a-token' });
    expect(response.status).toBe(200);
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a GET mutation with 405 and Allow: POST, token or not', async () => {
    const response = await get('mutation { logout }', { 'x-auth-token': token });
    expect(response).toMatchObject({ status: 405, allow: 'POST' });
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    // The token still works: the mutation did not run.
    expect((await get(VIEWER, { 'x-auth-token': token })).body.data).toEqual({ viewer: { user: { name: admin.name } } });
  });

  it('refuses a cookie-only GET as CSRF, and serves it with a preflight header', async () => {
    const cookie = `${SESSION_COOKIE}=${token}`;
    const bare = await get(VIEWER, { cookie });
    expect(bare.status).toBe(400);
    expect(bare.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(CSRF) as unknown,
      extensions: { code: 'BAD_REQUEST' },
    });
    const preflighted = await get(VIEWER, { cookie, 'apollo-require-preflight': 'true' });
    expect(preflighted.body).toEqual({ data: { viewer: { user: { name: admin.name } } } });
  });

  describe(`Accept: ${GRAPHQL_RESPONSE}`, () => {
    const accept = { accept: GRAPHQL_RESPONSE };

    it('answers in that media type, 200 when data is present', async () => {
      const response = await post(VIEWER, { ...accept, 'x-auth-token': token });
      expect(response).toEqual({
        status: 200,
        type: `${GRAPHQL_RESPONSE}; charset=utf-8`,
        body: { data: { viewer: { user: { name: admin.name } } } },
      });
    });

    it('answers 200 when data is null because a field failed (the spec: SHOULD 2xx)', async () => {
      const response = await post(VIEWER, accept);
      expect(response.status).toBe(200);
      expect(response.type).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(response.body.data).toBeNull();
      expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('answers 400 with no data entry for a request error (parse, validation, limits)', async () => {
      for (const [query, code] of [
        ['{ viewer {', 'GRAPHQL_PARSE_FAILED'],
        ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
        [`{ ${'viewer { user { domain { '.repeat(4)} id ${'} } } '.repeat(4)} }`, 'QUERY_TOO_COMPLEX'],
      ]) {
        const response = await post(query, accept);
        expect({ query, status: response.status, type: response.type, hasData: 'data' in response.body }).toEqual({
          query,
          status: 400,
          type: `${GRAPHQL_RESPONSE}; charset=utf-8`,
          hasData: false,
        });
        expect(response.body.errors?.[0].extensions?.code).toBe(code);
      }
    });
  });

  it('answers application/json when Accept is missing or asks for it', async () => {
    for (const headers of [{}, { accept: 'application/json' }] as Array<Record<string, string>>) {
      expect((await post('{ __typename }', headers)).type).toBe('application/json; charset=utf-8');
    }
  });

  it('answers 406 to an Accept it cannot serve', async () => {
    const response = await post('{ __typename }', { accept: 'text/csv' });
    expect(response.status).toBe(406);
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });

  // Deliberate deviation (docs/graphql-over-http.md): the spec says SHOULD 200 for request errors
  // under application/json; Apollo Server answers 400, which every client tried here accepts.
  it('deviation: a validation error under application/json is 400, not 200', async () => {
    const response = await post('{ nope }', { accept: 'application/json' });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('never writes the token of a GET into the request log (the path only)', () => {
    recordSecrets([token]);
    expect(harness.logLines.some((line) => line.includes(token))).toBe(false);
    expect(harness.logLines.some((line) => line.includes('"path":"/graphql"') && line.includes('"method":"GET"'))).toBe(true);
  });
});

interface Body {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
