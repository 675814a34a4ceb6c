/**
 * The per-user limit on AK/SK pairs holds across two gateway processes sharing one Redis: the
 * per-user lock lives there, so 20 creates spread over both never exceed it.
 */
import { randomUUID } from 'node:crypto';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { recordSecrets } from '../support/log-audit';
import { AK_SK, CREATE_AK_SK, DELETE_AK_SK, LOGIN } from '../support/operations';
import { describeWithRedis } from '../support/real-redis';

const MAX_PER_USER = 4;

async function graphql<T>(replica: GatewayProcess, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions: { code: string } }> };
}

describe.each(['multicloud', 'keystone'])('the pair limit across two replicas sharing Redis (%s backend)', (backend) => {
  describeWithRedis('two replicas', (redisUrl) => {
    let emulator: RunningEmulator;
    let replicas: [GatewayProcess, GatewayProcess];

    beforeAll(async () => {
      emulator = await startEmulator();
      const env = {
        KEYSTONE_URL: emulator.keystoneUrl,
        ...(backend === 'multicloud' ? { MULTICLOUD_URL: emulator.multicloudUrl } : {}),
        AKSK_BACKEND: backend,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `pair-limit-${randomUUID()}:`,
        AKSK_MAX_PER_USER: String(MAX_PER_USER),
      };
      replicas = [await startGatewayProcess(env), await startGatewayProcess(env)];
    });
    afterAll(async () => {
      for (const replica of replicas ?? []) replica.child.kill('SIGTERM');
      await emulator?.close();
    });

    it(`20 concurrent creates for one user, spread over both, make exactly ${MAX_PER_USER} pairs`, async () => {
      const [a, b] = replicas;
      const { bob } = DEMO_LOGINS;
      const login = await graphql<{ login: { token: string; user: { id: string } } }>(a, LOGIN, {
        input: { username: bob.name, password: bob.password, scope: { projectName: 'demo' } },
      });
      const { token, user } = login.data!.login;
      recordSecrets([token]);
      await graphql(a, DELETE_AK_SK, { userId: user.id }, token);

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          graphql<{ createAkSk: { secretKey: string } }>(index % 2 ? a : b, CREATE_AK_SK, { input: { userId: user.id } }, token),
        ),
      );
      recordSecrets(answers.flatMap((answer) => (answer.data?.createAkSk ? [answer.data.createAkSk.secretKey] : [])));
      const codes = answers.map((answer) => (answer.errors ? answer.errors[0].extensions.code : 'OK'));
      expect(codes.filter((code) => code === 'OK')).toHaveLength(MAX_PER_USER);
      expect(codes.filter((code) => code === 'QUOTA_EXCEEDED')).toHaveLength(20 - MAX_PER_USER);
      const listed = await graphql<{ akSk: unknown[] }>(b, AK_SK, { userId: user.id }, token);
      expect(listed.data?.akSk).toHaveLength(MAX_PER_USER);
    });
  });
});
