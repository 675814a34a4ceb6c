/**
 * The multicloud AK/SK service misbehaving while Keystone behaves, through the real gateway:
 * every fault against `akSk` and `createAkSk`, with the caller's token introspected for real
 * (no `projectId` given, so the project comes from the token). All faults run at once, each
 * aimed at its own user, then each is checked on its own.
 */
import { dataOf, GatewayHarness, GraphQLResponse } from '../support/gateway-harness';
import { MisbehavingUpstream, PROJECT } from '../support/misbehaving-upstream';
import { AK_SK, AkSkResult, AuthTokenResult, CREATE_AK_SK, LOGIN } from '../support/operations';
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

type ListResponse = GraphQLResponse<{ akSk: AkSkResult[] }>;
type CreateResponse = GraphQLResponse<{ createAkSk: AkSkResult }>;

interface Outcome<T> {
  first: T;
  /** Calls to the multicloud route under test made by the faulty request. */
  multicloudCalls: number;
  /** Keystone token validations for this user, all its requests included. */
  validations: number;
  /** Keystone user look-ups made by the faulty request. */
  userLookups: number;
  /** The same request once the multicloud service behaves again. */
  next: T;
  /** The access key of the pair made before the fault, for `akSk`. */
  existingAccessKey?: string;
}

describe('the multicloud service misbehaving, Keystone healthy', () => {
  let keystone: MisbehavingUpstream;
  let multicloud: MisbehavingUpstream;
  let harness: GatewayHarness;
  let rig: FaultRig;
  const lists = new Map<string, Outcome<ListResponse>>();
  const creates = new Map<string, Outcome<CreateResponse>>();

  async function tokenFor(name: string): Promise<string> {
    const response = await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
      input: { username: name, password: keystone.password },
    });
    return dataOf(response).login.token;
  }

  async function listThrough(fault: FaultCase): Promise<Outcome<ListResponse>> {
    const name = `list-${fault.label}`;
    const token = await tokenFor(name);
    const existing = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId: `uid-${name}` } }, { token }),
    ).createAkSk;
    const list = (): Promise<ListResponse> => harness.graphql(AK_SK, { userId: `uid-${name}` }, { token });
    const listsBefore = multicloud.count({ route: 'listAkSks', subject: name });
    multicloud.misbehaveFor(name, fault.fault, fault.options);
    const first = await list();
    const multicloudCalls = multicloud.count({ route: 'listAkSks', subject: name }) - listsBefore;
    const userLookups = keystone.count({ route: 'getUser', subject: name });
    multicloud.behave(name);
    const next = await list();
    const validations = keystone.count({ route: 'validateToken', subject: name });
    return { first, multicloudCalls, validations, userLookups, next, existingAccessKey: existing.accessKey };
  }

  async function createThrough(fault: FaultCase): Promise<Outcome<CreateResponse>> {
    const name = `create-${fault.label}`;
    const token = await tokenFor(name);
    const create = (): Promise<CreateResponse> => harness.graphql(CREATE_AK_SK, { input: { userId: `uid-${name}` } }, { token });
    multicloud.misbehaveFor(name, fault.fault, fault.options);
    const first = await create();
    const multicloudCalls = multicloud.count({ route: 'createAkSk', subject: name });
    const userLookups = keystone.count({ route: 'getUser', subject: name });
    multicloud.behave(name);
    const next = await create();
    const validations = keystone.count({ route: 'validateToken', subject: name });
    return { first, multicloudCalls, validations, userLookups, next };
  }

  beforeAll(async () => {
    rig = await startFaultRig();
    ({ keystone, multicloud, harness } = rig);
    // A first request pays for lazy set-up (JIT, connections); it must not count against a fault.
    await listThrough({ label: 'warm-up', fault: 'slow', options: { delayMs: 0 }, expected: { outcome: 'success' } });
    await inParallel(
      [
        ...FAULT_CASES.map((fault) => async () => void lists.set(fault.label, await listThrough(fault))),
        ...FAULT_CASES.map((fault) => async () => void creates.set(fault.label, await createThrough(fault))),
      ],
      (flow) => flow(),
    );
  });
  afterAll(() => rig?.close());

  describe.each(FAULT_CASES)('$label', (fault) => {
    it('akSk: a coded error naming the multicloud service, then the list again', () => {
      const { first, multicloudCalls, validations, userLookups, next, existingAccessKey } = lists.get(fault.label)!;
      const expected = fault.expected;
      expect(first.status).toBe(200);
      expect(multicloudCalls).toBeGreaterThanOrEqual(1);
      // The project comes from the token: the healthy Keystone side really was asked.
      expect(validations).toBeGreaterThanOrEqual(1);
      if (expected.outcome === 'success') {
        expect(first.errors).toBeUndefined();
        expect(first.data?.akSk.map((pair) => pair.accessKey)).toEqual([existingAccessKey]);
      } else {
        expect(first.data).toBeNull();
        expectUpstreamError(first.errors, expected, 'multicloud', 200);
        expectLoggedUpstreamFailure(harness, first, 'multicloud');
        expect(userLookups).toBe(0);
      }
      expect(next.status).toBe(200);
      expect(next.errors).toBeUndefined();
      expect(next.data?.akSk).toEqual([
        expect.objectContaining({ accessKey: existingAccessKey, userId: `uid-list-${fault.label}`, projectId: PROJECT.id }),
      ]);
    });

    it('createAkSk: a coded error naming the multicloud service, sent once, then a new pair', () => {
      const { first, multicloudCalls, validations, next } = creates.get(fault.label)!;
      expect(first.status).toBe(200);
      // Creating a key pair is not idempotent: a broken answer must not be retried.
      expect(multicloudCalls).toBe(1);
      expect(validations).toBeGreaterThanOrEqual(1);
      if (fault.expected.outcome === 'success') {
        expect(first.errors).toBeUndefined();
        expect(first.data?.createAkSk.secretKey).toHaveLength(32);
      } else {
        expect(first.data).toBeNull();
        expectUpstreamError(first.errors, fault.expected, 'multicloud', 200);
        expectLoggedUpstreamFailure(harness, first, 'multicloud');
      }
      expect(next.status).toBe(200);
      expect(next.errors).toBeUndefined();
      expect(next.data?.createAkSk).toMatchObject({ userId: `uid-create-${fault.label}`, projectId: PROJECT.id, type: 'ec2' });
      expect(next.data?.createAkSk.accessKey).toHaveLength(16);
    });
  });

  it('huge bodies are dropped early, not read to the end', () => {
    const huge = multicloud.matching({ fault: 'huge-body' });
    expect(huge.length).toBeGreaterThanOrEqual(2);
    for (const request of huge) expect(request.outcome).toBe('abandoned');
  });

  it('refused connections: UPSTREAM_UNAVAILABLE at once, then both operations work again', async () => {
    const token = await tokenFor('refused');
    const list = () => harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: 'uid-refused' }, { token });
    const create = () =>
      harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId: 'uid-refused' } }, { token });
    await multicloud.refuse();
    try {
      const refused = await Promise.all([list(), create()]);
      for (const value of refused) {
        expect(value.status).toBe(200);
        expect(value.data).toBeNull();
        expect(value.errors?.[0].extensions).toEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: { service: 'multicloud', status: null, requestId: null },
        });
        expect(value.errors?.[0].message).toBe('The multicloud service cannot be reached.');
      }
    } finally {
      await multicloud.accept();
    }
    const created = await create();
    expect(created.errors).toBeUndefined();
    const listed = await list();
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.akSk.map((pair) => pair.accessKey)).toEqual([created.data?.createAkSk.accessKey]);
  });

  it('pairs were made, so the log audit had secret keys to look for', () => {
    expect(multicloud.secretKeys.length).toBeGreaterThan(0);
  });

  describeAftermath(() => rig);
});
