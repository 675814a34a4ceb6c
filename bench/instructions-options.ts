/** Options of `npm run bench:instructions` (flags only, like `bench:compare`). */
import { OperationName } from './operations';
import { ALL_OPS, readFlags, UsageError } from './options';

export interface InstructionsOptions {
  ops: OperationName[];
  /** Counted requests per batch. */
  requests: number;
  /** Counted batches per operation and target; the median batch is reported. */
  batches: number;
  /** Unmeasured requests per operation and target first, until V8 has compiled the hot code. */
  warmup: number;
  /** Requests in flight at once; 1 (the default) repeats to about 0.5 %. */
  connections: number;
  /** Also write each target's flat profile and the functions where the gateway spends most beyond the bare proxy. */
  profile: boolean;
  logLevel: string;
}

export const INSTRUCTIONS_USAGE = `Usage: npm run bench:instructions -- [options]
  --ops a,b           operations among ${ALL_OPS.join(',')} (default akSk,trustedAkSk)
  --requests N        counted requests per batch (default 1000)
  --batches N         counted batches per operation and target, the median reported (default 3)
  --warmup N          unmeasured requests per operation and target first (default 6000)
  --connections N     requests in flight at once (default 1: the most repeatable)
  --profile           add, per operation, the functions where the gateway spends most beyond the bare proxy
  --log-level L       the gateway's LOG_LEVEL (default info, as in production)`;

export function parseInstructionsOptions(argv: readonly string[]): InstructionsOptions {
  const flags = readFlags(argv, ['ops', 'requests', 'batches', 'warmup', 'connections', 'log-level'], ['profile']);
  const integer = (name: string, fallback: number, min: number) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < min) {
      throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
    }
    return value;
  };
  const ops = (flags.get('ops') ?? 'akSk,trustedAkSk')
    .split(',')
    .map((op) => op.trim())
    .filter(Boolean);
  if (!ops.length) throw new UsageError('--ops names no operation');
  for (const op of ops) {
    if (!ALL_OPS.includes(op as OperationName)) throw new UsageError(`unknown operation "${op}"`);
  }
  return {
    ops: ops as OperationName[],
    requests: integer('requests', 1000, 10),
    batches: integer('batches', 3, 1),
    warmup: integer('warmup', 6000, 0),
    connections: integer('connections', 1, 1),
    profile: flags.has('profile'),
    logLevel: flags.get('log-level') ?? 'info',
  };
}
