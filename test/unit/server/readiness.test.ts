import { ReadinessCheck } from '../../../src/server/readiness';

describe('ReadinessCheck', () => {
  it('gives each probe its own budget: a hung upstream is unreachable, timed out', async () => {
    const check = new ReadinessCheck(
      { hung: () => new Promise<number>(() => undefined), fine: async () => 401 },
      { timeoutMs: 20, cacheMs: 0 },
    );
    expect(await check.check()).toMatchObject({
      ready: false,
      upstreams: { hung: { reachable: false, status: null, timedOut: true }, fine: { reachable: true, status: 401 } },
    });
  });

  it('shares one check between concurrent callers and reuses it for cacheMs', async () => {
    let now = 0;
    let probes = 0;
    const check = new ReadinessCheck(
      { keystone: async () => (probes += 1) && 200 },
      { timeoutMs: 1_000, cacheMs: 1_000, now: () => now },
    );
    await Promise.all(Array.from({ length: 10 }, () => check.check()));
    expect(probes).toBe(1);
    now = 999;
    await check.check();
    expect(probes).toBe(1);
    now = 1_000;
    expect((await check.check()).ready).toBe(true);
    expect(probes).toBe(2);
  });
});
