/** Command-line flags (and `BENCH_*` environment variables) of the benchmark runner. */
import { OperationName } from './operations';

export interface BenchOptions {
  /** Seconds per measured run. */
  duration: number;
  /** Measured runs per target and column; the report gives medians. */
  runs: number;
  /** Seconds of unmeasured load per target before a column's first run. */
  warmup: number;
  ops: OperationName[];
  /** Sequential requests per sub-millisecond latency probe (1-client column). */
  probeRequests: number;
  /** Also profile the gateway under the 50-client `akSk` and trusted `akSk` loads and rank functions by self time. */
  profile: boolean;
  logLevel: string;
}

export const ALL_OPS: readonly OperationName[] = ['akSk', 'trustedAkSk', 'signedAkSk', 'createAkSk', 'login', 'users'];

export const USAGE = `Usage: node dist-bench/bench/run.js [options]
  --duration S        seconds per measured run (default 10; env BENCH_DURATION)
  --runs N            runs per target and column, medians reported (default 3; env BENCH_RUNS)
  --warmup S          unmeasured seconds per target before each column (default 2; env BENCH_WARMUP)
  --ops a,b           operations among ${ALL_OPS.join(',')} (default all; env BENCH_OPS)
  --probe-requests N  sequential requests per sub-ms latency probe (default 2000; env BENCH_PROBE_REQUESTS)
  --profile           CPU-profile the gateway under 50-client akSk and trusted akSk loads afterwards (env BENCH_PROFILE=1)
  --log-level L       the gateway's LOG_LEVEL (default info, as in production; env BENCH_LOG_LEVEL)
Smoke run: --duration 3 --runs 1 --warmup 1`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = readFlags(argv, ['duration', 'runs', 'warmup', 'ops', 'probe-requests', 'log-level'], ['profile']);
  const read = (name: string, envName: string) => flags.get(name) ?? env[envName];
  const number = (name: string, envName: string, fallback: number, min: number) => {
    const raw = read(name, envName);
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name} must be a number >= ${min}, got "${raw}"`);
    return value;
  };
  const ops = (read('ops', 'BENCH_OPS') ?? ALL_OPS.join(','))
    .split(',')
    .map((op) => op.trim())
    .filter(Boolean);
  for (const op of ops) {
    if (!ALL_OPS.includes(op as OperationName)) throw new UsageError(`unknown operation "${op}"`);
  }
  const profile = read('profile', 'BENCH_PROFILE');
  return {
    duration: number('duration', 'BENCH_DURATION', 10, 1),
    runs: Math.round(number('runs', 'BENCH_RUNS', 3, 1)),
    warmup: number('warmup', 'BENCH_WARMUP', 2, 0),
    ops: ops as OperationName[],
    probeRequests: Math.round(number('probe-requests', 'BENCH_PROBE_REQUESTS', 2000, 10)),
    profile: profile !== undefined && profile !== '0' && profile !== 'false',
    logLevel: read('log-level', 'BENCH_LOG_LEVEL') ?? 'info',
  };
}

export class UsageError extends Error {}

/**
 * `--name value` and `--name=value` for the `valued` options, a bare `--name` (read as `1`) for
 * the `switches`; `--help` is an empty UsageError, anything else a UsageError saying what is wrong.
 */
export function readFlags(
  argv: readonly string[],
  valued: readonly string[],
  switches: readonly string[] = [],
): Map<string, string> {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (switches.includes(name)) {
      flags.set(name, inline ?? '1');
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? argv[++index];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}
