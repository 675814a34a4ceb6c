import { randomUUID } from 'node:crypto';
import { RedisStore } from '../../src/state/redis-store';
import { describeWithRedis } from '../support/real-redis';

describeWithRedis('RedisStore against a real Redis', (redisUrl) => {
  let store: RedisStore;
  let other: RedisStore;

  beforeAll(() => {
    // Two clients, as two replicas have; a fresh prefix keeps runs apart.
    const prefix = `test-${randomUUID()}:`;
    store = new RedisStore(redisUrl, prefix);
    other = new RedisStore(redisUrl, prefix);
  });
  afterAll(async () => {
    await store.close();
    await other.close();
  });

  it('keeps a value for its time to live', async () => {
    await store.set('a', 'one', 200);
    expect(await other.get('a')).toBe('one');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await other.get('a')).toBeUndefined();
  });

  it('lets exactly one of many concurrent takers have a value', async () => {
    await store.set('link', 'grant', 10_000);
    const takes = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? store : other).take('link')));
    expect(takes.filter((value) => value === 'grant')).toHaveLength(1);
    expect(takes.filter((value) => value === undefined)).toHaveLength(19);
  });

  it('counts across clients in a window that starts at the first hit', async () => {
    const counts = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 ? store : other).increment('c', 5_000)));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const peek = await other.peekCounter('c');
    expect(peek.count).toBe(10);
    expect(peek.resetInMs).toBeGreaterThan(4_000);
    expect(peek.resetInMs).toBeLessThanOrEqual(5_000);
    await store.delete('c');
    expect(await other.peekCounter('c')).toEqual({ count: 0, resetInMs: 0 });
  });
});
