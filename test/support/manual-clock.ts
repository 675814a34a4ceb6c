/** A clock that moves only when a test says so: windows and lifetimes pass without sleeping. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

/** Starts at the real time, so upstream expiry dates compared against it stay plausible. */
export function manualClock(start = Date.now()): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}
