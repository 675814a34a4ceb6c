import Redis from 'ioredis';
import { KeyValueStore, Reservation } from './key-value-store';

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
    this.redis.defineCommand('reserveBelow', {
      numberOfKeys: 1,
      // Check and add in one script: no replica can slip in between.
      lua: `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return {0, count, redis.call('PTTL', KEYS[1])} end
count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, count, redis.call('PTTL', KEYS[1])}`,
    });
    this.redis.defineCommand('deleteIfEquals', {
      numberOfKeys: 1,
      lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
    });
    this.redis.defineCommand('releaseOne', {
      numberOfKeys: 1,
      lua: "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end return 0",
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

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    const redis = this.redis as Redis & { deleteIfEquals(key: string, value: string): Promise<number> };
    await redis.deleteIfEquals(this.prefix + key, value);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const redis = this.redis as Redis & { incrementWindow(key: string, windowMs: number): Promise<number> };
    return redis.incrementWindow(this.prefix + key, Math.max(1, Math.ceil(windowMs)));
  }

  async reserve(key: string, limit: number, windowMs: number): Promise<Reservation> {
    const redis = this.redis as Redis & {
      reserveBelow(key: string, limit: number, windowMs: number): Promise<[number, number, number]>;
    };
    const [reserved, count, ttl] = await redis.reserveBelow(this.prefix + key, limit, Math.max(1, Math.ceil(windowMs)));
    return { reserved: reserved === 1, count, resetInMs: Math.max(0, ttl) };
  }

  async release(key: string): Promise<void> {
    const redis = this.redis as Redis & { releaseOne(key: string): Promise<number> };
    await redis.releaseOne(this.prefix + key);
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
