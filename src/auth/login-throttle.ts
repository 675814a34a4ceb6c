import { ErrorCode } from '../errors/error-code';
import { GatewayError } from '../errors/gateway-error';

/** Counts of failures per key in a fixed window; shared by replicas when backed by Redis. */
export interface CounterStore {
  /** Adds one to `key` and returns the new count; the count resets `windowMs` after its first hit. */
  increment(key: string, windowMs: number): Promise<number>;
  /** The current count and the milliseconds until it resets. */
  peek(key: string): Promise<{ count: number; resetInMs: number }>;
  delete(key: string): Promise<void>;
}

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * Slows password guessing: after too many failed logins for one user name, or from one client
 * address, further attempts are refused until the window ends. Only failures count, and every
 * window ends, so a guesser can delay a user's login by a few minutes but never lock it out.
 */
export class LoginThrottle {
  constructor(
    private readonly store: CounterStore,
    private readonly options: LoginThrottleOptions,
  ) {}

  /** Throws `TOO_MANY_REQUESTS` when either counter is at its limit. */
  async check(user: string, address: string): Promise<void> {
    const [byUser, byAddress] = await Promise.all([this.store.peek(userKey(user)), this.store.peek(addressKey(address))]);
    const blocked = [
      byUser.count >= this.options.maxFailuresPerUser ? byUser.resetInMs : 0,
      byAddress.count >= this.options.maxFailuresPerAddress ? byAddress.resetInMs : 0,
    ];
    const waitMs = Math.max(...blocked);
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      throw new GatewayError(ErrorCode.TooManyRequests, `Too many failed logins. Try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      });
    }
  }

  async recordFailure(user: string, address: string): Promise<void> {
    await Promise.all([
      this.store.increment(userKey(user), this.options.windowMs),
      this.store.increment(addressKey(address), this.options.windowMs),
    ]);
  }

  /** A success clears the user's count (not the address's: one good account must not launder guesses). */
  async recordSuccess(user: string): Promise<void> {
    await this.store.delete(userKey(user));
  }
}

const userKey = (user: string) => `login:user:${user.toLowerCase()}`;
const addressKey = (address: string) => `login:address:${address}`;

/** The in-process store: right for one replica; bounded so a flood of names cannot grow it. */
export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, windowMs: number): Promise<number> {
    const now = this.now();
    const current = this.counters.get(key);
    if (current && current.resetAt > now) {
      current.count += 1;
      return current.count;
    }
    this.counters.delete(key);
    while (this.counters.size >= this.maxKeys) this.counters.delete(this.counters.keys().next().value as string);
    this.counters.set(key, { count: 1, resetAt: now + windowMs });
    return 1;
  }

  async peek(key: string): Promise<{ count: number; resetInMs: number }> {
    const current = this.counters.get(key);
    const now = this.now();
    if (!current || current.resetAt <= now) return { count: 0, resetInMs: 0 };
    return { count: current.count, resetInMs: current.resetAt - now };
  }

  async delete(key: string): Promise<void> {
    this.counters.delete(key);
  }
}
