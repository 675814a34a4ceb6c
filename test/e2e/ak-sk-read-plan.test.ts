/**
 * What a pair list costs upstream on the multicloud backend, counted by the gateway's own
 * `/metrics`: the pair list alone when the selection asks for keys, owner, project or type;
 * Keystone's credentials as well once it asks for status or metadata. Both give the same pairs,
 * and a key listed under both types is settled whichever is asked.
 */
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { AuthTokenResult, LOGIN } from '../support/operations';

const { admin, alice } = DEMO_LOGINS;

const PAIR_LIST = '/v1/{id}/aksks/{id}';
const KEYSTONE_CREDENTIALS = '/credentials';

interface ListedPair {
  accessKey: string;
  secretKey: string;
  type: string;
  status?: string;
  description?: string | null;
}

describe('pair lists read what their selection needs (multicloud backend)', () => {
  let harness: GatewayHarness;
  let aliceLogin: AuthTokenResult;
  let adminLogin: AuthTokenResult;
  let created: ListedPair;
  const secrets: string[] = [alice.password, admin.password];

  async function login(user: { name: string; password: string }, projectName: string): Promise<AuthTokenResult> {
    const result = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: user.name, password: user.password, scope: { projectName } },
      }),
    ).login;
    secrets.push(result.token);
    return result;
  }

  /** Upstream calls the gateway made on one route so far, from its histogram's count. */
  async function upstreamCalls(service: string, route: string): Promise<number> {
    const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((entry) =>
        entry.startsWith(`gateway_upstream_request_duration_seconds_count{service="${service}",method="GET",route="${route}"}`),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  }

  /** Runs a query as alice and says which upstream reads it cost. */
  async function readAs<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data: T; pairLists: number; credentialLists: number }> {
    const before = [await upstreamCalls('multicloud', PAIR_LIST), await upstreamCalls('keystone', KEYSTONE_CREDENTIALS)];
    const data = dataOf(await harness.graphql<T>(query, variables, { token: aliceLogin.token }));
    return {
      data,
      pairLists: (await upstreamCalls('multicloud', PAIR_LIST)) - before[0],
      credentialLists: (await upstreamCalls('keystone', KEYSTONE_CREDENTIALS)) - before[1],
    };
  }

  const listOf = (selection: string) => `query ($userId: ID!) { akSk(userId: $userId) { ${selection} } }`;

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { AKSK_BACKEND: 'multicloud' } });
    aliceLogin = await login(alice, 'demo');
    adminLogin = await login(admin, 'admin');
    created = dataOf(
      await harness.graphql<{ createAkSk: ListedPair }>(
        'mutation ($input: CreateAkSkInput!) { createAkSk(input: $input) { accessKey secretKey type } }',
        { input: { userId: aliceLogin.user.id, description: 'read plan' } },
        { token: aliceLogin.token },
      ),
    ).createAkSk;
    secrets.push(created.secretKey);
    // The caller's token is now cached: the reads below cost only their own upstream calls.
    await harness.graphql(listOf('accessKey'), { userId: aliceLogin.user.id }, { token: aliceLogin.token });
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  it('keys, owner, project and type: the pair list only', async () => {
    const read = await readAs<{ akSk: ListedPair[] }>(listOf('accessKey secretKey userId projectId type'), {
      userId: aliceLogin.user.id,
    });
    expect(read.data.akSk).toEqual([
      expect.objectContaining({ accessKey: created.accessKey, secretKey: created.secretKey, type: 'ec2' }),
    ]);
    expect([read.pairLists, read.credentialLists]).toEqual([1, 0]);
  });

  it.each([
    ['status', listOf('accessKey secretKey type status'), { status: 'ACTIVE' }],
    [
      'a metadata field in a fragment',
      `${listOf('accessKey secretKey type ...Described')} fragment Described on AkSk { description }`,
      { description: 'read plan' },
    ],
  ])("%s: the pair list and Keystone's credentials, with the same pairs", async (_case, query, lifecycle) => {
    const read = await readAs<{ akSk: ListedPair[] }>(query, { userId: aliceLogin.user.id });
    expect(read.data.akSk).toEqual([{ accessKey: created.accessKey, secretKey: created.secretKey, type: 'ec2', ...lifecycle }]);
    expect([read.pairLists, read.credentialLists]).toEqual([1, 1]);
  });

  it("a user's akSks: the same plan", async () => {
    const query = (selection: string) => `query ($id: ID!) { user(id: $id) { akSks { ${selection} } } }`;
    const keys = await readAs<unknown>(query('accessKey'), { id: aliceLogin.user.id });
    const described = await readAs<unknown>(query('accessKey description'), { id: aliceLogin.user.id });
    expect([keys.pairLists, keys.credentialLists]).toEqual([1, 0]);
    expect([described.pairLists, described.credentialLists]).toEqual([1, 1]);
  });

  it('a key listed under both types (a transition cut short) is settled by a keys-only read too', async () => {
    const keystone = harness.emulator!.keystoneUrl;
    const copy = await fetch(`${keystone}/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': adminLogin.token },
      body: JSON.stringify({
        credential: {
          user_id: aliceLogin.user.id,
          project_id: aliceLogin.project!.id,
          type: 'ec2-inactive',
          blob: JSON.stringify({ access: created.accessKey, secret: created.secretKey }),
        },
      }),
    });
    expect(copy.status).toBe(201);

    const read = await readAs<{ akSk: ListedPair[] }>(listOf('accessKey type'), { userId: aliceLogin.user.id });
    expect(read.data.akSk).toEqual([{ accessKey: created.accessKey, type: 'ec2' }]);
    expect(read.credentialLists).toBeGreaterThanOrEqual(1);
    const left = await fetch(`${keystone}/credentials?user_id=${aliceLogin.user.id}`, {
      headers: { 'x-auth-token': adminLogin.token },
    });
    const { credentials } = (await left.json()) as { credentials: Array<{ type: string; blob: string }> };
    expect(
      credentials.filter((credential) => credential.blob.includes(created.accessKey)).map((credential) => credential.type),
    ).toEqual(['ec2']);
  });
});
