import { checkReadiness } from '../../../src/server/readiness';

describe('checkReadiness', () => {
  it('any HTTP answer counts as reachable, a 401 or a 500 included', async () => {
    const readiness = await checkReadiness({ keystone: async () => 200, multicloud: async () => 401, other: async () => 500 });
    expect(readiness.ready).toBe(true);
    expect(readiness.upstreams).toEqual({
      keystone: { reachable: true, status: 200, latencyMs: expect.any(Number) },
      multicloud: { reachable: true, status: 401, latencyMs: expect.any(Number) },
      other: { reachable: true, status: 500, latencyMs: expect.any(Number) },
    });
  });

  it('a probe that fails makes the gateway not ready, and says which', async () => {
    const readiness = await checkReadiness({
      keystone: async () => 200,
      multicloud: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });
    expect(readiness.ready).toBe(false);
    expect(readiness.upstreams.keystone.reachable).toBe(true);
    expect(readiness.upstreams.multicloud).toMatchObject({ reachable: false, status: null });
  });

  it('probes run at once, not one after the other', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe = (name: string) => async () => {
      started.push(name);
      await gate;
      return 200;
    };
    const pending = checkReadiness({ keystone: probe('keystone'), multicloud: probe('multicloud') });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['keystone', 'multicloud']);
    release();
    expect((await pending).ready).toBe(true);
  });

  it('latency is a whole number of milliseconds', async () => {
    const { upstreams } = await checkReadiness({ keystone: async () => 200 });
    expect(Number.isInteger(upstreams.keystone.latencyMs)).toBe(true);
    expect(upstreams.keystone.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('no upstreams to need: ready', async () => {
    expect(await checkReadiness({})).toEqual({ ready: true, upstreams: {} });
  });
});
