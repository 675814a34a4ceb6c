/** The load test's command-line flags (`npm run load -- --clients 50 --duration 20`). */

export interface LoadOptions {
  /** Concurrent virtual clients of the session phase. */
  clients: number;
  /** Seconds of the session phase. */
  duration: number;
  /** Seconds of sessions before the measured ones (JIT, pools, caches); their pairs are audited too. */
  warmup: number;
  /** Seeded users; each client owns `users / clients` of them, so no two clients share a user. */
  users: number;
  /** Hard cap on requests of the session phase; it ends early when reached. */
  maxRequests: number;
  /** Seconds of the autocannon phase (`akSk` with a warm token); 0 skips it. */
  acDuration: number;
  /** Client-side budget of one request, connect to last byte. */
  timeoutMs: number;
  /** Share of sessions that make a download link and fetch it. */
  downloadRatio: number;
  /** Share of sessions that end with `logout`. */
  logoutRatio: number;
  /** Failed requests / requests above which the run fails. */
  maxErrorRate: number;
  /** Random seed of the session mix, so two runs make the same choices. */
  seed: number;
}

const DEFAULTS: LoadOptions = {
  clients: 50,
  duration: 20,
  warmup: 2,
  users: 200,
  maxRequests: 200_000,
  acDuration: 5,
  timeoutMs: 15_000,
  downloadRatio: 0.3,
  logoutRatio: 0.5,
  maxErrorRate: 0.01,
  seed: 1,
};

interface Flag {
  key: keyof LoadOptions;
  min: number;
  max: number;
  integer: boolean;
}

const FLAGS: Record<string, Flag> = {
  '--clients': { key: 'clients', min: 1, max: 1_000, integer: true },
  '--duration': { key: 'duration', min: 1, max: 600, integer: false },
  '--warmup': { key: 'warmup', min: 0, max: 60, integer: false },
  '--users': { key: 'users', min: 1, max: 10_000, integer: true },
  '--max-requests': { key: 'maxRequests', min: 1, max: 5_000_000, integer: true },
  '--ac-duration': { key: 'acDuration', min: 0, max: 120, integer: false },
  '--timeout-ms': { key: 'timeoutMs', min: 100, max: 120_000, integer: true },
  '--download-ratio': { key: 'downloadRatio', min: 0, max: 1, integer: false },
  '--logout-ratio': { key: 'logoutRatio', min: 0, max: 1, integer: false },
  '--max-error-rate': { key: 'maxErrorRate', min: 0, max: 1, integer: false },
  '--seed': { key: 'seed', min: 0, max: 2 ** 31 - 1, integer: true },
};

export const USAGE = `npm run load -- [flags]
  ${Object.entries(FLAGS)
    .map(([flag, { key }]) => `${flag} (default ${DEFAULTS[key]})`)
    .join('\n  ')}`;

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): LoadOptions {
  const options: LoadOptions = { ...DEFAULTS };
  for (let index = 0; index < argv.length; index++) {
    const [name, inline] = argv[index].split('=', 2);
    if (name === '--help' || name === '-h') throw new UsageError(USAGE);
    const flag = FLAGS[name];
    if (!flag) throw new UsageError(`Unknown flag ${name}\n${USAGE}`);
    const raw = inline ?? argv[++index];
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(value) || (flag.integer && !Number.isInteger(value))) {
      throw new UsageError(`${name} needs ${flag.integer ? 'a whole number' : 'a number'}, got ${raw ?? 'nothing'}`);
    }
    if (value < flag.min || value > flag.max)
      throw new UsageError(`${name} must be between ${flag.min} and ${flag.max}, got ${value}`);
    options[flag.key] = value;
  }
  // Every client owns at least one user of its own.
  options.users = Math.max(options.users, options.clients);
  return options;
}
