import { MockAgent } from 'undici';
import { TokenIntrospector, TokenIntrospectorOptions } from '../../../src/auth/token-introspector';
import { toClientError } from '../../../src/errors/client-error';
import { ErrorCode } from '../../../src/errors/error-code';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { FAILED_TO_VALIDATE_BODY, FERNET_TOKEN, OTHER_TOKEN, unscopedTokenBody } from '../upstreams/keystone/keystone-fixtures';
import { exactHeaders, strictMockAgent, upstreamFailure, upstreamHttp } from '../upstreams/upstream-test-kit';

const ORIGIN = 'http://keystone.test';
const VALIDATE_PATH = '/identity/v3/auth/tokens?nocatalog=';
const NOW = Date.parse('2026-11-26T04:00:00.000Z');
const HOUR = 3_600_000;

/** A fake Keystone that counts validations per token and answers with a chosen expiry. */
class CountingKeystone {
  readonly calls = new Map<string, number>();
  expiresAt = new Date(NOW + HOUR);
  status = 200;

  constructor(agent: MockAgent) {
    agent
      .get(ORIGIN)
      .intercept({ path: VALIDATE_PATH, method: 'GET' })
      .reply<object>((options) => {
        const token = String((options.headers as Record<string, string>)['x-subject-token']);
        this.calls.set(token, (this.calls.get(token) ?? 0) + 1);
        if (this.status !== 200) return { statusCode: this.status, data: FAILED_TO_VALIDATE_BODY };
        return {
          statusCode: 200,
          data: unscopedTokenBody({
            user: { id: `id-${token.slice(-4)}`, name: 'alice', domain: { id: 'default', name: 'Default' } },
            expires_at: this.expiresAt.toISOString(),
          }),
        };
      })
      .persist();
  }

  count(token: string): number {
    return this.calls.get(token) ?? 0;
  }
}

describe('TokenIntrospector', () => {
  let agent: MockAgent;
  let keystone: KeystoneClient;
  let upstream: CountingKeystone;
  let now: number;
  const introspector = (options: Partial<TokenIntrospectorOptions> = {}) =>
    new TokenIntrospector(keystone, { ttlMs: 60_000, maxEntries: 100, now: () => now, ...options });

  beforeEach(() => {
    now = NOW;
    agent = strictMockAgent();
    keystone = new KeystoneClient(upstreamHttp('keystone', `${ORIGIN}/identity/v3`, agent));
    upstream = new CountingKeystone(agent);
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('answers a second introspection of the same token from the cache', async () => {
    const cache = introspector();
    const first = await cache.introspect(FERNET_TOKEN);
    now += 59_000;
    const second = await cache.introspect(FERNET_TOKEN);
    expect(second).toBe(first);
    expect(first.expiresAt).toEqual(new Date(NOW + HOUR));
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('keeps different tokens apart', async () => {
    const cache = introspector();
    const [a, b] = await Promise.all([cache.introspect(FERNET_TOKEN), cache.introspect(OTHER_TOKEN)]);
    expect(a.user.id).not.toBe(b.user.id);
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    expect(upstream.count(OTHER_TOKEN)).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('asks again once the TTL is over', async () => {
    const cache = introspector({ ttlMs: 1_000 });
    await cache.introspect(FERNET_TOKEN);
    now += 999;
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    now += 1;
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
  });

  it("never keeps an entry past the token's expiry, even within the TTL", async () => {
    upstream.expiresAt = new Date(NOW + 5_000);
    const cache = introspector({ ttlMs: 60_000 });
    await cache.introspect(FERNET_TOKEN);
    now = NOW + 4_999;
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    now = NOW + 5_000;
    upstream.status = 404;
    const error = await upstreamFailure(cache.introspect(FERNET_TOKEN));
    expect(toClientError(error).code).toBe(ErrorCode.Unauthenticated);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('does not cache a token that has already expired', async () => {
    upstream.expiresAt = new Date(NOW - 1);
    const cache = introspector();
    await cache.introspect(FERNET_TOKEN);
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry when full', async () => {
    const cache = introspector({ maxEntries: 2 });
    const third = `${FERNET_TOKEN}3`;
    await cache.introspect(FERNET_TOKEN);
    await cache.introspect(OTHER_TOKEN);
    await cache.introspect(third);
    expect(cache.size).toBe(2);

    await cache.introspect(OTHER_TOKEN);
    await cache.introspect(third);
    expect(upstream.count(OTHER_TOKEN)).toBe(1);
    expect(upstream.count(third)).toBe(1);

    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
    expect(cache.size).toBe(2);
  });

  it.each([
    ['maxEntries 0', { maxEntries: 0 }],
    ['ttlMs 0', { ttlMs: 0 }],
  ])('caches nothing with %s', async (_what, options) => {
    const cache = introspector(options);
    await cache.introspect(FERNET_TOKEN);
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('does not cache failures', async () => {
    const cache = introspector();
    upstream.status = 404;
    const error = await upstreamFailure(cache.introspect(FERNET_TOKEN));
    expect(toClientError(error)).toMatchObject({ code: ErrorCode.Unauthenticated });
    upstream.status = 200;
    await expect(cache.introspect(FERNET_TOKEN)).resolves.toMatchObject({ user: { name: 'alice' } });
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
  });

  it('makes exactly one upstream call for 50 concurrent introspections of a new token', async () => {
    const cache = introspector();
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.introspect(FERNET_TOKEN)));
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('shares one failing call among concurrent introspections, then tries again', async () => {
    const cache = introspector();
    upstream.status = 404;
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => cache.introspect(FERNET_TOKEN)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(upstream.count(FERNET_TOKEN)).toBe(1);
    await upstreamFailure(cache.introspect(FERNET_TOKEN));
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
  });

  it('holds hashes, never the token, in its keys', async () => {
    const cache = introspector();
    const pending = cache.introspect(FERNET_TOKEN);
    const internals = cache as unknown as { cache: Map<string, unknown>; inFlight: Map<string, unknown> };
    const inFlightKeys = [...internals.inFlight.keys()];
    await pending;
    const keys = [...internals.cache.keys(), ...inFlightKeys];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key).not.toContain(FERNET_TOKEN.slice(0, 16));
      expect(FERNET_TOKEN).not.toContain(key);
    }
    expect(JSON.stringify([...internals.cache.entries()])).not.toContain(FERNET_TOKEN);
  });

  it('forgets a token on request', async () => {
    const cache = introspector();
    await cache.introspect(FERNET_TOKEN);
    await cache.forget(FERNET_TOKEN);
    expect(cache.size).toBe(0);
    await cache.introspect(FERNET_TOKEN);
    expect(upstream.count(FERNET_TOKEN)).toBe(2);
  });

  it("uses the request's own client when given, for its request id", async () => {
    await agent.close();
    agent = strictMockAgent();
    agent
      .get(ORIGIN)
      .intercept({ path: VALIDATE_PATH, method: 'GET', headers: exactHeaders({ 'x-openstack-request-id': 'req-7' }) })
      .reply(200, unscopedTokenBody());
    const shared = new KeystoneClient(upstreamHttp('keystone', `${ORIGIN}/identity/v3`, agent));
    const cache = new TokenIntrospector(shared, { ttlMs: 60_000, maxEntries: 10, now: () => now });
    await cache.introspect(FERNET_TOKEN, shared.withRequestId('req-7'));
  });
});
