import { randomUUID } from 'node:crypto';
import { KeyValueStore } from './key-value-store';

export interface KeyLockOptions {
  /** How long a held lock lives if its holder dies: longer than any critical section takes. */
  ttlMs: number;
  /** How long a caller waits for another replica's lock before giving up. */
  maxWaitMs: number;
  /** Pause between two tries to take another replica's lock. */
  retryMs?: number;
}

/** Thrown when the lock stayed taken for `maxWaitMs`. */
export class LockBusy extends Error {
  constructor() {
    super('lock still held by another caller');
    this.name = 'LockBusy';
  }
}

const DEFAULT_RETRY_MS = 25;

/**
 * Runs one critical section per key at a time: queued in this process (so its callers never
 * poll), and across replicas through a store entry taken with SET NX and released only by its
 * owner (Redis when configured; with the in-memory store the queue alone decides).
 */
export class KeyLock {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: KeyLockOptions,
  ) {}

  async withLock<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.holdingStoreLock(key, section));
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    try {
      return await run;
    } finally {
      // The last in the queue removes it, so the map holds only keys in use.
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }

  private async holdingStoreLock<T>(key: string, section: () => Promise<T>): Promise<T> {
    const lockKey = `lock:${key}`;
    const owner = randomUUID();
    const retryMs = this.options.retryMs ?? DEFAULT_RETRY_MS;
    for (let waited = 0; !(await this.store.setIfAbsent(lockKey, owner, this.options.ttlMs)); waited += retryMs) {
      if (waited >= this.options.maxWaitMs) throw new LockBusy();
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    try {
      return await section();
    } finally {
      await this.store.deleteIfEquals(lockKey, owner).catch(() => undefined);
    }
  }
}
