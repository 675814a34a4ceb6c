import { DownloadGrant, DownloadLinkStore } from '../../../src/downloads/download-link-store';

const GRANT: DownloadGrant = { token: 'gAAAA-caller-token', userId: 'u-0001', projectId: 'p-0001', format: 'json' };
const START = Date.parse('2026-11-26T04:00:00.000Z');

describe('DownloadLinkStore', () => {
  let now: number;
  const store = (options: { ttlMs?: number; maxEntries?: number } = {}) =>
    new DownloadLinkStore({ ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries, now: () => now });

  beforeEach(() => {
    now = START;
  });

  it('issues an unguessable id with its expiry, and redeems it for the grant', () => {
    const links = store();
    const link = links.issue(GRANT);
    expect(link.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toEqual(new Date(START + 60_000));
    expect(links.redeem(link.id)).toEqual(GRANT);
  });

  it('redeems a link only once', () => {
    const links = store();
    const link = links.issue(GRANT);
    expect(links.redeem(link.id)).toEqual(GRANT);
    expect(links.redeem(link.id)).toBeUndefined();
    expect(links.size).toBe(0);
  });

  it('refuses a link once expired, and drops it', () => {
    const links = store({ ttlMs: 1_000 });
    const early = links.issue(GRANT);
    const late = links.issue({ ...GRANT, format: 'csv' });
    now = START + 999;
    expect(links.redeem(early.id)).toEqual(GRANT);
    now = START + 1_000;
    expect(links.redeem(late.id)).toBeUndefined();
    expect(links.size).toBe(0);
  });

  it('refuses unknown ids', () => {
    const links = store();
    const link = links.issue(GRANT);
    expect(links.redeem('')).toBeUndefined();
    expect(links.redeem('not-a-link')).toBeUndefined();
    expect(links.redeem(link.id.slice(0, -1))).toBeUndefined();
    expect(links.redeem(`${link.id}x`)).toBeUndefined();
    expect(links.redeem(link.id)).toEqual(GRANT);
  });

  it('gives every link its own id and grant', () => {
    const links = store();
    const issued = Array.from({ length: 100 }, (_, index) => links.issue({ ...GRANT, userId: `u-${index}` }));
    expect(new Set(issued.map((link) => link.id)).size).toBe(100);
    expect(links.redeem(issued[42].id)?.userId).toBe('u-42');
  });

  it('sweeps expired links when issuing', () => {
    const links = store({ ttlMs: 1_000 });
    links.issue(GRANT);
    links.issue(GRANT);
    now = START + 1_000;
    links.issue(GRANT);
    expect(links.size).toBe(1);
  });

  it('drops the oldest link when full', () => {
    const links = store({ maxEntries: 2 });
    const first = links.issue(GRANT);
    const second = links.issue(GRANT);
    const third = links.issue(GRANT);
    expect(links.size).toBe(2);
    expect(links.redeem(first.id)).toBeUndefined();
    expect(links.redeem(second.id)).toEqual(GRANT);
    expect(links.redeem(third.id)).toEqual(GRANT);
  });

  it('keeps hashes of the ids, not the ids', () => {
    const links = store();
    const link = links.issue(GRANT);
    const keys = [...(links as unknown as { grants: Map<string, unknown> }).grants.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(link.id);
    expect(keys[0]).not.toContain(link.id.slice(0, 12));
  });

  it('returns a copy of the grant without its internal expiry', () => {
    const links = store();
    const grant = links.redeem(links.issue(GRANT).id);
    expect(grant).not.toHaveProperty('expiresAt');
  });
});
