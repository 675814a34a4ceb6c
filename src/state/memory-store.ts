import { KeyValueStore, Reservation } from './key-value-store';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * `KeyValueStore` in process memory. Bounded: past `maxEntries` the oldest entries go, so a
 * flood of user names or links cannot grow it without limit.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private writes = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.makeRoom();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async take(key: string): Promise<string | undefined> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    if (this.live(key)?.value === value) this.entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const entry = this.live(key);
    if (entry) {
      entry.value = String(Number(entry.value) + 1);
      return Number(entry.value);
    }
    await this.set(key, '1', windowMs);
    return 1;
  }

  async reserve(key: string, limit: number, windowMs: number): Promise<Reservation> {
    const entry = this.live(key);
    const count = entry ? Number(entry.value) : 0;
    if (count >= limit) return { reserved: false, count, resetInMs: entry ? entry.expiresAt - this.now() : 0 };
    const incremented = await this.increment(key, windowMs);
    return { reserved: true, count: incremented, resetInMs: (this.live(key)?.expiresAt ?? this.now()) - this.now() };
  }

  async release(key: string): Promise<void> {
    const entry = this.live(key);
    if (entry && Number(entry.value) > 0) entry.value = String(Number(entry.value) - 1);
  }

  async peekCounter(key: string): Promise<{ count: number; resetInMs: number }> {
    const entry = this.live(key);
    return entry ? { count: Number(entry.value), resetInMs: entry.expiresAt - this.now() } : { count: 0, resetInMs: 0 };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private makeRoom(): void {
    // Expired entries are swept now and then; the oldest go when the store is full.
    if (++this.writes % 1_000 === 0) {
      const now = this.now();
      for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    }
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
