/**
 * What the fault-injection suites share: the fault table, the run of flows, the checks of what
 * a client is told and of what the upstream saw, and the process-error watch. No check here
 * times anything: a deadline shows as a `timeout` failure and an upstream request the gateway
 * hung up on, which a busy machine cannot fake or break.
 */
import { runInThisContext } from 'node:vm';
import { expectNoSecretsIn, GatewayHarness, GraphQLResponse, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { Fault, FaultOptions, MisbehavingUpstream, startMisbehavingUpstream } from '../support/misbehaving-upstream';

/**
 * The gateway's whole-call budget in these suites: far above what a healthy call takes even on
 * a loaded two-core box, so only the faults meant to outlast it do.
 */
export const UPSTREAM_TIMEOUT_MS = 2_000;

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
    // Would answer long after any budget: the gateway must give up first (the timer is cleared when it does).
    label: 'slow-over-budget',
    fault: 'slow',
    options: { delayMs: 600_000 },
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
 * How many fault flows run at once: all of them at once starve the one event loop the gateway,
 * the upstreams and the test share on a loaded two-core box.
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

/** The faults that outlast the budget: the gateway must report a timeout and hang up. */
export const TIMEOUT_FAULTS: readonly Fault[] = ['hang', 'stall-mid-body'];

/**
 * The deadline, seen from the upstream: every request the gateway timed out on was abandoned by
 * it (the gateway closed the connection), none left open. `slow` over the budget counts too.
 */
export function expectTimedOutRequestsAbandoned(upstreams: MisbehavingUpstream[]): void {
  const timedOut = upstreams.flatMap((upstream) => [
    ...TIMEOUT_FAULTS.flatMap((fault) => upstream.matching({ fault })),
    ...upstream.matching({ fault: 'slow' }).filter((request) => request.subject?.endsWith('slow-over-budget')),
  ]);
  // Each suite runs every timeout fault at least once.
  expect(timedOut.length).toBeGreaterThanOrEqual(TIMEOUT_FAULTS.length + 1);
  for (const request of timedOut) expect(request).toMatchObject({ outcome: 'abandoned' });
}

/** A misbehaving Keystone and multicloud service, the real gateway over them, and the process watch. */
export interface FaultRig {
  keystone: MisbehavingUpstream;
  multicloud: MisbehavingUpstream;
  harness: GatewayHarness;
  watch: ProcessErrorWatch;
  close(): Promise<void>;
}

export async function startFaultRig(): Promise<FaultRig> {
  const watch = watchProcessErrors();
  const [keystone, multicloud] = await Promise.all([startMisbehavingUpstream(), startMisbehavingUpstream()]);
  keystone.sharePairsWith(multicloud);
  const harness = await startGatewayHarness({
    upstreams: { keystoneUrl: keystone.keystoneUrl, multicloudUrl: multicloud.multicloudUrl },
    env: { UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
  });
  return {
    keystone,
    multicloud,
    harness,
    watch,
    async close() {
      watch.stop();
      await harness.close();
      await Promise.all([keystone.close(), multicloud.close()]);
    },
  };
}

/** What every fault suite ends with: the gateway serves, nothing escaped, no secret was logged. */
export function describeAftermath(rig: () => FaultRig): void {
  it('the gateway is still serving', async () => {
    const health = await fetch(`${rig().harness.gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('every request the gateway timed out on was abandoned by it, not left open', () => {
    const { keystone, multicloud } = rig();
    expectTimedOutRequestsAbandoned([keystone, multicloud]);
  });

  it('no unhandled rejection and no uncaught exception', async () => {
    const { keystone, multicloud, watch } = rig();
    await settle(keystone, multicloud);
    expect(watch.seen).toEqual([]);
  });

  it('no password, token or secret key in any log line', () => {
    const { keystone, multicloud, harness } = rig();
    expect(harness.logLines.length).toBeGreaterThan(0);
    const secrets = [...keystone.secrets, ...multicloud.secrets];
    // Also handed to the run-wide audit: decoy tokens never pass through GraphQL data.
    recordSecrets(secrets);
    expectNoSecretsIn(harness.logLines, secrets);
  });
}

/** The failed call is in the gateway's log, under the request id the client was given. */
export function expectLoggedUpstreamFailure(
  harness: GatewayHarness,
  response: GraphQLResponse<unknown>,
  service: 'keystone' | 'multicloud',
): void {
  const requestId = response.headers.get('x-request-id')!;
  const lines = harness.logLines.filter((line) => line.includes(requestId) && line.includes('upstream call failed'));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({ upstream: { service } });
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

/**
 * Waits until no upstream request is still open, then one more turn of the event loop: the
 * gateway's sockets are closed by then, so any late socket error has surfaced. Event-driven,
 * not a sleep: the wait is as long as the machine needs, bounded by jest's timeout.
 */
export async function settle(...upstreams: MisbehavingUpstream[]): Promise<void> {
  const open = () => upstreams.some((upstream) => upstream.requests.some((request) => request.outcome === 'pending'));
  while (open()) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
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
