import { DownloadGrant, DownloadLinkStore } from '../../../src/downloads/download-link-store';
import { MemoryStore } from '../../../src/state/memory-store';

const GRANT: DownloadGrant = {
  token: 'gAAAA-caller-token',
  userId: 'u-0001',
  projectId: 'p-0001',
  format: 'json',
  issuedBy: { userId: 'u-0001', projectId: 'p-0001' },
};
const START = Date.parse('2026-11-26T04:00:00.000Z');

describe('DownloadLinkStore', () => {
  let now: number;
  let memory: MemoryStore;
  let counters: MemoryStore;
  const store = (options: { ttlMs?: number; maxEntries?: number; maxPerToken?: number } = {}) => {
    memory = new MemoryStore(options.maxEntries, () => now);
    counters = new MemoryStore(1_000, () => now);
    return new DownloadLinkStore(memory, {
      ttlMs: options.ttlMs ?? 60_000,
      maxPerToken: options.maxPerToken ?? 1_000,
      counters,
      now: () => now,
    });
  };
  /** What the shared store holds: what Redis would hold. */
  const stored = () => [...(memory as unknown as { entries: Map<string, { value: string }> }).entries];

  beforeEach(() => {
    now = START;
  });

  it('issues an unguessable id with its expiry, and redeems it for the grant', async () => {
    const links = store();
    const link = await links.issue(GRANT);
    expect(link.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toEqual(new Date(START + 60_000));
    expect(await links.redeem(link.id)).toEqual(GRANT);
  });

  it('redeems a link only once', async () => {
    const links = store();
    const link = await links.issue(GRANT);
    expect(await links.redeem(link.id)).toEqual(GRANT);
    expect(await links.redeem(link.id)).toBeUndefined();
    expect(memory.size).toBe(0);
  });

  it('refuses a link once expired', async () => {
    const links = store({ ttlMs: 1_000 });
    const early = await links.issue(GRANT);
    const late = await links.issue({ ...GRANT, format: 'csv' });
    now = START + 999;
    expect(await links.redeem(early.id)).toEqual(GRANT);
    now = START + 1_000;
    expect(await links.redeem(late.id)).toBeUndefined();
  });

  it('refuses unknown and altered ids', async () => {
    const links = store();
    const link = await links.issue(GRANT);
    expect(await links.redeem('')).toBeUndefined();
    expect(await links.redeem('not-a-link')).toBeUndefined();
    expect(await links.redeem(link.id.slice(0, -1))).toBeUndefined();
    expect(await links.redeem(`${link.id}x`)).toBeUndefined();
    expect(await links.redeem(link.id)).toEqual(GRANT);
  });

  it('gives every link its own id and grant', async () => {
    const links = store();
    const issued = await Promise.all(Array.from({ length: 100 }, (_, index) => links.issue({ ...GRANT, userId: `u-${index}` })));
    expect(new Set(issued.map((link) => link.id)).size).toBe(100);
    expect((await links.redeem(issued[42].id))?.userId).toBe('u-42');
  });

  it('drops the oldest link when the store is full', async () => {
    const links = store({ maxEntries: 2 });
    const first = await links.issue(GRANT);
    const second = await links.issue(GRANT);
    const third = await links.issue(GRANT);
    expect(await links.redeem(first.id)).toBeUndefined();
    expect(await links.redeem(second.id)).toEqual(GRANT);
    expect(await links.redeem(third.id)).toEqual(GRANT);
  });

  it('stores neither the id nor the token readable: a key hash and an encrypted grant', async () => {
    const links = store();
    const link = await links.issue(GRANT);
    const [[key, { value }]] = stored();
    expect(key).not.toContain(link.id.slice(0, 12));
    expect(value).not.toContain(GRANT.token);
    expect(Buffer.from(value, 'base64').toString('latin1')).not.toContain(GRANT.token);
    expect(Buffer.from(value, 'base64').toString('latin1')).not.toContain(GRANT.userId);
  });

  it('refuses a stored grant that was tampered with', async () => {
    const links = store();
    const link = await links.issue(GRANT);
    const [[, entry]] = stored();
    const bytes = Buffer.from(entry.value, 'base64');
    bytes[bytes.length - 1] ^= 1;
    entry.value = bytes.toString('base64');
    expect(await links.redeem(link.id)).toBeUndefined();
  });

  it('bounds the unused links one token holds; a redeemed or expired link frees its place', async () => {
    const links = store({ maxPerToken: 2, ttlMs: 10_000 });
    const first = await links.issue(GRANT);
    await links.issue(GRANT);
    await expect(links.issue(GRANT)).rejects.toMatchObject({
      message: 'At most 2 unused download links per token; use one or wait 10 s.',
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 10 },
    });
    // Another token is not held back by this one.
    await expect(links.issue({ ...GRANT, token: 'gAAAA-other-token' })).resolves.toBeDefined();
    await links.redeem(first.id);
    await expect(links.issue(GRANT)).resolves.toBeDefined();
    now += 10_000;
    await expect(links.issue(GRANT)).resolves.toBeDefined();
    // The counters hold no token, only its hash.
    expect(JSON.stringify([...(counters as unknown as { entries: Map<string, unknown> }).entries])).not.toContain(GRANT.token);
  });
});
