/** What the fault-injection suites share: the fault table, timing, and the process-error watch. */
import { runInThisContext } from 'node:vm';
import { Fault, FaultOptions } from '../support/misbehaving-upstream';

/** The gateway's whole-call budget in these suites. */
export const UPSTREAM_TIMEOUT_MS = 500;
/** Every fault must be reported within this: the budget plus a generous margin for a busy CI box. */
export const ANSWER_WITHIN_MS = 2_000;

/**
 * `status` is the upstream status the client is told: `none` when no answer came, `success` for the
 * route's own success status (201 for a token, else 200) when the answer broke after its headers.
 */
export type Expected =
  | { outcome: 'error'; code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_ERROR'; status: 'none' | 'success' | number; message: RegExp }
  | { outcome: 'success' };

export interface FaultCase {
  /** Unique per case: also the subject (user name) the fault is aimed at. */
  label: string;
  fault: Fault;
  options?: FaultOptions;
  expected: Expected;
}

const unavailable = (status: 'none' | 'success' | number, message: RegExp): Expected => ({
  outcome: 'error',
  code: 'UPSTREAM_UNAVAILABLE',
  status,
  message,
});
const unreadable: Expected = { outcome: 'error', code: 'UPSTREAM_ERROR', status: 'success', message: /cannot read/ };

/**
 * Every fault, and what a client must be told about it. The decisions that are not obvious:
 * - `truncated-json` is UPSTREAM_UNAVAILABLE: the connection ended before the `Content-Length` the
 *   upstream announced, which the gateway cannot tell from a reset. No complete answer ever
 *   arrived, so it is a transport failure (worth retrying), not an answer the gateway misread.
 * - `empty-200` is UPSTREAM_ERROR everywhere: even for a list, where the service says "none" with
 *   `null`, an empty body is a broken upstream, and "no pairs" would tell a user their keys are gone.
 * - `huge-body` is UPSTREAM_ERROR: the answer may be complete and correct, but the gateway
 *   refuses to buffer it; nothing is gained by retrying.
 */
export const FAULT_CASES: FaultCase[] = [
  { label: 'reset-mid-body', fault: 'reset-mid-body', expected: unavailable('success', /broke before its answer was complete/) },
  { label: 'hang', fault: 'hang', expected: unavailable('none', /did not answer in time/) },
  { label: 'slow-within-budget', fault: 'slow', options: { delayMs: 100 }, expected: { outcome: 'success' } },
  {
    label: 'slow-over-budget',
    fault: 'slow',
    options: { delayMs: 1_500 },
    expected: unavailable('none', /did not answer in time/),
  },
  { label: 'stall-mid-body', fault: 'stall-mid-body', expected: unavailable('success', /did not answer in time/) },
  { label: 'plain-500', fault: 'plain-500', expected: unavailable(500, /failed \(status 500\)/) },
  { label: 'truncated-json', fault: 'truncated-json', expected: unavailable('success', /broke before its answer was complete/) },
  { label: 'invalid-json', fault: 'invalid-json', expected: unreadable },
  { label: 'wrong-shape', fault: 'wrong-shape', expected: unreadable },
  { label: 'huge-body', fault: 'huge-body', expected: unreadable },
  { label: 'empty-200', fault: 'empty-200', expected: unreadable },
  { label: 'html-502', fault: 'html-502', expected: unavailable(502, /failed \(status 502\)/) },
];

/**
 * How many fault flows run at once. All of them at once made healthy calls miss the 500 ms
 * budget on a loaded two-core box (the gateway, the upstreams and the test share one event loop).
 */
export const PARALLEL_FLOWS = 6;

/** Runs `flow` for every item, at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  flow: (item: T) => Promise<void>,
  limit = PARALLEL_FLOWS,
): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await flow(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await call();
  return { value, ms: performance.now() - startedAt };
}

export interface ProcessErrorWatch {
  /** Everything that reached the process's `unhandledRejection` / `uncaughtException` while watched. */
  readonly seen: Array<{ event: string; error: unknown }>;
  stop(): void;
}

/**
 * Listens on the real `process`: jest hands test code a copy whose `on` never hears the
 * process-wide events, while the gateway under test runs in this same process.
 */
export function watchProcessErrors(): ProcessErrorWatch {
  const realProcess = runInThisContext('process') as NodeJS.Process;
  const seen: Array<{ event: string; error: unknown }> = [];
  const onRejection = (error: unknown) => void seen.push({ event: 'unhandledRejection', error });
  const onException = (error: unknown) => void seen.push({ event: 'uncaughtException', error });
  realProcess.on('unhandledRejection', onRejection);
  realProcess.on('uncaughtException', onException);
  return {
    seen,
    stop() {
      realProcess.off('unhandledRejection', onRejection);
      realProcess.off('uncaughtException', onException);
    },
  };
}

/** Lets late socket errors and timers of the faults surface before the watch is read. */
export function settle(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A GraphQL error as the harness returns it. */
export interface ReceivedError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Asserts the one error a failed operation must carry: code, service, status, message. */
export function expectUpstreamError(
  errors: ReceivedError[] | undefined,
  expected: Extract<Expected, { outcome: 'error' }>,
  service: 'keystone' | 'multicloud',
  successStatus: number,
): void {
  expect(errors).toHaveLength(1);
  const [error] = errors!;
  expect(error.extensions).toMatchObject({ code: expected.code, upstream: { service } });
  const upstream = error.extensions!.upstream as { status: number | null };
  expect(upstream.status).toBe(
    expected.status === 'none' ? null : expected.status === 'success' ? successStatus : expected.status,
  );
  expect(error.message).toMatch(expected.message);
}
