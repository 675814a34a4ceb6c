import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { manualClock } from '../support/manual-clock';
import { LOGIN } from '../support/operations';

const { admin, alice, bob } = DEMO_LOGINS;

describe('query limits', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { MAX_QUERY_DEPTH: '4', MAX_QUERY_ALIASES: '5', MAX_QUERY_TOKENS: '300', MAX_BATCH_SIZE: '2' },
    });
  });
  afterAll(() => harness.close());

  it('refuses a document deeper than the limit, before any upstream call', async () => {
    const deep = '{ viewer { user { domain { id } } } a: __typename }';
    expect((await harness.graphql(deep)).errors?.[0].extensions?.code).not.toBe('QUERY_TOO_COMPLEX');
    const tooDeep = '{ users { akSks { userId } } viewer { user { domain { id { name } } } } }';
    const response = await harness.graphql(tooDeep);
    expect(response.errors?.[0]).toMatchObject({
      message: 'Query is 5 levels deep; the limit is 4.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    // Introspection has a bound of its own (src/server/query-limits.ts), so standard tools work.
    const introspection = '{ __schema { types { fields { type { ofType { name } } } } } }';
    expect(await harness.graphql(introspection)).toMatchObject({ status: 200, errors: undefined });
  });

  it('counts depth through fragments, and survives fragment cycles', async () => {
    const viaFragment =
      'query { ...A } fragment A on Query { viewer { ...B } } fragment B on Viewer { user { domain { id { name } } } }';
    expect((await harness.graphql(viaFragment)).errors?.[0]).toMatchObject({
      message: 'Query is 5 levels deep; the limit is 4.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    const cycle = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    const response = await harness.graphql(cycle);
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses more aliases than the limit', async () => {
    const aliases = Array.from({ length: 6 }, (_, index) => `a${index}: __typename`).join(' ');
    const response = await harness.graphql(`{ ${aliases} }`);
    expect(response.errors?.[0]).toMatchObject({
      message: 'Query has more than 5 aliases.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('refuses documents with too many tokens', async () => {
    const response = await harness.graphql(`{ ${'__typename '.repeat(400)} }`);
    expect(response.errors?.[0]).toEqual({
      message: 'Query has more than 300 tokens.',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('allows small batches and refuses large ones', async () => {
    const post = (body: unknown) =>
      fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const small = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(await small.json()).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
    const large = await post([1, 2, 3].map(() => ({ query: '{ __typename }' })));
    expect(large.status).toBe(400);
    expect(await large.json()).toEqual({
      errors: [{ message: 'A batch may hold at most 2 operations.', extensions: { code: 'QUERY_TOO_COMPLEX' } }],
    });
  });
});

describe('login throttling', () => {
  const WINDOW_MS = 2_000;
  let harness: GatewayHarness;
  const clock = manualClock();

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { LOGIN_MAX_FAILURES_PER_USER: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6', LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS) },
      now: clock.now,
    });
  });
  afterAll(() => harness.close());

  const attempt = (username: string, password: string) => harness.graphql(LOGIN, { input: { username, password } });

  it('refuses a user name after too many failures, with the wait, and lets it in again after the window', async () => {
    for (let failure = 0; failure < 3; failure += 1) {
      expect((await attempt(bob.name, 'wrong')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    // Even the right password waits: otherwise the throttle would tell a guesser when it guessed right.
    const throttled = await attempt(bob.name, bob.password);
    expect(throttled.errors?.[0]).toMatchObject({
      message: 'Too many failed logins. Try again in 2 s.',
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 2 },
    });
    // Another user from the same address is not locked out by bob's failures.
    expect(dataOf(await attempt(admin.name, admin.password))).toBeTruthy();

    // One millisecond short of the window bob is still refused; at its end he is let in.
    clock.advance(WINDOW_MS - 1);
    expect((await attempt(bob.name, bob.password)).errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    clock.advance(1);
    expect(dataOf(await attempt(bob.name, bob.password))).toBeTruthy();
  });

  it('refuses an address after too many failures across user names, but not accounts that logged in from it', async () => {
    for (let failure = 0; failure < 6; failure += 1) await attempt(`nobody-${failure}`, 'wrong');
    // alice never logged in from here: the address's limit holds her back for the window...
    const response = await attempt(alice.name, alice.password);
    expect(response.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    // ...but admin did (the test above): guesses sprayed from a shared address cannot lock him out.
    expect(dataOf(await attempt(admin.name, admin.password)).login).toBeTruthy();
    clock.advance(WINDOW_MS);
    expect(dataOf(await attempt(alice.name, alice.password))).toBeTruthy();
  });
});

describe('health, readiness and metrics', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(() => harness.close());

  it('/readyz reports each upstream', async () => {
    const response = await fetch(`${harness.gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ready: true,
      upstreams: { keystone: { reachable: true }, multicloud: { reachable: true } },
    });
  });

  it('/metrics counts operations by outcome, token cache lookups and upstream calls', async () => {
    const login = dataOf(
      await harness.graphql<{ login: { token: string; user: { id: string } } }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login;
    await harness.graphql('query($u: ID!) { akSk(userId: $u) { accessKey } }', { u: login.user.id }, { token: login.token });
    await harness.graphql('query($u: ID!) { akSk(userId: $u) { accessKey } }', { u: login.user.id }, { token: login.token });
    await harness.graphql(LOGIN, { input: { username: admin.name, password: 'wrong' } });

    const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(text).toMatch(/gateway_graphql_requests_total\{operation="login",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_graphql_requests_total\{operation="login",outcome="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/gateway_graphql_requests_total\{operation="akSk",outcome="ok"\} 2/);
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_count\{operation="akSk"\} 2/);
    expect(text).toMatch(/gateway_token_cache_lookups_total\{result="miss"\} 1/);
    expect(text).toMatch(/gateway_token_cache_lookups_total\{result="hit"\} 1/);
    expect(text).toMatch(/process_resident_memory_bytes/);
    expect(text).not.toContain(login.token);
  });
});
