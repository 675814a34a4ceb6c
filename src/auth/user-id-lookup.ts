import { MemoryStore } from '../state/memory-store';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';

export interface UserIdLookupOptions {
  /** How long an answer is reused, "no such user" as long as an id. */
  ttlMs?: number;
  /** Names (and domains) remembered at most; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;
/** Cached for a name or domain Keystone does not know. */
const NONE = '';

/**
 * Which user id a login by name means, asked of Keystone with the service identity
 * (`GET /domains?name=`, then `GET /users?name=&domain_id=`), so the login limit can count an
 * account once whether it is named by name or by id, from the first attempt on.
 *
 * A name Keystone does not know is cached like one it knows, for as long: from outside, the
 * first attempt with any name costs one lookup and the next ones none, so timing tells no
 * known name from an unknown one. Concurrent lookups of one name share one call. The cache is
 * its own bounded map, not the security store: losing an entry costs a lookup, never a count.
 */
export class UserIdLookup {
  private readonly answers: MemoryStore;
  private readonly pending = new Map<string, Promise<string>>();
  private readonly ttlMs: number;

  constructor(
    private readonly keystone: KeystoneClient,
    private readonly serviceToken: () => Promise<string>,
    options: UserIdLookupOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.answers = new MemoryStore(options.maxEntries ?? DEFAULT_MAX_ENTRIES, options.now);
  }

  /** The id of user `name` of domain `domainName`, `undefined` when Keystone knows no such user. */
  async userId(name: string, domainName: string): Promise<string | undefined> {
    const domainId = await this.cached(`domain:${domainName}`, async () => {
      return (await this.keystone.findDomainId(await this.serviceToken(), domainName)) ?? NONE;
    });
    if (domainId === NONE) return undefined;
    const userId = await this.cached(`user:${domainId}/${name}`, async () => {
      const users = await this.keystone.listUsers(await this.serviceToken(), { domainId, name });
      // Names are unique within a domain; anything else is no answer to count by.
      return users.length === 1 ? users[0].id : NONE;
    });
    return userId === NONE ? undefined : userId;
  }

  private async cached(key: string, ask: () => Promise<string>): Promise<string> {
    const known = await this.answers.get(key);
    if (known !== undefined) return known;
    let lookup = this.pending.get(key);
    if (!lookup) {
      lookup = ask()
        .then(async (answer) => {
          await this.answers.set(key, answer, this.ttlMs);
          return answer;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, lookup);
    }
    return lookup;
  }
}
