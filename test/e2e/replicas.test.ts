import { randomUUID } from 'node:crypto';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { recordSecrets } from '../support/log-audit';
import { LOGIN } from '../support/operations';
import { describeWithRedis } from '../support/real-redis';

const { admin, bob } = DEMO_LOGINS;

async function graphql<T>(replica: GatewayProcess, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions: { code: string } }> };
}

describeWithRedis('two gateway replicas sharing one Redis', (redisUrl) => {
  let emulator: RunningEmulator;
  let replicas: [GatewayProcess, GatewayProcess];
  const tokenValidations: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      onRequest: (method, path) => {
        if (method === 'GET' && path === '/identity/v3/auth/tokens') tokenValidations.push(path);
      },
    });
    const env = {
      KEYSTONE_URL: emulator.keystoneUrl,
      MULTICLOUD_URL: emulator.multicloudUrl,
      REDIS_URL: redisUrl,
      // A prefix of its own keeps this run's links and counters apart from any other.
      REDIS_KEY_PREFIX: `replicas-${randomUUID()}:`,
      LOGIN_MAX_FAILURES_PER_USER: '4',
    };
    replicas = [await startGatewayProcess(env), await startGatewayProcess(env)];
  });
  afterAll(async () => {
    for (const replica of replicas ?? []) replica.child.kill('SIGTERM');
    await emulator?.close();
  });

  async function adminToken(replica: GatewayProcess): Promise<{ token: string; user: { id: string } }> {
    const result = await graphql<{ login: { token: string; user: { id: string } } }>(replica, LOGIN, {
      input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
    });
    recordSecrets([result.data!.login.token]);
    return result.data!.login;
  }

  it('honours a download link made on one replica exactly once, on the other', async () => {
    const [a, b] = replicas;
    const login = await adminToken(a);
    const link = await graphql<{ createAkSkDownloadLink: { url: string } }>(
      a,
      'mutation($u: ID!) { createAkSkDownloadLink(userId: $u, format: CSV) { url } }',
      { u: login.user.id },
      login.token,
    );
    const path = link.data!.createAkSkDownloadLink.url;
    const onB = await fetch(`${b.url}${path}`);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toMatch(/^user_id,project_id,type,access_key,secret_key\r\n/);
    expect((await fetch(`${a.url}${path}`)).status).toBe(404);
    expect((await fetch(`${b.url}${path}`)).status).toBe(404);
  });

  it('counts failed logins across both replicas', async () => {
    const [a, b] = replicas;
    const fail = (replica: GatewayProcess) =>
      graphql(replica, LOGIN, { input: { username: bob.name, password: 'wrong-password' } });
    expect((await fail(a)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fail(b)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fail(a)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fail(b)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    // Four failures, two on each: both replicas now refuse bob, even with the right password.
    for (const replica of [a, b]) {
      const refused = await graphql(replica, LOGIN, { input: { username: bob.name, password: bob.password } });
      expect(refused.errors?.[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    }
  });

  it('introspects a token once for both replicas', async () => {
    const [a, b] = replicas;
    const login = await adminToken(a);
    tokenValidations.length = 0;
    for (const replica of [a, b, a, b]) {
      const viewer = await graphql<{ viewer: { user: { id: string } } }>(replica, '{ viewer { user { id } } }', {}, login.token);
      expect(viewer.data?.viewer.user.id).toBe(login.user.id);
    }
    expect(tokenValidations).toHaveLength(1);
  });
});
