/**
 * Keystone misbehaving, through the real gateway: every fault against `login`, and against the
 * token introspection that `akSk` needs before the (healthy) multicloud service is called.
 * All faults run at once, each aimed at its own user, then each is checked on its own.
 */
import { dataOf, GatewayHarness, GraphQLResponse } from '../support/gateway-harness';
import { MisbehavingUpstream } from '../support/misbehaving-upstream';
import { AK_SK, AkSkResult, AuthTokenResult, LOGIN } from '../support/operations';
import {
  describeAftermath,
  expectLoggedUpstreamFailure,
  expectUpstreamError,
  FAULT_CASES,
  FaultCase,
  FaultRig,
  inParallel,
  startFaultRig,
} from './fault-kit';

type LoginResponse = GraphQLResponse<{ login: AuthTokenResult }>;
type AkSkResponse = GraphQLResponse<{ akSk: AkSkResult[] }>;

interface Outcome<T> {
  first: T;
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
  let rig: FaultRig;
  const logins = new Map<string, Outcome<LoginResponse>>();
  const introspections = new Map<string, Outcome<AkSkResponse>>();

  const login = (name: string): Promise<LoginResponse> =>
    harness.graphql(LOGIN, { input: { username: name, password: keystone.password } });

  async function loginThrough(fault: FaultCase): Promise<Outcome<LoginResponse>> {
    const name = `login-${fault.label}`;
    keystone.misbehaveFor(name, fault.fault, fault.options);
    const first = await login(name);
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
    const first = await list();
    const keystoneCalls = keystone.count({ route: 'validateToken', subject: name });
    const multicloudCalls = multicloud.count({ subject: name });
    keystone.behave(name);
    return { first, keystoneCalls, multicloudCalls, next: await list() };
  }

  beforeAll(async () => {
    rig = await startFaultRig();
    ({ keystone, multicloud, harness } = rig);
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
  afterAll(() => rig?.close());

  describe.each(FAULT_CASES)('$label', (fault) => {
    it('login: a coded error naming Keystone, then a working login', () => {
      const { first, keystoneCalls, multicloudCalls, next } = logins.get(fault.label)!;
      expect(first.status).toBe(200);
      if (fault.expected.outcome === 'success') {
        expect(first.errors).toBeUndefined();
        expect(first.data?.login.token).toEqual(expect.any(String));
      } else {
        expect(first.data).toBeNull();
        expectUpstreamError(first.errors, fault.expected, 'keystone', 201);
        expectLoggedUpstreamFailure(harness, first, 'keystone');
        expect(JSON.stringify(first)).not.toContain(keystone.password);
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
      expect(first.status).toBe(200);
      expect(keystoneCalls).toBeGreaterThanOrEqual(1);
      if (fault.expected.outcome === 'success') {
        expect(first.errors).toBeUndefined();
        expect(first.data?.akSk).toEqual([]);
      } else {
        expect(first.data).toBeNull();
        expectUpstreamError(first.errors, fault.expected, 'keystone', 200);
        expectLoggedUpstreamFailure(harness, first, 'keystone');
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
      const refused = await login('refused');
      expect(refused.status).toBe(200);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0].extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { service: 'keystone', status: null, requestId: null },
      });
      expect(refused.errors?.[0].message).toBe('Keystone cannot be reached.');
    } finally {
      await keystone.accept();
    }
    const next = await login('refused');
    expect(next.errors).toBeUndefined();
    expect(next.data?.login.token).toEqual(expect.any(String));
  });

  describeAftermath(() => rig);
});
