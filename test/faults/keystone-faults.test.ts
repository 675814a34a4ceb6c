/**
 * Keystone misbehaving, through the real gateway: every fault against `login`, and against the
 * token introspection that `akSk` needs before the (healthy) multicloud service is called.
 * All faults run at once, each aimed at its own user, then each is checked on its own.
 */
import { dataOf, expectNoSecretsIn, GatewayHarness, GraphQLResponse, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { MisbehavingUpstream, startMisbehavingUpstream } from '../support/misbehaving-upstream';
import { AK_SK, AkSkResult, AuthTokenResult, LOGIN } from '../support/operations';
import {
  ANSWER_WITHIN_MS,
  expectUpstreamError,
  FAULT_CASES,
  FaultCase,
  inParallel,
  ProcessErrorWatch,
  settle,
  timed,
  UPSTREAM_TIMEOUT_MS,
  watchProcessErrors,
} from './fault-kit';

type LoginResponse = GraphQLResponse<{ login: AuthTokenResult }>;
type AkSkResponse = GraphQLResponse<{ akSk: AkSkResult[] }>;

interface Outcome<T> {
  first: { value: T; ms: number };
  /** Calls the fault's request made, counted before the next request. */
  keystoneCalls: number;
  multicloudCalls: number;
  /** The same request once Keystone behaves again. */
  next: T;
}

describe('Keystone misbehaving', () => {
  let keystone: MisbehavingUpstream;
  let multicloud: MisbehavingUpstream;
  let harness: GatewayHarness;
  let watch: ProcessErrorWatch;
  const logins = new Map<string, Outcome<LoginResponse>>();
  const introspections = new Map<string, Outcome<AkSkResponse>>();

  const login = (name: string): Promise<LoginResponse> =>
    harness.graphql(LOGIN, { input: { username: name, password: keystone.password } });

  async function loginThrough(fault: FaultCase): Promise<Outcome<LoginResponse>> {
    const name = `login-${fault.label}`;
    keystone.misbehaveFor(name, fault.fault, fault.options);
    const first = await timed(() => login(name));
    const keystoneCalls = keystone.count({ route: 'createToken', subject: name });
    const multicloudCalls = multicloud.count({ subject: name });
    keystone.behave(name);
    return { first, keystoneCalls, multicloudCalls, next: await login(name) };
  }

  async function akSkThrough(fault: FaultCase): Promise<Outcome<AkSkResponse>> {
    const name = `intro-${fault.label}`;
    const { token } = dataOf(await login(name)).login;
    const list = (): Promise<AkSkResponse> => harness.graphql(AK_SK, { userId: `uid-${name}` }, { token });
    keystone.misbehaveFor(name, fault.fault, fault.options);
    const first = await timed(list);
    const keystoneCalls = keystone.count({ route: 'validateToken', subject: name });
    const multicloudCalls = multicloud.count({ subject: name });
    keystone.behave(name);
    return { first, keystoneCalls, multicloudCalls, next: await list() };
  }

  beforeAll(async () => {
    watch = watchProcessErrors();
    [keystone, multicloud] = await Promise.all([startMisbehavingUpstream(), startMisbehavingUpstream()]);
    harness = await startGatewayHarness({
      upstreams: { keystoneUrl: keystone.keystoneUrl, multicloudUrl: multicloud.multicloudUrl },
      env: { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
    });
    // A first request pays for lazy set-up (JIT, connections); it must not count against a fault.
    await akSkThrough({ label: 'warm-up', fault: 'slow', options: { delayMs: 0 }, expected: { outcome: 'success' } });
    await inParallel(
      [
        ...FAULT_CASES.map((fault) => async () => void logins.set(fault.label, await loginThrough(fault))),
        ...FAULT_CASES.map((fault) => async () => void introspections.set(fault.label, await akSkThrough(fault))),
      ],
      (flow) => flow(),
    );
  });
  afterAll(async () => {
    watch?.stop();
    await harness?.close();
    await Promise.all([keystone?.close(), multicloud?.close()]);
  });

  describe.each(FAULT_CASES)('$label', (fault) => {
    it('login: a coded error naming Keystone, in time, then a working login', () => {
      const { first, keystoneCalls, multicloudCalls, next } = logins.get(fault.label)!;
      expect(first.value.status).toBe(200);
      expect(first.ms).toBeLessThan(ANSWER_WITHIN_MS);
      if (fault.expected.outcome === 'success') {
        expect(first.value.errors).toBeUndefined();
        expect(first.value.data?.login.token).toEqual(expect.any(String));
      } else {
        expect(first.value.data).toBeNull();
        expectUpstreamError(first.value.errors, fault.expected, 'keystone', 201);
        expectLoggedUpstreamFailure(first.value);
        expect(JSON.stringify(first.value)).not.toContain(keystone.password);
      }
      // A password login is not idempotent on the wire: never sent twice.
      expect(keystoneCalls).toBe(1);
      expect(multicloudCalls).toBe(0);
      expect(next.status).toBe(200);
      expect(next.errors).toBeUndefined();
      expect(next.data?.login.user.name).toBe(`login-${fault.label}`);
    });

    it('akSk: introspecting the token fails with a coded error naming Keystone; multicloud is not called', () => {
      const { first, keystoneCalls, multicloudCalls, next } = introspections.get(fault.label)!;
      expect(first.value.status).toBe(200);
      expect(first.ms).toBeLessThan(ANSWER_WITHIN_MS);
      expect(keystoneCalls).toBeGreaterThanOrEqual(1);
      if (fault.expected.outcome === 'success') {
        expect(first.value.errors).toBeUndefined();
        expect(first.value.data?.akSk).toEqual([]);
      } else {
        expect(first.value.data).toBeNull();
        expectUpstreamError(first.value.errors, fault.expected, 'keystone', 200);
        expectLoggedUpstreamFailure(first.value);
        expect(multicloudCalls).toBe(0);
      }
      expect(next.errors).toBeUndefined();
      expect(next.data?.akSk).toEqual([]);
    });
  });

  it('huge bodies are dropped early, not read to the end', () => {
    const huge = keystone.matching({ fault: 'huge-body' });
    expect(huge.length).toBeGreaterThanOrEqual(2);
    for (const request of huge) expect(request.outcome).toBe('abandoned');
  });

  it('refused connections: UPSTREAM_UNAVAILABLE at once, then logins work again once Keystone listens', async () => {
    await keystone.refuse();
    try {
      const refused = await timed(() => login('refused'));
      expect(refused.value.status).toBe(200);
      expect(refused.ms).toBeLessThan(ANSWER_WITHIN_MS);
      expect(refused.value.data).toBeNull();
      expect(refused.value.errors?.[0].extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { service: 'keystone', status: null, requestId: null },
      });
      expect(refused.value.errors?.[0].message).toBe('Keystone cannot be reached.');
    } finally {
      await keystone.accept();
    }
    const next = await login('refused');
    expect(next.errors).toBeUndefined();
    expect(next.data?.login.token).toEqual(expect.any(String));
  });

  it('the gateway is still serving', async () => {
    const health = await fetch(`${harness.gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('no unhandled rejection and no uncaught exception', async () => {
    await settle();
    expect(watch.seen).toEqual([]);
  });

  it('no password, token or secret key in any log line', () => {
    expect(harness.logLines.length).toBeGreaterThan(0);
    // Also handed to the run-wide audit: decoy tokens never pass through GraphQL data.
    recordSecrets([...keystone.secrets, ...multicloud.secrets]);
    expectNoSecretsIn(harness.logLines, [...keystone.secrets, ...multicloud.secrets]);
  });

  /** The failed call is in the gateway's log, under the request id the client was given. */
  function expectLoggedUpstreamFailure(response: GraphQLResponse<unknown>): void {
    const requestId = response.headers.get('x-request-id')!;
    const lines = harness.logLines.filter((line) => line.includes(requestId) && line.includes('upstream call failed'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ upstream: { service: 'keystone' } });
  }
});
