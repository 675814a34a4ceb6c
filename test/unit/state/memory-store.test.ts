import { MemoryStore } from '../../../src/state/memory-store';

describe('MemoryStore', () => {
  let now = 0;
  const store = (maxEntries?: number) => new MemoryStore(maxEntries, () => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('keeps values for their time to live', async () => {
    const memory = store();
    await memory.set('a', 'one', 100);
    now += 99;
    expect(await memory.get('a')).toBe('one');
    now += 1;
    expect(await memory.get('a')).toBeUndefined();
  });

  it('sets a key only when absent or expired, and deletes it only while it holds the value given', async () => {
    const memory = store();
    expect(await memory.setIfAbsent('lock', 'a', 100)).toBe(true);
    expect(await memory.setIfAbsent('lock', 'b', 100)).toBe(false);
    await memory.deleteIfEquals('lock', 'b');
    expect(await memory.get('lock')).toBe('a');
    now += 100;
    expect(await memory.setIfAbsent('lock', 'b', 100)).toBe(true);
    await memory.deleteIfEquals('lock', 'b');
    expect(await memory.get('lock')).toBeUndefined();
  });

  it('takes a value once', async () => {
    const memory = store();
    await memory.set('a', 'one', 100);
    expect(await memory.take('a')).toBe('one');
    expect(await memory.take('a')).toBeUndefined();
  });

  it('counts in a window that starts at the first hit and ends', async () => {
    const memory = store();
    expect(await memory.increment('c', 1_000)).toBe(1);
    now += 400;
    expect(await memory.increment('c', 1_000)).toBe(2);
    expect(await memory.peekCounter('c')).toEqual({ count: 2, resetInMs: 600 });
    now += 600;
    expect(await memory.peekCounter('c')).toEqual({ count: 0, resetInMs: 0 });
    expect(await memory.increment('c', 1_000)).toBe(1);
  });

  it('is bounded: the oldest entries go first', async () => {
    const memory = store(2);
    await memory.set('a', '1', 1_000);
    await memory.set('b', '2', 1_000);
    await memory.set('c', '3', 1_000);
    expect([await memory.get('a'), await memory.get('b'), await memory.get('c')]).toEqual([undefined, '2', '3']);
  });
});
