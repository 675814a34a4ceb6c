/**
 * Regression tests for the security review's findings (issue 10), one `describe` per finding,
 * each against the real gateway over HTTP. Each failed on the main of the review.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { rawExchange, rawRequest } from '../support/hostile-kit';
import { describeLoginLimitPerAccount } from '../support/login-limit-scenario';
import { startEmulator } from '../../src/emulator/emulator-server';
import {
  AuthTokenResult,
  CREATE_AK_SK,
  CREATE_DOWNLOAD_LINK,
  DELETE_AK_SK,
  LOGIN,
  SCOPE_TOKEN,
  AkSkResult,
} from '../support/operations';

const { admin, alice, bob, carol } = DEMO_LOGINS;
const VIEWER = '{ viewer { user { id } } }';

async function loginAs(
  harness: GatewayHarness,
  user: { name: string; password: string },
  scope?: { projectName: string },
): Promise<AuthTokenResult> {
  return dataOf(
    await harness.graphql<{ login: AuthTokenResult }>(LOGIN, { input: { username: user.name, password: user.password, scope } }),
  ).login;
}

/** A stand-in upstream answering every request with `answer` (or never, when it returns undefined). */
async function fakeUpstream(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{
  url: string;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    open.add(response);
    response.on('close', () => open.delete(response));
    request.resume();
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('security review regressions, over the embedded emulator', () => {
  let harness: GatewayHarness;
  const upstreamCalls: string[] = [];

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { DOWNLOAD_LINKS_PER_TOKEN: '3', HTTP_BODY_IDLE_TIMEOUT_MS: '300', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' },
      onUpstreamRequest: (method, path) => upstreamCalls.push(`${method} ${path}`),
    });
  });
  afterAll(() => harness.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    rawRequest(harness.gateway.url, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  describe('1. deep JSON', () => {
    it('refuses deep GET variables with 400 JSON_TOO_DEEP, and serves on', async () => {
      const deep = encodeURIComponent(`{"u":${'['.repeat(1_000)}${']'.repeat(1_000)}}`);
      const response = await rawRequest(harness.gateway.url, {
        path: `/graphql?query=${encodeURIComponent('query($u: ID!) { akSk(userId: $u) { accessKey } }')}&variables=${deep}`,
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual({
        errors: [{ message: 'JSON nested deeper than 128 levels.', extensions: { code: 'JSON_TOO_DEEP' } }],
      });
      expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
    });
  });

  describe('2. login throttling under concurrency', () => {
    it('lets no more than the limit of 50 concurrent wrong-password logins reach Keystone', async () => {
      // The service identity logs in (to resolve login names) on the first login: not counted here.
      await harness.graphql(LOGIN, { input: { username: 'warm-up', password: 'wrong' } });
      upstreamCalls.length = 0;
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => harness.graphql(LOGIN, { input: { username: 'concurrent-victim', password: 'wrong' } })),
      );
      const codes = answers.map((answer) => answer.errors?.[0].extensions?.code);
      expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
      expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS')).toHaveLength(45);
      expect(upstreamCalls.filter((call) => call === 'POST /identity/v3/auth/tokens')).toHaveLength(5);
    });
  });

  describe('3. one caller cannot fill the store with links', () => {
    it('bounds the unused download links per token', async () => {
      const login = await loginAs(harness, admin, { projectName: 'admin' });
      const link = () => harness.graphql(CREATE_DOWNLOAD_LINK, { userId: login.user.id }, { token: login.token });
      for (let index = 0; index < 3; index += 1) expect((await link()).errors).toBeUndefined();
      const refused = await link();
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^At most 3 unused download links per token; use one or wait \d+ s\.$/),
        extensions: { code: 'TOO_MANY_REQUESTS' },
      });
    });
  });

  describe('5. slow and unfinished bodies', () => {
    it('answers a stalled chunked body with 408 and closes the connection', async () => {
      const head =
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"que\r\n';
      const exchange = await rawExchange(harness.gateway.url, head);
      expect(exchange.status).toBe(408);
      expect(exchange.text).toContain('"code":"REQUEST_TIMEOUT"');
    });
  });

  describe('6. values echoed in errors', () => {
    it('never quotes a variable value, and keeps development suggestions to names', async () => {
      const response = await harness.graphql(LOGIN, { input: { usernme: 'a', password: 'echoed-secret-value' } });
      expect(response.status).toBe(400);
      expect(response.errors?.[0]).toMatchObject({
        message:
          'Variable "$input" got an invalid value; Field "usernme" is not defined by type "LoginInput". Did you mean "username" or "userId"?',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const typed = await harness.graphql(LOGIN, { input: { username: 'a', password: { nested: 'echoed-secret-value' } } });
      expect(JSON.stringify(typed.errors)).not.toContain('echoed-secret-value');
      expect(typed.errors?.[0].message).toBe(
        'Variable "$input" got an invalid value at "input.password"; String cannot represent a non string value.',
      );
    });
  });

  describe('9. download URLs never from the Host header', () => {
    it('gives a relative link whatever Host says, and ignores forwarded headers from untrusted peers', async () => {
      const login = await loginAs(harness, admin, { projectName: 'admin' });
      const response = await post(JSON.stringify({ query: CREATE_DOWNLOAD_LINK, variables: { userId: login.user.id } }), {
        host: 'evil.example',
        'x-auth-token': login.token,
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      });
      const url = JSON.parse(response.text).data.createAkSkDownloadLink.url as string;
      expect(url).toMatch(/^\/downloads\/[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('10. link ids in logs', () => {
    it('logs the download route, never the link id', async () => {
      const login = await loginAs(harness, alice);
      const { url } = dataOf(
        await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
          CREATE_DOWNLOAD_LINK,
          { userId: login.user.id },
          { token: login.token },
        ),
      ).createAkSkDownloadLink;
      const id = url.split('/').pop()!;
      expect((await fetch(new URL(url, harness.gateway.url))).status).toBe(200);
      expect(harness.logLines.filter((line) => line.includes(id))).toEqual([]);
      expect(harness.logLines.some((line) => line.includes('"path":"/downloads/:id"'))).toBe(true);
    });
  });

  describe('12. successes that did nothing', () => {
    it("refuses a member's deleteAkSk and download link for another user, as akSk does", async () => {
      const bobLogin = await loginAs(harness, bob, { projectName: 'demo' });
      const aliceLogin = await loginAs(harness, alice);
      const pair = dataOf(
        await harness.graphql<{ createAkSk: AkSkResult }>(
          CREATE_AK_SK,
          { input: { userId: bobLogin.user.id } },
          { token: bobLogin.token },
        ),
      ).createAkSk;
      const deleted = await harness.graphql(DELETE_AK_SK, { userId: bobLogin.user.id }, { token: aliceLogin.token });
      expect(deleted.errors?.[0]).toMatchObject({
        message: "Only an admin may manage another user's AK/SK pairs.",
        extensions: { code: 'FORBIDDEN' },
      });
      const link = await harness.graphql(CREATE_DOWNLOAD_LINK, { userId: bobLogin.user.id }, { token: aliceLogin.token });
      expect(link.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      // bob's pair is still there.
      const listed = await harness.graphql<{ akSk: AkSkResult[] }>(
        '{ akSk(userId: "' + bobLogin.user.id + '") { accessKey } }',
        {},
        { token: bobLogin.token },
      );
      expect(dataOf(listed).akSk).toEqual([{ accessKey: pair.accessKey }]);
    });

    it("answers an admin's deleteAkSk of a user that does not exist with NOT_FOUND", async () => {
      const login = await loginAs(harness, admin, { projectName: 'admin' });
      const response = await harness.graphql(
        DELETE_AK_SK,
        { userId: '0123456789abcdef0123456789abcdef' },
        { token: login.token },
      );
      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('lets two concurrent deleteAkSk of the same user both succeed', async () => {
      const login = await loginAs(harness, alice);
      dataOf(await harness.graphql(CREATE_AK_SK, { input: { userId: login.user.id } }, { token: login.token }));
      const both = await Promise.all(
        [1, 2].map(() => harness.graphql(DELETE_AK_SK, { userId: login.user.id }, { token: login.token })),
      );
      expect(both.map((response) => response.errors)).toEqual([undefined, undefined]);
    });
  });

  describe('13. caching of answers with secrets', () => {
    it('sends Cache-Control: no-store and Vary on /graphql, for POST and GET', async () => {
      const viaPost = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://console.test' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const viaGet = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      for (const response of [viaPost, viaGet]) {
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('vary')).toEqual(expect.stringContaining('Authorization, X-Auth-Token, Cookie'));
      }
      expect(viaPost.headers.get('vary')).toMatch(/^Origin, /);
    });
  });

  describe('14. client mistakes at error level', () => {
    const errorLinesOf = (requestId: string | null) =>
      harness.logLines.filter((line) => requestId && line.includes(requestId) && JSON.parse(line).level >= 50);
    const linesOf = (requestId: string | null) => harness.logLines.filter((line) => requestId && line.includes(requestId));

    it('answers a subscription and an APQ hash mismatch with 400 and a client code, logged once at info', async () => {
      const subscription = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'subscription { viewer { token } }' }),
      });
      expect(subscription.status).toBe(400);
      expect(((await subscription.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
        message: 'This gateway has no subscription operations.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      const sha256Hash = createHash('sha256').update('something else').digest('hex');
      const apq = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash } } }),
      });
      expect(apq.status).toBe(400);
      expect(((await apq.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe(
        'BAD_REQUEST',
      );
      for (const response of [subscription, apq]) {
        const id = response.headers.get('x-request-id');
        expect(errorLinesOf(id)).toEqual([]);
        // One line about the refusal, one for the request.
        expect(linesOf(id)).toHaveLength(2);
      }
    });

    it('logs 280 repeated directives as one line', async () => {
      const response = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __typename ${'@include(if: true) '.repeat(280)}}` }),
      });
      expect(response.status).toBe(400);
      expect(linesOf(response.headers.get('x-request-id'))).toHaveLength(2);
    });

    it('logs an aborted body at info, not as an error', async () => {
      const before = harness.logLines.length;
      const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query"';
      const { connect } = await import('node:net');
      const { port } = new URL(harness.gateway.url);
      await new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.end(head));
        socket.on('close', () => resolve());
        socket.resume();
      });
      // The gateway's line about this request is the last thing it writes for it.
      const waitForRequestLine = async () => {
        while (!harness.logLines.slice(before).some((line) => line.includes('request body not received'))) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      await waitForRequestLine();
      const lines = harness.logLines.slice(before).map((line) => JSON.parse(line) as { level: number });
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    });
  });

  describe('15. session cookie', () => {
    it('names the cookie __Host-, and scopeToken on a session revokes the token it replaces', async () => {
      const login = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: LOGIN,
          variables: { input: { username: bob.name, password: bob.password, session: true } },
        }),
      });
      const first = login.headers.get('set-cookie')!.split(';')[0];
      expect(first).toMatch(/^__Host-aksk_session=gAAAA/);
      const oldToken = first.split('=')[1];
      const scoped = await harness.graphql(SCOPE_TOKEN, { input: { projectName: 'demo' } }, { cookie: first });
      expect(scoped.errors).toBeUndefined();
      const second = scoped.headers.get('set-cookie')!.split(';')[0];
      expect(second).not.toBe(first);
      expect(dataOf(await harness.graphql(VIEWER, {}, { cookie: second }))).toBeTruthy();
      // The replaced token no longer works anywhere, so logging out the session ends it all.
      expect((await harness.graphql(VIEWER, {}, { token: oldToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});

describe('4. createAkSk in a project its user has no role on', () => {
  for (const backend of ['multicloud', 'keystone'] as const) {
    it(`is BAD_USER_INPUT on the ${backend} backend, for members and admins alike; another user's is FORBIDDEN`, async () => {
      const harness = await startGatewayHarness({ env: { AKSK_BACKEND: backend } });
      try {
        const adminLogin = await loginAs(harness, admin, { projectName: 'admin' });
        const aliceLogin = await loginAs(harness, alice);
        const bobLogin = await loginAs(harness, bob, { projectName: 'demo' });
        const adminProject = adminLogin.project!.id;
        const noRole = {
          message: 'The user has no role on that project: a pair must belong to a project its user works in.',
          extensions: { code: 'BAD_USER_INPUT' },
        };
        const own = await harness.graphql(
          CREATE_AK_SK,
          { input: { userId: aliceLogin.user.id, projectId: adminProject } },
          { token: aliceLogin.token },
        );
        expect(own.errors?.[0]).toMatchObject(noRole);
        const byAdmin = await harness.graphql(
          CREATE_AK_SK,
          { input: { userId: aliceLogin.user.id, projectId: adminProject } },
          { token: adminLogin.token },
        );
        expect(byAdmin.errors?.[0]).toMatchObject(noRole);
        // Implicitly the admin's own project: alice has no role there either.
        const implicit = await harness.graphql(
          CREATE_AK_SK,
          { input: { userId: aliceLogin.user.id } },
          { token: adminLogin.token },
        );
        expect(implicit.errors?.[0]).toMatchObject(noRole);
        const forOther = await harness.graphql(
          CREATE_AK_SK,
          { input: { userId: bobLogin.user.id } },
          { token: aliceLogin.token },
        );
        expect(forOther.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        // Where the user works, the admin may.
        const fine = await harness.graphql<{ createAkSk: AkSkResult }>(
          CREATE_AK_SK,
          { input: { userId: aliceLogin.user.id, projectId: aliceLogin.project!.id } },
          { token: adminLogin.token },
        );
        expect(dataOf(fine).createAkSk.projectId).toBe(aliceLogin.project!.id);
      } finally {
        await harness.close();
      }
    });
  }
});

describe('7, 8 and 9 with a trusted proxy', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { TRUSTED_PROXIES: '127.0.0.1, ::1', LOGIN_MAX_FAILURES_PER_ADDRESS: '3', LOGIN_MAX_FAILURES_PER_USER: '4' },
    });
  });
  afterAll(() => harness.close());

  const from = (address: string) => ({ headers: { 'x-forwarded-for': `${address}, 127.0.0.1` } });

  it('counts addresses by X-Forwarded-For past trusted hops: one client locked, another not', async () => {
    for (let failure = 0; failure < 3; failure += 1) {
      await harness.graphql(LOGIN, { input: { username: `sprayed-${failure}`, password: 'wrong' } }, from('198.51.100.7'));
    }
    const locked = await harness.graphql(LOGIN, { input: { username: bob.name, password: bob.password } }, from('198.51.100.7'));
    expect(locked.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(
      dataOf(await harness.graphql(LOGIN, { input: { username: bob.name, password: bob.password } }, from('198.51.100.8'))),
    ).toBeTruthy();
  });

  it('keeps an account that logged in from an address usable there while others spray from it', async () => {
    const client = from('203.0.113.9');
    dataOf(await harness.graphql(LOGIN, { input: { username: alice.name, password: alice.password } }, client));
    for (let failure = 0; failure < 5; failure += 1) {
      await harness.graphql(LOGIN, { input: { username: `nat-${failure}`, password: 'wrong' } }, client);
    }
    expect(
      dataOf(await harness.graphql(LOGIN, { input: { username: alice.name, password: alice.password } }, client)),
    ).toBeTruthy();
  });

  it('counts one account whether named by name or by id', async () => {
    const known = await loginAs(harness, admin);
    const attempts = [
      { username: admin.name, password: 'wrong' },
      { userId: known.user.id, password: 'wrong' },
      { username: admin.name, password: 'wrong' },
      { userId: known.user.id, password: 'wrong' },
    ];
    // Each from its own address, so only the per-account rule can stop the fifth.
    for (const [index, input] of attempts.entries()) {
      const answer = await harness.graphql(LOGIN, { input }, from(`192.0.2.${50 + index}`));
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const byId = await harness.graphql(LOGIN, { input: { userId: known.user.id, password: admin.password } }, from('192.0.2.60'));
    expect(byId.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
  });

  it("builds download URLs from the trusted proxy's X-Forwarded-Proto and -Host", async () => {
    const login = await loginAs(harness, bob, { projectName: 'demo' });
    const link = await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
      CREATE_DOWNLOAD_LINK,
      { userId: login.user.id },
      {
        token: login.token,
        headers: { host: 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'aksk.example.org' },
      },
    );
    expect(dataOf(link).createAkSkDownloadLink.url).toMatch(/^https:\/\/aksk\.example\.org\/downloads\/[A-Za-z0-9_-]{43}$/);
  });
});

describeLoginLimitPerAccount('8. one limit per account, by name or by id, over the emulator', async () => {
  const emulator = await startEmulator();
  return { keystoneUrl: emulator.keystoneUrl, victim: carol, other: bob, admin, close: () => emulator.close() };
});

describe('11. /readyz with a hung upstream', () => {
  it('answers 503 within its own budget, and reuses one answer instead of probing again', async () => {
    const hung = await fakeUpstream(() => undefined);
    const harness = await startGatewayHarness({
      upstreams: { keystoneUrl: `${hung.url}/v3`, multicloudUrl: undefined },
      env: { AKSK_BACKEND: 'keystone', KEYSTONE_TIMEOUT_MS: '3000', READINESS_TIMEOUT_MS: '100', READINESS_CACHE_MS: '60000' },
    });
    try {
      const first = await fetch(`${harness.gateway.url}/readyz`);
      expect(first.status).toBe(503);
      expect(await first.json()).toMatchObject({ ready: false, upstreams: { keystone: { reachable: false, timedOut: true } } });
      const probes = hung.requests.length;
      expect(probes).toBe(1);
      await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${harness.gateway.url}/readyz`).then((response) => response.status)),
      );
      expect(hung.requests).toHaveLength(probes);
    } finally {
      await harness.close();
      await hung.close();
    }
  });
});

describe('1. deep JSON from an upstream', () => {
  it('refuses an upstream body nested past the limit as an invalid response, and serves on', async () => {
    const deep = await fakeUpstream((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': 'gAAAA-deep' });
      response.end(`{"token":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    });
    const harness = await startGatewayHarness({
      upstreams: { keystoneUrl: `${deep.url}/v3`, multicloudUrl: undefined },
      env: { AKSK_BACKEND: 'keystone' },
    });
    try {
      const response = await harness.graphql(LOGIN, { input: { username: 'someone', password: 'deep-json-password' } });
      expect(response.errors?.[0]).toMatchObject({
        message: 'Keystone sent a response the gateway cannot read.',
        extensions: { code: 'UPSTREAM_ERROR' },
      });
      expect((await fetch(`${harness.gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await harness.close();
      await deep.close();
    }
  });
});
