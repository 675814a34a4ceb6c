/**
 * `akSkEvents` through the real gateway with the audit trail in a real Redis Stream, and the
 * stream's bound (`AUDIT_STREAM_MAX_LEN`).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AuditEvent } from '../../src/observability/audit-trail';
import { RedisAuditStream } from '../../src/state/redis-audit-stream';
import { Caller, loginDemoUsers } from '../support/demo-callers';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { ACTIVATE_AK_SK, AK_SK_EVENTS, AkSkEventResult, AkSkResult, CREATE_AK_SK, DEACTIVATE_AK_SK } from '../support/operations';
import { describeWithRedis } from '../support/real-redis';

describeWithRedis('akSkEvents from the Redis Stream', (redisUrl) => {
  let harness: GatewayHarness;
  let callers: Record<'admin' | 'alice' | 'bob', Caller>;
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await startGatewayHarness({
      env: { AKSK_BACKEND: 'keystone', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `audit-e2e-${randomUUID()}:` },
    });
    callers = await loginDemoUsers(harness, secrets);
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  const events = async (caller: Caller, userId: string, first?: number) =>
    harness.graphql<{ akSkEvents: AkSkEventResult[] }>(AK_SK_EVENTS, { userId, first }, { token: caller.token });

  it('returns the changes of a pair newest first, members for themselves and admins for anyone', async () => {
    const { alice: owner, admin: operator, bob: other } = callers;
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: owner.userId } },
        { token: owner.token },
      ),
    ).createAkSk;
    secrets.push(created.secretKey);
    const deactivated = await harness.graphql(DEACTIVATE_AK_SK, { accessKey: created.accessKey }, { token: operator.token });
    dataOf(deactivated);
    const refused = await harness.graphql(ACTIVATE_AK_SK, { accessKey: created.accessKey }, { token: other.token });
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const own = dataOf(await events(owner, owner.userId)).akSkEvents;
    expect(own.map((event) => [event.event, event.outcome])).toEqual([
      ['aksk.deactivated', 'SUCCESS'],
      ['aksk.created', 'SUCCESS'],
    ]);
    expect(own[0]).toEqual({
      event: 'aksk.deactivated',
      accessKey: created.accessKey,
      userId: owner.userId,
      projectId: owner.projectId,
      initiator: { service: false, userId: operator.userId, projectId: operator.projectId },
      outcome: 'SUCCESS',
      errorCode: null,
      requestId: deactivated.headers.get('x-request-id'),
      time: expect.any(String),
    });
    expect(Date.parse(own[0].time)).toBeGreaterThanOrEqual(Date.parse(own[1].time));
    expect(dataOf(await events(owner, owner.userId, 1)).akSkEvents).toEqual([own[0]]);

    // Bob's refused attempt is his own trail (the owner stays unknown to it), not Alice's.
    const bobs = dataOf(await events(other, other.userId)).akSkEvents;
    expect(bobs).toEqual([
      expect.objectContaining({
        event: 'aksk.activated',
        accessKey: created.accessKey,
        userId: null,
        outcome: 'FAILURE',
        errorCode: 'NOT_FOUND',
      }),
    ]);

    expect(dataOf(await events(operator, owner.userId)).akSkEvents).toEqual(own);
    const forbidden = await events(other, owner.userId);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(forbidden.data).toBeNull();
  });

  it('refuses a first outside 1 to 1000', async () => {
    const { alice: owner } = callers;
    for (const first of [0, 1001]) {
      expect((await events(owner, owner.userId, first)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describeWithRedis('RedisAuditStream against a real Redis', (redisUrl) => {
  const key = `audit-stream-test-${randomUUID()}`;
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(redisUrl);
  });
  afterAll(async () => {
    await raw.del(key);
    raw.disconnect();
  });

  const eventNumber = (index: number, userId: string): AuditEvent => ({
    event: 'aksk.updated',
    accessKey: `AK${index}`,
    userId,
    projectId: 'p-demo',
    initiator: { userId, projectId: 'p-demo' },
    outcome: 'success',
    requestId: `req-${index}`,
    time: new Date(Date.UTC(2030, 0, 1, 0, 0, index)).toISOString(),
  });

  it('stays about AUDIT_STREAM_MAX_LEN long, keeping the newest, and finds one user among many', async () => {
    const stream = new RedisAuditStream(redisUrl, key, 100);
    for (let index = 0; index < 1200; index += 1) {
      await stream.append(eventNumber(index, 'u-bob'));
    }
    const length = await raw.xlen(key);
    // MAXLEN ~ trims whole nodes of the stream (100 entries each by default): a little over 100 stays.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(300);
    const newest = await stream.latest('u-bob', 3);
    expect(newest.map((event) => event.accessKey)).toEqual(['AK1199', 'AK1198', 'AK1197']);
    await stream.close();
  });

  it('pages back past a batch to find a user whose events are far apart, newest first', async () => {
    const wide = `${key}-wide`;
    const stream = new RedisAuditStream(redisUrl, wide, 10_000);
    for (let index = 0; index < 1500; index += 1) {
      await stream.append(eventNumber(index, index % 700 === 3 ? 'u-alice' : 'u-bob'));
    }
    expect((await stream.latest('u-alice', 50)).map((event) => event.accessKey)).toEqual(['AK1403', 'AK703', 'AK3']);
    await stream.close();
    await raw.del(wide);
  });
});
