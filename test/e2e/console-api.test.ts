import { demoSeed, DEMO_LOGINS, Seed } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { AkSkResult, AuthTokenResult, CREATE_AK_SK, LOGIN } from '../support/operations';

const { admin, alice } = DEMO_LOGINS;
const EXTRA_USERS = 50;

/** The demo seed plus 50 members of `demo`, for tables of many users. */
const seed: Seed = {
  ...demoSeed,
  users: [
    ...demoSeed.users,
    ...Array.from({ length: EXTRA_USERS }, (_, index) => ({
      name: `user-${index}`,
      password: `user-${index}-password`,
      roles: [{ project: 'demo', role: 'member' as const }],
    })),
  ],
};

const VIEWER = `query { viewer { user { id name domain { name } } project { name } roles { name } isAdmin expiresAt } }`;
const PROJECTS = `query { projects { id name enabled domain { id name } } }`;
const USERS_WITH_PAIRS = `query { users { id name domain { name } akSks { accessKey userId } } }`;
const LOGOUT = `mutation { logout }`;

describe('the queries a console needs', () => {
  let harness: GatewayHarness;
  const upstreamCalls: string[] = [];
  const secrets: string[] = [admin.password, alice.password];

  beforeAll(async () => {
    harness = await startGatewayHarness({ seed, onUpstreamRequest: (method, path) => upstreamCalls.push(`${method} ${path}`) });
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  async function login(user: { name: string; password: string }, projectName?: string): Promise<AuthTokenResult> {
    const scope = projectName ? { projectName } : undefined;
    const token = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: user.name, password: user.password, scope },
      }),
    ).login;
    secrets.push(token.token);
    return token;
  }

  it('viewer: who the caller is, without the token; UNAUTHENTICATED without one', async () => {
    const token = await login(alice);
    const viewer = dataOf(await harness.graphql<{ viewer: any }>(VIEWER, {}, { token: token.token })).viewer;
    expect(viewer).toMatchObject({
      user: { id: token.user.id, name: 'alice', domain: { name: 'Default' } },
      project: { name: 'demo' },
      isAdmin: false,
    });
    expect(viewer.roles.map((role: { name: string }) => role.name)).toContain('member');
    expect(JSON.stringify(viewer)).not.toContain(token.token);

    const anonymous = await harness.graphql(VIEWER);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('projects: those the caller may scope to, with their domain', async () => {
    const token = await login(alice);
    const projects = dataOf(await harness.graphql<{ projects: any[] }>(PROJECTS, {}, { token: token.token })).projects;
    expect(projects).toEqual([
      { id: expect.any(String), name: 'demo', enabled: true, domain: { id: 'default', name: 'Default' } },
    ]);
  });

  it('users { akSks } for 50+ users: one AK/SK call per user, one token introspection, no N+1', async () => {
    const token = await login(admin, 'admin');
    const someone = dataOf(
      await harness.graphql<{ users: Array<{ id: string; name: string }> }>('{ users { id name } }', {}, { token: token.token }),
    ).users.find((user) => user.name === 'user-7')!;
    // user-7 works in demo, not in the admin's project: the pair must go there.
    const demo = (await login(alice)).project!;
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: someone.id, projectId: demo.id } },
        { token: token.token },
      ),
    ).createAkSk;
    secrets.push(created.secretKey);

    // A fresh token, so the request must introspect it once.
    const fresh = await login(admin, 'admin');
    upstreamCalls.length = 0;
    const users = dataOf(await harness.graphql<{ users: any[] }>(USERS_WITH_PAIRS, {}, { token: fresh.token })).users;
    expect(users).toHaveLength(demoSeed.users.length + EXTRA_USERS);
    expect(users.find((user) => user.id === someone.id).akSks).toEqual([{ accessKey: created.accessKey, userId: someone.id }]);
    expect(users.filter((user) => user.akSks.length > 0)).toHaveLength(1);

    const akSkCalls = upstreamCalls.filter((call) => /^GET \/v1\/[^/]+\/aksks\/[^/]+$/.test(call));
    expect(akSkCalls).toHaveLength(users.length);
    expect(new Set(akSkCalls).size).toBe(users.length);
    // The token: validated once by the gateway; the multicloud service validates it per call itself.
    const gatewayValidations = upstreamCalls.filter((call) => call === 'GET /identity/v3/auth/tokens').length - akSkCalls.length;
    expect(gatewayValidations).toBe(1);
    expect(upstreamCalls.filter((call) => call === 'GET /identity/v3/users')).toHaveLength(1);
  });

  it('50 concurrent requests with a new token cause one introspection (single-flight)', async () => {
    const token = await login(alice);
    upstreamCalls.length = 0;
    const viewers = await Promise.all(
      Array.from({ length: 50 }, () => harness.graphql<{ viewer: any }>(VIEWER, {}, { token: token.token })),
    );
    expect(viewers.every((response) => dataOf(response).viewer.user.name === 'alice')).toBe(true);
    expect(upstreamCalls.filter((call) => call === 'GET /identity/v3/auth/tokens')).toHaveLength(1);
  });

  it('users: FORBIDDEN for a member', async () => {
    const token = await login(alice);
    const response = await harness.graphql('{ users { id } }', {}, { token: token.token });
    expect(response.errors?.[0]).toMatchObject({ message: 'Only an admin may list users.', extensions: { code: 'FORBIDDEN' } });
  });

  it('logout revokes the token: it stops working at once', async () => {
    const token = await login(alice);
    expect(dataOf(await harness.graphql<{ viewer: any }>(VIEWER, {}, { token: token.token })).viewer.user.name).toBe('alice');
    expect(dataOf(await harness.graphql<{ logout: boolean }>(LOGOUT, {}, { token: token.token })).logout).toBe(true);
    const after = await harness.graphql(VIEWER, {}, { token: token.token });
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the browser session cookie', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { CORS_ORIGINS: 'http://console.test' } });
  });
  afterAll(() => harness.close());

  it('login with session: the token goes into an HttpOnly, Secure, SameSite=Strict cookie, never to JavaScript', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: LOGIN,
        variables: { input: { username: admin.name, password: admin.password, session: true } },
      }),
    });
    const body = (await response.json()) as { data: { login: AuthTokenResult } };
    expect(body.data.login.token).toBeNull();
    expect(body.data.login.user.name).toBe('admin');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-aksk_session=gAAAA[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0];

    // Later requests authenticate with the cookie alone; scoping keeps it a session.
    const scoped = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: 'mutation { scopeToken(input: { projectName: "admin" }) { token project { name } } }' }),
    });
    const scopedBody = (await scoped.json()) as { data: { scopeToken: { token: string | null; project: { name: string } } } };
    expect(scopedBody.data.scopeToken).toEqual({ token: null, project: { name: 'admin' } });
    const scopedCookie = scoped.headers.get('set-cookie')!.split(';')[0];
    expect(scopedCookie).not.toBe(cookie);

    const viewer = await harness.graphql<{ viewer: any }>(VIEWER, {}, { cookie: scopedCookie });
    expect(dataOf(viewer).viewer).toMatchObject({ user: { name: 'admin' }, project: { name: 'admin' }, isAdmin: true });

    // Logout clears the cookie and revokes the token behind it.
    const logout = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: scopedCookie },
      body: JSON.stringify({ query: LOGOUT }),
    });
    expect(logout.headers.get('set-cookie')).toMatch(
      /^__Host-aksk_session=; Path=\/; Max-Age=0; HttpOnly; Secure; SameSite=Strict$/,
    );
    const after = await harness.graphql(VIEWER, {}, { cookie: scopedCookie });
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('allows credentials only to origins named in CORS_ORIGINS', async () => {
    const preflight = (origin: string) =>
      fetch(`${harness.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const listed = await preflight('http://console.test');
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://console.test');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('http://evil.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
