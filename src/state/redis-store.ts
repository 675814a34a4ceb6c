import Redis from 'ioredis';
import { KeyValueStore } from './key-value-store';

/**
 * `KeyValueStore` in Redis, shared by every replica. Each operation is one atomic command
 * (or one script), so two replicas can never both redeem one download link.
 */
export class RedisStore implements KeyValueStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 2,
      // Never print the URL: it may carry a password.
      connectionName: 'aksk-gateway',
    });
    this.redis.defineCommand('incrementWindow', {
      numberOfKeys: 1,
      // SET NX starts the window only on the first hit; INCR counts; PTTL is not needed here.
      lua: "redis.call('SET', KEYS[1], 0, 'PX', ARGV[1], 'NX') return redis.call('INCR', KEYS[1])",
    });
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.prefix + key)) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const redis = this.redis as Redis & { incrementWindow(key: string, windowMs: number): Promise<number> };
    return redis.incrementWindow(this.prefix + key, Math.max(1, Math.ceil(windowMs)));
  }

  async peekCounter(key: string): Promise<{ count: number; resetInMs: number }> {
    const [[, value], [, ttl]] = (await this.redis
      .multi()
      .get(this.prefix + key)
      .pttl(this.prefix + key)
      .exec()) as [[Error | null, string | null], [Error | null, number]];
    if (value === null || ttl <= 0) return { count: 0, resetInMs: 0 };
    return { count: Number(value), resetInMs: ttl };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
