/** Options of `npm run bench:compare` (flags only: a comparison is a deliberate, one-off run). */
import { OperationName } from './operations';
import { ALL_OPS, readFlags, UsageError } from './options';

export interface CompareOptions {
  /** The git commit (any ref) whose gateway the working tree's is compared with. */
  baseline: string;
  op: OperationName;
  /** Rounds, each loading both gateways at once; even (half with each gateway started first). */
  rounds: number;
  /** Seconds of load per round. */
  duration: number;
  /** Unmeasured seconds of load before the first round. */
  warmup: number;
  /** autocannon connections to each gateway. */
  connections: number;
  logLevel: string;
}

export const COMPARE_USAGE = `Usage: npm run bench:compare -- [options]
  --baseline REF      the git commit to compare the working tree with (default HEAD: your uncommitted changes)
  --op NAME           one of ${ALL_OPS.join(',')} (default trustedAkSk)
  --rounds N          rounds, each loading both gateways at once; even (default 20)
  --duration S        seconds of load per round (default 2)
  --warmup S          unmeasured seconds of load before the first round (default 3)
  --connections N     autocannon connections to each gateway (default 25: 50 in all)
  --log-level L       the gateways' LOG_LEVEL (default info, as in production)`;

export function parseCompareOptions(argv: readonly string[]): CompareOptions {
  const flags = readFlags(argv, ['baseline', 'op', 'rounds', 'duration', 'warmup', 'connections', 'log-level']);
  const number = (name: string, fallback: number, min: number, integer: boolean) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
    }
    return value;
  };
  const rounds = number('rounds', 20, 2, true);
  if (rounds % 2) throw new UsageError(`--rounds must be even (half the rounds start each gateway first), got ${rounds}`);
  const op = flags.get('op') ?? 'trustedAkSk';
  if (!ALL_OPS.includes(op as OperationName)) throw new UsageError(`unknown operation "${op}"`);
  return {
    baseline: flags.get('baseline') ?? 'HEAD',
    op: op as OperationName,
    rounds,
    duration: number('duration', 2, 1, false),
    warmup: number('warmup', 3, 0, false),
    connections: number('connections', 25, 1, true),
    logLevel: flags.get('log-level') ?? 'info',
  };
}
