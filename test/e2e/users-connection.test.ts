import { DEMO_LOGINS, scaledSeed } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { AuthTokenResult, LOGIN } from '../support/operations';

const { admin, alice, carol } = DEMO_LOGINS;
/** 120 generated members of demo; every fifth has no pair, so 96 own the 300 pairs. */
const SCALE = { users: 120, pairs: 300 };
const USERS_WITH_PAIRS = 96;
/** The demo users with the gateway's service user, and the generated ones. */
const ALL_USERS = 5 + SCALE.users;

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $search: String, $withAkSks: Boolean, $orderBy: UserOrder) {
    usersConnection(first: $first, after: $after, search: $search, withAkSks: $withAkSks, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          name
        }
      }
    }
  }
`;
const PAGE_WITH_PAIRS = /* GraphQL */ `
  query ($first: Int, $withAkSks: Boolean) {
    usersConnection(first: $first, withAkSks: $withAkSks) {
      nodes {
        name
        akSks {
          accessKey
          project {
            name
          }
        }
      }
    }
  }
`;

interface PageResult {
  usersConnection: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: Array<{ cursor: string; node: { name: string } }>;
  };
}

describe('usersConnection: users a page at a time', () => {
  let harness: GatewayHarness;
  const upstreamCalls: string[] = [];
  const secrets: string[] = [admin.password, alice.password];
  let adminToken: string;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      seed: scaledSeed(SCALE),
      onUpstreamRequest: (method, path) => upstreamCalls.push(`${method} ${path}`),
    });
    adminToken = (await login(admin, 'admin')).token;
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

  async function page(variables: Record<string, unknown>, token = adminToken): Promise<PageResult['usersConnection']> {
    return dataOf(await harness.graphql<PageResult>(PAGE, variables, { token })).usersConnection;
  }

  it('pages through every user in name order with cursors: no one repeated, no one skipped', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const current = await page({ first: 50, after });
      expect(current.totalCount).toBe(ALL_USERS);
      expect(current.pageInfo.hasPreviousPage).toBe(pages > 0);
      expect(current.pageInfo.startCursor).toBe(current.edges[0].cursor);
      seen.push(...current.edges.map((edge) => edge.node.name));
      pages += 1;
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(ALL_USERS);
    expect(new Set(seen).size).toBe(ALL_USERS);
    expect(seen.slice(0, 6)).toEqual(['admin', 'aksk-service', 'alice', 'bob', 'carol', 'user-0001']);
    expect(seen.at(-1)).toBe('user-0120');
  });

  it('sorts Z to A with NAME_DESC', async () => {
    const current = await page({ first: 3, orderBy: 'NAME_DESC' });
    expect(current.edges.map((edge) => edge.node.name)).toEqual(['user-0120', 'user-0119', 'user-0118']);
    const next = await page({ first: 2, orderBy: 'NAME_DESC', after: current.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node.name)).toEqual(['user-0117', 'user-0116']);
  });

  it('searches names, case-insensitively, and counts the matches', async () => {
    const current = await page({ first: 5, search: 'USER-01' });
    expect(current.totalCount).toBe(21);
    expect(current.edges.map((edge) => edge.node.name)).toEqual([
      'user-0100',
      'user-0101',
      'user-0102',
      'user-0103',
      'user-0104',
    ]);
    const none = await page({ first: 5, search: 'nobody-has-this-name' });
    expect(none).toMatchObject({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, startCursor: null, endCursor: null },
    });
  });

  it('withAkSks: only users owning a pair, from one credentials call', async () => {
    upstreamCalls.length = 0;
    const current = await page({ first: 10, withAkSks: true });
    expect(current.totalCount).toBe(USERS_WITH_PAIRS);
    expect(current.edges.map((edge) => edge.node.name)).not.toContain('user-0005');
    expect(current.edges[0].node.name).toBe('user-0001');
    expect(upstreamCalls.filter((call) => call === 'GET /identity/v3/credentials')).toHaveLength(1);
    expect(upstreamCalls.filter((call) => call.includes('/aksks/'))).toEqual([]);
  });

  it("costs AK/SK calls only for the page's users, and names each pair's project", async () => {
    upstreamCalls.length = 0;
    const nodes = dataOf(
      await harness.graphql<{ usersConnection: { nodes: Array<{ name: string; akSks: Array<{ project: { name: string } }> }> } }>(
        PAGE_WITH_PAIRS,
        { first: 10, withAkSks: true },
        { token: adminToken },
      ),
    ).usersConnection.nodes;
    expect(nodes).toHaveLength(10);
    expect(nodes.every((node) => node.akSks.length >= 3)).toBe(true);
    expect(new Set(nodes.flatMap((node) => node.akSks.map((pair) => pair.project.name)))).toEqual(new Set(['demo']));
    expect(upstreamCalls.filter((call) => /^GET \/v1\/[^/]+\/aksks\/[^/]+$/.test(call))).toHaveLength(10);
    expect(upstreamCalls.filter((call) => call === 'GET /identity/v3/users')).toHaveLength(1);
  });

  it('refuses bad arguments before any upstream call', async () => {
    upstreamCalls.length = 0;
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'not-a-cursor' }, { search: 'x'.repeat(256) }]) {
      const response = await harness.graphql(PAGE, variables, { token: adminToken });
      expect([variables, response.errors?.[0].extensions?.code]).toEqual([variables, 'BAD_USER_INPUT']);
    }
    expect(upstreamCalls).toEqual([]);
  });

  it('is FORBIDDEN to a member', async () => {
    const token = await login(alice);
    const response = await harness.graphql(PAGE, { first: 5 }, { token: token.token });
    expect(response.errors?.[0]).toMatchObject({ message: 'Only an admin may list users.', extensions: { code: 'FORBIDDEN' } });
  });

  it("User.projects: the projects a user has a role on; a member's pair elsewhere names no project", async () => {
    const ids = dataOf(
      await harness.graphql<{
        usersConnection: { nodes: Array<{ id: string; name: string; projects: Array<{ name: string }> }> };
      }>('{ usersConnection(first: 5) { nodes { id name projects { name } } } }', {}, { token: adminToken }),
    ).usersConnection.nodes;
    const byName = Object.fromEntries(ids.map((user) => [user.name, user]));
    expect(byName.alice.projects.map((project) => project.name)).toEqual(['demo']);
    expect(byName[carol.name].projects).toEqual([]);

    // A pair of alice's in project admin, where she has no role: the gateway refuses to make one
    // (BAD_USER_INPUT), Keystone does not, so it is made there directly. She sees it, unnamed.
    const adminLogin = await login(admin, 'admin');
    const pair = {
      accessKey: 'UsersConnAK00001',
      secretKey: 'UsersConnSecret0000000000000001',
      projectId: adminLogin.project!.id,
    };
    secrets.push(pair.secretKey);
    const created = await fetch(`${harness.emulator!.keystoneUrl}/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': adminLogin.token },
      body: JSON.stringify({
        credential: {
          user_id: byName.alice.id,
          project_id: pair.projectId,
          type: 'ec2',
          blob: JSON.stringify({ access: pair.accessKey, secret: pair.secretKey }),
        },
      }),
    });
    expect(created.status).toBe(201);
    const aliceToken = (await login(alice)).token;
    const own = dataOf(
      await harness.graphql<{
        user: { akSks: Array<{ accessKey: string; projectId: string; project: { name: string } | null }> };
      }>(
        'query ($id: ID!) { user(id: $id) { akSks { accessKey projectId project { name } } } }',
        { id: byName.alice.id },
        { token: aliceToken },
      ),
    ).user.akSks;
    expect(own).toEqual([{ accessKey: pair.accessKey, projectId: pair.projectId, project: null }]);
    const asAdmin = dataOf(
      await harness.graphql<{ akSk: Array<{ project: { name: string } | null }> }>(
        'query ($id: ID!) { akSk(userId: $id) { project { name } } }',
        { id: byName.alice.id },
        { token: adminToken },
      ),
    ).akSk;
    expect(asAdmin).toEqual([{ project: { name: 'admin' } }]);
  });
});
