import { hash } from 'node:crypto';
import { KeyValueStore } from '../state/key-value-store';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { TokenDetails } from '../upstreams/keystone/keystone.types';

export type CacheLookup = 'hit' | 'shared' | 'miss';

export interface TokenIntrospectorOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
  /** Told how each introspection was answered, for metrics. */
  onLookup?: (result: CacheLookup) => void;
  /** A cache shared by replicas (Redis), asked when this process has no entry. */
  sharedCache?: KeyValueStore;
}

interface CacheEntry {
  details: TokenDetails;
  expiresAt: number;
}

/**
 * Introspects caller tokens with Keystone, at most once per token per cache lifetime across
 * all requests (and, with a shared cache, across replicas). Keys are SHA-256 hashes so no cache
 * holds a token; an entry never outlives its token; concurrent first requests share one
 * Keystone call; failures are not kept.
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
    const key = hashOf(token);
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
    const lookup = this.lookUp(key, token, keystone).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Drops a token, e.g. after it was revoked through the gateway. */
  async forget(token: string): Promise<void> {
    const key = hashOf(token);
    this.cache.delete(key);
    await this.options.sharedCache?.delete(sharedKey(key));
  }

  get size(): number {
    return this.cache.size;
  }

  private async lookUp(key: string, token: string, keystone: KeystoneClient): Promise<TokenDetails> {
    const shared = await this.readShared(key);
    if (shared) {
      this.options.onLookup?.('hit');
      this.remember(key, shared);
      return shared;
    }
    this.options.onLookup?.('miss');
    const details = await keystone.validateToken(token);
    const expiresAt = this.remember(key, details);
    if (expiresAt !== undefined && this.options.sharedCache) {
      await this.options.sharedCache.set(sharedKey(key), JSON.stringify(details), expiresAt - this.now()).catch(() => {
        // A shared cache that is down costs a Keystone call per replica, nothing more.
      });
    }
    return details;
  }

  private async readShared(key: string): Promise<TokenDetails | undefined> {
    const text = await this.options.sharedCache?.get(sharedKey(key)).catch(() => undefined);
    if (!text) return undefined;
    const parsed = JSON.parse(text) as TokenDetails & { expiresAt: string; issuedAt: string };
    return { ...parsed, expiresAt: new Date(parsed.expiresAt), issuedAt: new Date(parsed.issuedAt) };
  }

  /** Caches the details until the earlier of TTL and token expiry; returns when, if cached. */
  private remember(key: string, details: TokenDetails): number | undefined {
    if (this.options.maxEntries === 0 || this.options.ttlMs === 0) return undefined;
    const expiresAt = Math.min(this.now() + this.options.ttlMs, details.expiresAt.getTime());
    if (expiresAt <= this.now()) return undefined;
    // Map keeps insertion order: the first key is the oldest, evicted when full.
    while (this.cache.size >= this.options.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    this.cache.set(key, { details, expiresAt });
    return expiresAt;
  }
}

function hashOf(token: string): string {
  return hash('sha256', token, 'base64url');
}

const sharedKey = (hash: string) => `token:${hash}`;
