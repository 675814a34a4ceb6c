import { DEMO_LOGINS } from '../../src/emulator/seed';
import { deadPort } from '../support/dead-port';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { manualClock } from '../support/manual-clock';
import { AK_SK, AuthTokenResult, CREATE_AK_SK, CREATE_DOWNLOAD_LINK, LOGIN, SCOPE_TOKEN } from '../support/operations';

const admin = DEMO_LOGINS.admin;
const GARBAGE_TOKEN = 'gAAAAABnot-a-real-token-at-all-0123456789abcdefghijklmnopqrstuvwxyz';

describe('failures through the gateway, over the embedded emulator', () => {
  let harness: GatewayHarness;
  const clock = manualClock();
  const secrets: string[] = [admin.password, 'wrong-password-value', GARBAGE_TOKEN];

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { DOWNLOAD_LINK_TTL_MS: '1000' }, now: clock.now });
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  async function adminToken(scope?: { projectName: string }): Promise<AuthTokenResult> {
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope },
      }),
    ).login;
    secrets.push(login.token);
    return login;
  }

  it('wrong password: UNAUTHENTICATED, with Keystone named and the password nowhere', async () => {
    const response = await harness.graphql(LOGIN, {
      input: { username: admin.name, password: 'wrong-password-value' },
    });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstream: { service: 'keystone', status: 401 } });
    expect(error.message).toMatch(/^Login failed/);
    expect((error.extensions!.upstream as { requestId: string }).requestId).toMatch(/^req-/);
    expect(JSON.stringify(response)).not.toContain('wrong-password-value');
  });

  it('no token: UNAUTHENTICATED before any upstream call, saying how to send one', async () => {
    for (const [query, variables] of [
      [SCOPE_TOKEN, { input: { projectName: 'admin' } }],
      [CREATE_AK_SK, { input: { userId: 'abc' } }],
      [AK_SK, { userId: 'abc' }],
    ] as const) {
      const response = await harness.graphql(query, variables);
      expect(response.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(response.errors?.[0].message).toMatch(/X-Auth-Token/);
    }
  });

  it('garbage token: UNAUTHENTICATED from Keystone', async () => {
    const scope = await harness.graphql(SCOPE_TOKEN, { input: { projectName: 'admin' } }, { token: GARBAGE_TOKEN });
    expect(scope.errors?.[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      upstream: { service: 'keystone', status: 404 },
    });
    expect(scope.errors?.[0].message).toBe('The token is unknown, expired or revoked.');

    const list = await harness.graphql(AK_SK, { userId: 'abc' }, { token: GARBAGE_TOKEN });
    expect(list.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('unscoped token where a project is needed: BAD_USER_INPUT that says to call scopeToken', async () => {
    const login = await adminToken();
    expect(login.project).toBeNull();
    const response = await harness.graphql(CREATE_AK_SK, { input: { userId: login.user.id } }, { token: login.token });
    expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(response.errors?.[0].message).toMatch(/scopeToken/);
  });

  it('unknown user: NOT_FOUND, from Keystone, before the multicloud service is asked', async () => {
    const login = await adminToken({ projectName: 'admin' });
    const response = await harness.graphql(
      CREATE_AK_SK,
      { input: { userId: '0123456789abcdef0123456789abcdef' } },
      { token: login.token },
    );
    expect(response.errors?.[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { service: 'keystone', status: 404 },
    });
  });

  it('refuses bad input before any upstream call', async () => {
    const login = await adminToken({ projectName: 'admin' });
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      [SCOPE_TOKEN, { input: { projectName: 'admin', projectId: 'abc' } }, /exactly one of projectName and projectId/],
      [SCOPE_TOKEN, { input: {} }, /exactly one of projectName and projectId/],
      [LOGIN, { input: { password: 'x' } }, /exactly one of username and userId/],
      [LOGIN, { input: { username: 'a\u0000b', password: 'x' } }, /control characters/],
      [AK_SK, { userId: '../../etc' }, /userId must be/],
      [AK_SK, { userId: 'abc', projectId: 'a/b' }, /projectId must be/],
    ];
    for (const [query, variables, message] of cases) {
      const response = await harness.graphql(query, variables, { token: login.token });
      expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(response.errors?.[0].message).toMatch(message);
    }
  });

  it('an expired download link is refused', async () => {
    const login = await adminToken({ projectName: 'admin' });
    const link = dataOf(
      await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
        CREATE_DOWNLOAD_LINK,
        { userId: login.user.id },
        { token: login.token },
      ),
    ).createAkSkDownloadLink;
    clock.advance(1000);
    const response = await fetch(new URL(link.url, harness.gateway.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'This download link is unknown, expired or already used. Ask for a new one.' },
    });
  });

  it('an unknown download link is refused, and only GET is allowed', async () => {
    expect((await fetch(`${harness.gateway.url}/downloads/not-a-link`)).status).toBe(404);
    expect((await fetch(`${harness.gateway.url}/downloads/not-a-link`, { method: 'POST' })).status).toBe(405);
  });
});

describe('with the upstreams down', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    const port = await deadPort();
    harness = await startGatewayHarness({
      upstreams: { keystoneUrl: `http://127.0.0.1:${port}/identity/v3`, multicloudUrl: `http://127.0.0.1:${port}` },
    });
  });
  afterAll(() => harness.close());

  it('says UPSTREAM_UNAVAILABLE, and keeps serving', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await harness.graphql(LOGIN, { input: { username: 'admin', password: 'irrelevant-password' } });
      expect(response.errors?.[0].extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { service: 'keystone', status: null, requestId: null },
      });
      expect(response.errors?.[0].message).toBe('Keystone cannot be reached.');
    }
    const list = await harness.graphql(AK_SK, { userId: 'abc', projectId: 'def' }, { token: 'some-token' });
    expect(list.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { service: 'multicloud' } });
    expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
    expectNoSecretsIn(harness.logLines, ['irrelevant-password', 'some-token']);
  });

  it('/readyz says 503 and which upstream is unreachable, while /healthz stays 200', async () => {
    const response = await fetch(`${harness.gateway.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ready: false,
      upstreams: {
        keystone: { reachable: false, status: null },
        multicloud: { reachable: false, status: null },
      },
    });
    expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
  });
});
