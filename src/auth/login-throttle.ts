import { ErrorCode } from '../errors/error-code';
import { GatewayError } from '../errors/gateway-error';
import { KeyValueStore } from '../state/key-value-store';

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * Slows password guessing: after too many failed logins for one user name, or from one client
 * address, further attempts are refused until the window ends. Only failures count, and every
 * window ends, so a guesser can delay a user's login by a few minutes but never lock it out.
 * Counts live in the shared store, so replicas behind a load balancer count together.
 */
export class LoginThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: LoginThrottleOptions,
  ) {}

  /** Throws `TOO_MANY_REQUESTS` when either counter is at its limit. */
  async check(user: string, address: string): Promise<void> {
    const [byUser, byAddress] = await Promise.all([
      this.store.peekCounter(userKey(user)),
      this.store.peekCounter(addressKey(address)),
    ]);
    const waitMs = Math.max(
      byUser.count >= this.options.maxFailuresPerUser ? byUser.resetInMs : 0,
      byAddress.count >= this.options.maxFailuresPerAddress ? byAddress.resetInMs : 0,
    );
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
