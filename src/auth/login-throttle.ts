import { ErrorCode } from '../errors/error-code';
import { GatewayError } from '../errors/gateway-error';
import { KeyValueStore, Reservation } from '../state/key-value-store';

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  /**
   * The id of the user a login by name means, `undefined` for a name Keystone does not know or
   * when it cannot tell (see `UserIdLookup`). Without it, a name is known to be its id only
   * once it has logged in.
   */
  userIdOf?: (name: string, domainName: string) => Promise<string | undefined>;
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
 * - The account is counted once whichever way it is named: a name is resolved to its user id
 *   (`userIdOf`) before anything is counted, so guesses by name and by id share one limit. A
 *   name Keystone does not know is counted under the name, with the same limit and answers, so
 *   the throttle tells no one which names exist. (Without `userIdOf`, a name is known to be its
 *   id once it has logged in; until then it is counted under the name.)
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
    const { maxFailuresPerUser, maxFailuresPerAddress, windowMs } = this.options;
    // The address first, by the login as given: a locked address costs Keystone no lookup.
    const exempt = (await this.store.get(knownKey(address, keyAsGiven(login)))) !== undefined;
    if (!exempt) {
      const byAddress = await this.store.reserve(addressKey(address), maxFailuresPerAddress, windowMs);
      if (!byAddress.reserved) throw tooMany(byAddress);
    }
    const releaseAddress = async () => {
      if (!exempt) await this.store.release(addressKey(address));
    };
    let account: string;
    try {
      account = await this.accountKey(login);
    } catch (error) {
      await releaseAddress();
      throw error;
    }
    const byAccount = await this.store.reserve(account, maxFailuresPerUser, windowMs);
    if (!byAccount.reserved) {
      await releaseAddress();
      throw tooMany(byAccount);
    }
    return {
      succeeded: async (user) => {
        // The account's earlier failures go; the address's do not (one good account must not
        // launder guesses at others).
        const idKey = accountIdKey(user.id);
        const nameKey = accountNameKey(user.domainName, user.name);
        await Promise.all([
          this.store.delete(account),
          account === idKey ? undefined : this.store.delete(idKey),
          releaseAddress(),
          this.options.userIdOf ? undefined : this.store.set(aliasKey(user.domainName, user.name), user.id, MEMORY_MS),
          this.store.set(knownKey(address, idKey), '1', MEMORY_MS),
          this.store.set(knownKey(address, nameKey), '1', MEMORY_MS),
        ]);
      },
      failed: async () => {},
      abandoned: async () => {
        await Promise.all([this.store.release(account), releaseAddress()]);
      },
    };
  }

  private async accountKey(login: LoginName): Promise<string> {
    if ('id' in login) return accountIdKey(login.id);
    const { name, domainName } = login;
    const id = this.options.userIdOf
      ? await this.options.userIdOf(name, domainName)
      : await this.store.get(aliasKey(domainName, name));
    return id === undefined ? accountNameKey(domainName, name) : accountIdKey(id);
  }
}

function tooMany(reservation: Reservation): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(reservation.resetInMs / 1000));
  return new GatewayError(ErrorCode.TooManyRequests, `Too many failed logins. Try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}

const accountIdKey = (id: string) => `login:id:${id.toLowerCase()}`;
const accountNameKey = (domainName: string, name: string) => `login:name:${domainName.toLowerCase()}/${name.toLowerCase()}`;
const keyAsGiven = (login: LoginName) => ('id' in login ? accountIdKey(login.id) : accountNameKey(login.domainName, login.name));
const aliasKey = (domainName: string, name: string) => `login:alias:${domainName.toLowerCase()}/${name.toLowerCase()}`;
const addressKey = (address: string) => `login:address:${address}`;
const knownKey = (address: string, account: string) => `login:known:${address}|${account}`;
