/**
 * The gateway's little shared state (download grants, login failure counts, token
 * introspections): in process memory for one replica, in Redis when replicas must agree.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads and deletes in one step: of two replicas taking the same key, one gets it. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Stores `value` for `ttlMs` only when the key is absent, in one atomic step; true when it did. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only while it still holds `value` (a lock's owner releasing it, not a later holder's). */
  deleteIfEquals(key: string, value: string): Promise<void>;
  /** Adds one; a new counter lives `windowMs` from its first hit. Returns the count. */
  increment(key: string, windowMs: number): Promise<number>;
  /**
   * Adds one to a counter only while it is below `limit`, in one atomic step, so concurrent
   * callers can never push it past the limit. A new counter lives `windowMs` from its first hit.
   */
  reserve(key: string, limit: number, windowMs: number): Promise<Reservation>;
  /** Takes one back from a counter (never below zero), e.g. a reservation that did not count. */
  release(key: string): Promise<void>;
  /** A counter's value and the milliseconds until it resets (0 and 0 when absent). */
  peekCounter(key: string): Promise<{ count: number; resetInMs: number }>;
  close(): Promise<void>;
}

export interface Reservation {
  /** False when the counter was already at the limit (nothing was added). */
  reserved: boolean;
  count: number;
  resetInMs: number;
}
