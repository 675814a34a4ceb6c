import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createLogger } from '../../src/observability/logger';
import { ExpirySweeper } from '../../src/services/expiry-sweeper';
import { RedisStore } from '../../src/state/redis-store';
import { CredentialsClient } from '../../src/upstreams/credentials/credentials-client';
import { manualClock } from '../support/manual-clock';
import { describeWithRedis } from '../support/real-redis';

describeWithRedis('RedisStore against a real Redis', (redisUrl) => {
  let store: RedisStore;
  let other: RedisStore;
  /** Redis itself, to read what the store asked of it. */
  let raw: Redis;
  const prefix = `test-${randomUUID()}:`;

  beforeAll(() => {
    // Two clients, as two replicas have; a fresh prefix keeps runs apart.
    store = new RedisStore(redisUrl, prefix);
    other = new RedisStore(redisUrl, prefix);
    raw = new Redis(redisUrl);
  });
  afterAll(async () => {
    await store.close();
    await other.close();
    raw.disconnect();
  });

  // Redis expires keys by its own clock: what the store owes is the expiry it sets, read here
  // instead of waiting it out.
  it('keeps a value for its time to live, and no longer', async () => {
    await store.set('a', 'one', 200_000);
    expect(await other.get('a')).toBe('one');
    const ttlMs = await raw.pttl(`${prefix}a`);
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(200_000);
    await store.set('b', 'two', 0.2);
    expect(await raw.pttl(`${prefix}b`)).toBeLessThanOrEqual(1);
  });

  it('lets exactly one of many concurrent takers have a value', async () => {
    await store.set('link', 'grant', 10_000);
    const takes = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? store : other).take('link')));
    expect(takes.filter((value) => value === 'grant')).toHaveLength(1);
    expect(takes.filter((value) => value === undefined)).toHaveLength(19);
  });

  // Regression: check-then-count let 50 concurrent logins through a limit of 5 (security review, finding 2).
  it('reserves below a limit atomically across clients, and releases', async () => {
    const reservations = await Promise.all(
      Array.from({ length: 50 }, (_, index) => (index % 2 ? store : other).reserve('r', 5, 60_000)),
    );
    expect(reservations.filter((reservation) => reservation.reserved)).toHaveLength(5);
    expect(reservations.filter((reservation) => !reservation.reserved).every((reservation) => reservation.count === 5)).toBe(
      true,
    );
    expect(await raw.pttl(`${prefix}r`)).toBeGreaterThan(0);
    await other.release('r');
    expect((await store.reserve('r', 5, 60_000)).reserved).toBe(true);
    await store.release('absent');
    expect(await raw.get(`${prefix}absent`)).toBeNull();
  });

  it('counts across clients in a window that starts at the first hit', async () => {
    const counts = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 ? store : other).increment('c', 5_000)));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const peek = await other.peekCounter('c');
    expect(peek.count).toBe(10);
    expect(peek.resetInMs).toBeGreaterThan(0);
    expect(peek.resetInMs).toBeLessThanOrEqual(5_000);
    expect(await raw.pttl(`${prefix}c`)).toBeGreaterThan(0);
    await store.delete('c');
    expect(await other.peekCounter('c')).toEqual({ count: 0, resetInMs: 0 });
  });

  it('sets a key only when absent, for one of many concurrent clients, and deletes it only for its owner', async () => {
    const owners = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 ? store : other).setIfAbsent('lock', `owner-${index}`, 60_000)),
    );
    expect(owners.filter(Boolean)).toHaveLength(1);
    const winner = `owner-${owners.indexOf(true)}`;
    expect(await raw.pttl(`${prefix}lock`)).toBeGreaterThan(0);
    await other.deleteIfEquals('lock', 'someone-else');
    expect(await store.get('lock')).toBe(winner);
    await other.deleteIfEquals('lock', winner);
    expect(await store.get('lock')).toBeUndefined();
  });
});

describeWithRedis('expiry sweepers sharing one Redis', (redisUrl) => {
  it('only one of two replicas sweeps a round; the next round is open again', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:30Z'));
    const prefix = `sweep-${randomUUID()}:`;
    const stores = [new RedisStore(redisUrl, prefix), new RedisStore(redisUrl, prefix)];
    const listed: string[] = [];
    const sweepers = stores.map((lockStore, replica) => {
      const credentials = {
        withRequestId: () => credentials,
        listCredentials: async () => {
          listed.push(`replica ${replica}`);
          return [];
        },
      } as unknown as CredentialsClient;
      return new ExpirySweeper({
        intervalMs: 60_000,
        serviceToken: async () => 'service-token',
        credentials,
        audit: { record: () => undefined },
        lockStore,
        logger: createLogger('silent'),
        now: clock.now,
      });
    });
    try {
      const first = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      expect(first.filter((result) => result.swept)).toHaveLength(1);
      expect(listed).toHaveLength(1);
      clock.advance(60_000);
      const second = await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      expect(second.filter((result) => result.swept)).toHaveLength(1);
      expect(listed).toHaveLength(2);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
