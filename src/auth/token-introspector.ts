import { createHash } from 'node:crypto';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { TokenDetails } from '../upstreams/keystone/keystone.types';

export type CacheLookup = 'hit' | 'shared' | 'miss';

export interface TokenIntrospectorOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
  /** Told how each introspection was answered, for metrics. */
  onLookup?: (result: CacheLookup) => void;
}

interface CacheEntry {
  details: TokenDetails;
  expiresAt: number;
}

/**
 * Introspects caller tokens with Keystone, at most once per token per cache lifetime across
 * all requests. Keys are SHA-256 hashes so the cache never holds a token; an entry never
 * outlives its token; concurrent first requests share one Keystone call; failures are not kept.
 */
export class TokenIntrospector {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<TokenDetails>>();
  private readonly now: () => number;

  constructor(
    private readonly keystone: KeystoneClient,
    private readonly options: TokenIntrospectorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  introspect(token: string, keystone: KeystoneClient = this.keystone): Promise<TokenDetails> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) {
      this.options.onLookup?.('hit');
      return Promise.resolve(cached.details);
    }
    if (cached) this.cache.delete(key);

    const pending = this.inFlight.get(key);
    if (pending) {
      this.options.onLookup?.('shared');
      return pending;
    }
    this.options.onLookup?.('miss');
    const lookup = keystone
      .validateToken(token)
      .then((details) => {
        this.remember(key, details);
        return details;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Drops a token, e.g. after it was revoked through the gateway. */
  forget(token: string): void {
    this.cache.delete(createHash('sha256').update(token).digest('base64url'));
  }

  get size(): number {
    return this.cache.size;
  }

  private remember(key: string, details: TokenDetails): void {
    if (this.options.maxEntries === 0 || this.options.ttlMs === 0) return;
    const expiresAt = Math.min(this.now() + this.options.ttlMs, details.expiresAt.getTime());
    if (expiresAt <= this.now()) return;
    // Map keeps insertion order: the first key is the oldest, evicted when full.
    while (this.cache.size >= this.options.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    this.cache.set(key, { details, expiresAt });
  }
}
