import { ErrorCode } from '../errors/error-code';
import { GatewayError } from '../errors/gateway-error';
import { KeyValueStore, Reservation } from '../state/key-value-store';

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/** How a login names its user: by id, or by name within a domain. */
export type LoginName = { id: string } | { name: string; domainName: string };

/** Who a successful login turned out to be. */
export interface LoggedInUser {
  id: string;
  name: string;
  domainName: string;
}

/** One login attempt's reservations, settled by what Keystone answered. */
export interface LoginAttempt {
  /** The password was right: the account's count is cleared and the address learns the account. */
  succeeded(user: LoggedInUser): Promise<void>;
  /** The password was wrong: the reservations stay, as counted failures. */
  failed(): Promise<void>;
  /** No verdict (Keystone down, bad input): the reservations are given back. */
  abandoned(): Promise<void>;
}

/** How long an address remembers an account that logged in from it; and a name, the account's id. */
const MEMORY_MS = 30 * 24 * 3_600_000;

/**
 * Slows password guessing. Each attempt reserves a slot on the account's counter and on the
 * client address's counter before Keystone is asked, atomically, so concurrent guesses can never
 * have more than the limit in flight or counted; a wrong password keeps the slot, anything else
 * gives it back.
 *
 * - The account is counted once whichever way it is named: a user name that has logged in before
 *   is known to be its id. (A name never seen to succeed is counted under the name.)
 * - The per-address rule stops one address from spraying many accounts, but an account that has
 *   logged in from that address before is exempt from it (the per-account rule still applies): a
 *   guesser behind the same NAT or proxy cannot lock out the people who use it.
 * - Every window ends: a guesser can delay a login by a few minutes, never lock it out for good.
 *
 * Counts live in a store of their own (memory, or Redis shared by replicas), apart from download
 * links, so filling one cannot evict the other.
 */
export class LoginThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: LoginThrottleOptions,
  ) {}

  /** Reserves this attempt, or throws `TOO_MANY_REQUESTS` with the wait. */
  async begin(login: LoginName, address: string): Promise<LoginAttempt> {
    const account = await this.accountKey(login);
    const { maxFailuresPerUser, maxFailuresPerAddress, windowMs } = this.options;
    const byAccount = await this.store.reserve(account, maxFailuresPerUser, windowMs);
    if (!byAccount.reserved) throw tooMany(byAccount);
    const exempt = (await this.store.get(knownKey(address, account))) !== undefined;
    if (!exempt) {
      const byAddress = await this.store.reserve(addressKey(address), maxFailuresPerAddress, windowMs);
      if (!byAddress.reserved) {
        await this.store.release(account);
        throw tooMany(byAddress);
      }
    }
    const releaseAll = async () => {
      await Promise.all([this.store.release(account), exempt ? undefined : this.store.release(addressKey(address))]);
    };
    return {
      succeeded: async (user) => {
        // The account's earlier failures go; the address's do not (one good account must not
        // launder guesses at others).
        const idKey = accountIdKey(user.id);
        await Promise.all([
          this.store.delete(account),
          account === idKey ? undefined : this.store.delete(idKey),
          exempt ? undefined : this.store.release(addressKey(address)),
          this.store.set(aliasKey(user.domainName, user.name), user.id, MEMORY_MS),
          this.store.set(knownKey(address, idKey), '1', MEMORY_MS),
        ]);
      },
      failed: async () => {},
      abandoned: releaseAll,
    };
  }

  private async accountKey(login: LoginName): Promise<string> {
    if ('id' in login) return accountIdKey(login.id);
    const id = await this.store.get(aliasKey(login.domainName, login.name));
    return id === undefined ? `login:name:${login.domainName.toLowerCase()}/${login.name.toLowerCase()}` : accountIdKey(id);
  }
}

function tooMany(reservation: Reservation): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(reservation.resetInMs / 1000));
  return new GatewayError(ErrorCode.TooManyRequests, `Too many failed logins. Try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}

const accountIdKey = (id: string) => `login:id:${id.toLowerCase()}`;
const aliasKey = (domainName: string, name: string) => `login:alias:${domainName.toLowerCase()}/${name.toLowerCase()}`;
const addressKey = (address: string) => `login:address:${address}`;
const knownKey = (address: string, account: string) => `login:known:${address}|${account}`;
