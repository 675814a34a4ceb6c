import { KeyLock, LockBusy } from '../../../src/state/key-lock';
import { MemoryStore } from '../../../src/state/memory-store';

/** A section that records when it runs and finishes only when released. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('KeyLock', () => {
  it('runs the sections of one key one at a time, in order, and those of other keys alongside', async () => {
    const lock = new KeyLock(new MemoryStore(), { ttlMs: 60_000, maxWaitMs: 1_000 });
    const events: string[] = [];
    const first = gate();
    const a1 = lock.withLock('a', async () => {
      events.push('a1 in');
      await first.opened;
      events.push('a1 out');
      return 1;
    });
    const a2 = lock.withLock('a', async () => {
      events.push('a2 in');
      return 2;
    });
    const b = lock.withLock('b', async () => {
      events.push('b in');
      return 3;
    });
    expect(await b).toBe(3);
    expect(events).toEqual(['a1 in', 'b in']);
    first.open();
    expect(await Promise.all([a1, a2])).toEqual([1, 2]);
    expect(events).toEqual(['a1 in', 'b in', 'a1 out', 'a2 in']);
  });

  it('a failing section hands the lock on; its error reaches its caller only', async () => {
    const lock = new KeyLock(new MemoryStore(), { ttlMs: 60_000, maxWaitMs: 1_000 });
    const failed = lock.withLock('a', async () => {
      throw new Error('boom');
    });
    const next = lock.withLock('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });

  it('waits for a lock another replica holds in the shared store, and gives up with LockBusy', async () => {
    const store = new MemoryStore();
    const replicaA = new KeyLock(store, { ttlMs: 60_000, maxWaitMs: 1_000, retryMs: 1 });
    const replicaB = new KeyLock(store, { ttlMs: 60_000, maxWaitMs: 5, retryMs: 1 });
    const held = gate();
    const inA = replicaA.withLock('a', () => held.opened);
    await expect(replicaB.withLock('a', async () => 'never')).rejects.toBeInstanceOf(LockBusy);
    held.open();
    await inA;
    expect(await replicaB.withLock('a', async () => 'after')).toBe('after');
  });
});
