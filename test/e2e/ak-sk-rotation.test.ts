/**
 * Rotation and the per-user limit through the real gateway, on both backends of the embedded
 * emulator. Keystone sits behind a proxy that can fail one chosen request, to show that a
 * rotation whose second half fails leaves the caller with exactly the pairs it had.
 */
import { IncomingMessage } from 'node:http';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS, SERVICE_LOGIN } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { loopbackServer, LoopbackServer } from '../support/loopback-server';
import { manualClock } from '../support/manual-clock';
import { AK_SK, AkSkResult, AuthTokenResult, CREATE_AK_SK, DELETE_AK_SK, LOGIN, ROTATE_AK_SK } from '../support/operations';
import { aws4Client, operation } from '../support/sigv4-clients';

const { alice, bob } = DEMO_LOGINS;
const DAY = 86_400_000;
const MAX_PER_USER = 3;
const VIEWER = '{ viewer { user { id } } }';

interface Rotated {
  rotateAkSk: { newPair: AkSkResult; previousPair: AkSkResult };
}

/** Forwards every request to the emulator, except the one `failNext` picks, answered with a plain 500. */
async function keystoneProxy(emulator: RunningEmulator) {
  const origin = new URL(emulator.keystoneUrl).origin;
  let failNext: ((method: string, path: string, body: string) => boolean) | undefined;
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: LoopbackServer = await loopbackServer(async (request, response) => {
    const body = await read(request);
    const method = request.method ?? 'GET';
    if (failNext?.(method, request.url ?? '/', body)) {
      failNext = undefined;
      response.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    const answer = await fetch(`${origin}${request.url}`, { method, headers, body: body === '' ? undefined : body });
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['connection', 'content-length', 'content-encoding', 'transfer-encoding', 'keep-alive'].includes(name)) {
        answerHeaders[name] = value;
      }
    });
    response.writeHead(answer.status, answerHeaders).end(Buffer.from(await answer.arrayBuffer()));
  });
  return {
    keystoneUrl: `${server.url}${new URL(emulator.keystoneUrl).pathname}`,
    failOnce(rule: (method: string, path: string, body: string) => boolean) {
      failNext = rule;
    },
    close: () => server.close(),
  };
}

describe.each(['multicloud', 'keystone'])('rotation and the per-user limit (%s backend)', (backend) => {
  let emulator: RunningEmulator;
  let proxy: Awaited<ReturnType<typeof keystoneProxy>>;
  let harness: GatewayHarness;
  const clock = manualClock();
  const users = { alice: { id: '', token: '' }, bob: { id: '', token: '' } };
  const secrets: string[] = [alice.password, bob.password];

  async function login(user: { name: string; password: string }): Promise<AuthTokenResult> {
    const result = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: user.name, password: user.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    secrets.push(result.token);
    return result;
  }

  async function pairsOf(user: { id: string; token: string }): Promise<AkSkResult[]> {
    return dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: user.id }, { token: user.token })).akSk;
  }

  async function create(user: { id: string; token: string }, input: Record<string, unknown> = {}) {
    const response = await harness.graphql<{ createAkSk: AkSkResult }>(
      CREATE_AK_SK,
      { input: { userId: user.id, ...input } },
      { token: user.token },
    );
    if (response.data?.createAkSk) secrets.push(response.data.createAkSk.secretKey);
    return response;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    proxy = await keystoneProxy(emulator);
    harness = await startGatewayHarness({
      now: clock.now,
      upstreams: { keystoneUrl: proxy.keystoneUrl, multicloudUrl: backend === 'multicloud' ? emulator.multicloudUrl : undefined },
      env: {
        AKSK_BACKEND: backend,
        AKSK_MAX_PER_USER: String(MAX_PER_USER),
        KEYSTONE_SERVICE_USERNAME: SERVICE_LOGIN.name,
        KEYSTONE_SERVICE_PASSWORD: SERVICE_LOGIN.password,
        KEYSTONE_SERVICE_PROJECT: SERVICE_LOGIN.project,
      },
    });
    for (const [key, user] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      const result = await login(user);
      users[key].id = result.user.id;
      users[key].token = result.token;
    }
  });
  beforeEach(async () => {
    for (const user of Object.values(users))
      dataOf(await harness.graphql(DELETE_AK_SK, { userId: user.id }, { token: user.token }));
  });
  afterAll(async () => {
    expectNoSecretsIn(harness?.logLines ?? [], secrets);
    await harness?.close();
    await proxy?.close();
    await emulator?.close();
  });

  it('rotates: a new active pair like the old one, the old one switched off with its keys; Keystone agrees', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const old = dataOf(await create(users.alice, { description: 'nightly backup', expiresAt })).createAkSk;
    const { newPair, previousPair } = dataOf(
      await harness.graphql<Rotated>(ROTATE_AK_SK, { accessKey: old.accessKey }, { token: users.alice.token }),
    ).rotateAkSk;
    secrets.push(newPair.secretKey);

    expect(newPair).toMatchObject({
      userId: old.userId,
      projectId: old.projectId,
      description: 'nightly backup',
      expiresAt,
      status: 'ACTIVE',
      type: 'ec2',
      createdBy: users.alice.id,
    });
    expect(newPair.accessKey).not.toBe(old.accessKey);
    expect(newPair.secretKey).not.toBe(old.secretKey);
    expect(previousPair).toEqual({ ...old, status: 'INACTIVE', type: 'ec2-inactive' });

    const listed = await pairsOf(users.alice);
    expect(listed.map((pair) => [pair.accessKey, pair.status]).sort()).toEqual(
      [
        [old.accessKey, 'INACTIVE'],
        [newPair.accessKey, 'ACTIVE'],
      ].sort(),
    );
    // Keystone checks the signatures (the emulator's ec2tokens accepts only `ec2` credentials).
    const graphqlUrl = `${harness.gateway.url}/graphql`;
    const signedWith = async (pair: AkSkResult) => aws4Client(graphqlUrl, pair, operation(VIEWER));
    expect((await signedWith(newPair)).data).toEqual({ viewer: { user: { id: users.alice.id } } });
    expect((await signedWith(old)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("refuses another member's pair as NOT_FOUND, creating nothing", async () => {
    const alices = dataOf(await create(users.alice)).createAkSk;
    const refused = await harness.graphql(ROTATE_AK_SK, { accessKey: alices.accessKey }, { token: users.bob.token });
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await pairsOf(users.bob)).toEqual([]);
    expect((await pairsOf(users.alice)).map((pair) => pair.accessKey)).toEqual([alices.accessKey]);
  });

  it('a failure switching the old pair off removes the new one: the caller keeps exactly the pair it had', async () => {
    const old = dataOf(await create(users.alice, { description: 'keep me' })).createAkSk;
    // The deactivation's copy of the pair under the inactive type fails.
    proxy.failOnce((method, path, body) => method === 'POST' && path.endsWith('/credentials') && body.includes('ec2-inactive'));
    const failed = await harness.graphql(ROTATE_AK_SK, { accessKey: old.accessKey }, { token: users.alice.token });
    expect(failed.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { status: 500 } });
    expect(failed.data).toBeNull();

    expect(await pairsOf(users.alice)).toEqual([old]);
    const graphqlUrl = `${harness.gateway.url}/graphql`;
    expect((await aws4Client(graphqlUrl, old, operation(VIEWER))).data).toEqual({ viewer: { user: { id: users.alice.id } } });
  });

  it(`never lets 20 concurrent creates for one user past AKSK_MAX_PER_USER (${MAX_PER_USER})`, async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => create(users.bob)));
    const codes = answers.map((answer) => (answer.errors ? String(answer.errors[0].extensions?.code) : 'OK'));
    expect(codes.filter((code) => code === 'OK')).toHaveLength(MAX_PER_USER);
    expect(codes.filter((code) => code === 'QUOTA_EXCEEDED')).toHaveLength(20 - MAX_PER_USER);
    const refusal = answers.find((answer) => answer.errors)!.errors![0];
    expect(refusal.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: MAX_PER_USER });
    expect(refusal.message).toMatch(/the most allowed here \(3\)/);
    expect(await pairsOf(users.bob)).toHaveLength(MAX_PER_USER);
  });

  it('counts inactive pairs too; rotation needs room for its new pair, and a refused one changes nothing', async () => {
    const pairs = [];
    for (let index = 0; index < MAX_PER_USER; index += 1) pairs.push(dataOf(await create(users.bob)).createAkSk);
    const refused = await harness.graphql(ROTATE_AK_SK, { accessKey: pairs[0].accessKey }, { token: users.bob.token });
    expect(refused.errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
    expect((await pairsOf(users.bob)).map((pair) => pair.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);

    dataOf(await harness.graphql(DELETE_AK_SK, { userId: users.bob.id }, { token: users.bob.token }));
    const kept = dataOf(await create(users.bob)).createAkSk;
    dataOf(await harness.graphql<Rotated>(ROTATE_AK_SK, { accessKey: kept.accessKey }, { token: users.bob.token }));
    dataOf(await create(users.bob));
    // One active, one rotated out (inactive), one new: the inactive one counts.
    expect((await create(users.bob)).errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
  });

  // Last: it moves the gateway's clock past the pair's expiry.
  it('refuses to rotate an expired pair (its replacement would be born expired), creating nothing', async () => {
    const pair = dataOf(await create(users.alice, { expiresAt: new Date(clock.now() + DAY).toISOString() })).createAkSk;
    clock.advance(2 * DAY);
    const refused = await harness.graphql(ROTATE_AK_SK, { accessKey: pair.accessKey }, { token: users.alice.token });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/expired/);
    expect((await pairsOf(users.alice)).map((entry) => [entry.accessKey, entry.status])).toEqual([[pair.accessKey, 'EXPIRED']]);
  });
});
