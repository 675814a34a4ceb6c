import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { AuthTokenResult, CREATE_AK_SK, LOGIN, SCOPE_TOKEN } from '../support/operations';
import { describeLoginLimitPerAccount } from '../support/login-limit-scenario';
import { describeWithRealKeystone, KeystoneAdmin, keystoneScript } from '../support/real-keystone';

const { admin, alice, bob, carol } = DEMO_LOGINS;

describeWithRealKeystone('login and scoping against a real Keystone', (keystoneUrl) => {
  let harness: GatewayHarness;
  const secrets: string[] = [admin.password, alice.password, bob.password, carol.password, 'not-the-password'];

  beforeAll(async () => {
    harness = await startGatewayHarness({ upstreams: { keystoneUrl } });
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  async function login(input: Record<string, unknown>): Promise<AuthTokenResult> {
    const token = dataOf(await harness.graphql<{ login: AuthTokenResult }>(LOGIN, { input })).login;
    secrets.push(token.token);
    return token;
  }

  it('logs in by name and domain (unscoped: admin has no default project), then by user id', async () => {
    const byName = await login({ username: admin.name, password: admin.password, domain: 'Default' });
    expect(byName.project).toBeNull();
    expect(byName.roles).toEqual([]);
    expect(byName.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(byName.token).toMatch(/^gAAAAA/);

    const byId = await login({ userId: byName.user.id, password: admin.password });
    expect(byId.user.id).toBe(byName.user.id);
  });

  it("scopes a login to the user's default project when it has one", async () => {
    const token = await login({ username: alice.name, password: alice.password });
    expect(token.project?.name).toBe('demo');
    expect(token.roles.map((role) => role.name)).toEqual(expect.arrayContaining(['member', 'reader']));
  });

  it('logs in with a project scope in the same call', async () => {
    const token = await login({ username: bob.name, password: bob.password, scope: { projectName: 'demo' } });
    expect(token.project).toMatchObject({ name: 'demo', domain: { id: 'default', name: 'Default' } });
  });

  it("scopes the caller's token by project name and by project id", async () => {
    const unscoped = await login({ username: admin.name, password: admin.password });
    const byName = dataOf(
      await harness.graphql<{ scopeToken: AuthTokenResult }>(
        SCOPE_TOKEN,
        { input: { projectName: 'admin', domain: 'Default' } },
        { token: unscoped.token },
      ),
    ).scopeToken;
    secrets.push(byName.token);
    expect(byName.project?.name).toBe('admin');
    expect(byName.roles.map((role) => role.name)).toContain('admin');

    const byId = dataOf(
      await harness.graphql<{ scopeToken: AuthTokenResult }>(
        SCOPE_TOKEN,
        { input: { projectId: byName.project!.id } },
        { token: unscoped.token },
      ),
    ).scopeToken;
    secrets.push(byId.token);
    expect(byId.project?.id).toBe(byName.project!.id);
  });

  it('wrong password: UNAUTHENTICATED, Keystone named, password nowhere', async () => {
    const response = await harness.graphql(LOGIN, { input: { username: admin.name, password: 'not-the-password' } });
    expect(response.errors?.[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      upstream: { service: 'keystone', status: 401, requestId: expect.stringMatching(/^req-/) },
    });
    expect(JSON.stringify(response)).not.toContain('not-the-password');
  });

  it('scoping to a project without a role on it: UNAUTHENTICATED', async () => {
    const token = await login({ username: carol.name, password: carol.password });
    expect(token.project).toBeNull();
    const response = await harness.graphql(SCOPE_TOKEN, { input: { projectName: 'demo' } }, { token: token.token });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstream: { status: 401 } });
    expect(response.errors?.[0].message).toMatch(/no role on it/);
  });

  it('a revoked token: UNAUTHENTICATED', async () => {
    const token = await login({ username: bob.name, password: bob.password, scope: { projectName: 'demo' } });
    expect(await new KeystoneAdmin(keystoneUrl).revokeToken(token.token)).toBe(204);
    const response = await harness.graphql(SCOPE_TOKEN, { input: { projectName: 'demo' } }, { token: token.token });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', upstream: { status: 404 } });
    const create = await harness.graphql(CREATE_AK_SK, { input: { userId: token.user.id } }, { token: token.token });
    expect(create.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describeWithRealKeystone('the per-account login limit against a real Keystone', (keystoneUrl) => {
  // Wrong passwords only, counted by the gateway: Keystone itself locks no account out here.
  describeLoginLimitPerAccount('guesses by name and by id, counted where they reach Keystone', async () => ({
    keystoneUrl,
    victim: carol,
    other: bob,
    admin,
  }));
});

describeWithRealKeystone("Keystone's plain-text 500 (its database down)", (keystoneUrl) => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({ upstreams: { keystoneUrl } });
  });
  afterAll(async () => {
    await keystoneScript('up');
    await harness.close();
  });

  it('is UPSTREAM_UNAVAILABLE, the gateway stays up, and works again once Keystone does', async () => {
    await keystoneScript('stop-db');
    try {
      const response = await harness.graphql(LOGIN, { input: { username: admin.name, password: admin.password } });
      expect(response.status).toBe(200);
      expect(response.errors?.[0]).toMatchObject({
        message: 'Keystone failed (status 500).',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { service: 'keystone', status: 500 } },
      });
    } finally {
      await keystoneScript('up');
    }
    const again = await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
      input: { username: admin.name, password: admin.password },
    });
    expect(dataOf(again).login.user.name).toBe('admin');
    expectNoSecretsIn(harness.logLines, [admin.password, dataOf(again).login.token]);
  });
});
