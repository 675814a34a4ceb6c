/**
 * `npm run bench`: the gateway against two references over the same stubbed upstreams: the
 * thinnest possible Node proxy (the physical limit) and a bare Apollo Server 5 + type-graphql
 * server with the same schema shape (the stack without the gateway's own layers). Four child
 * processes (stub, bare proxy, Apollo reference, gateway) so each one's CPU and memory are its
 * own; autocannon drives them from this process, the three targets interleaved run by run.
 * Writes bench/results/latest.json and latest.md and prints the Markdown.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type autocannon from 'autocannon';
import { Child, installCleanup, startChild } from './children';
import { topSelfTime } from './cpu-profile';
import { optionsOrExit, progress, runMain } from './cli';
import { Answer, drive, postOnce } from './drive';
import { gatewayEnv, referenceEnvs, writeBenchManifest } from './gateway-env';
import { probeLatency, ProbeResult } from './latency-probe';
import { errorCodeOf, headersFor, looksSuccessful, Operation, OperationName, OPERATIONS, requestOf } from './operations';
import { BenchOptions, parseOptions, USAGE } from './options';
import { cpuSeconds, machineBusySeconds, memory, resetPeakRss } from './procfs';
import { COLUMNS, summarise } from './summary';
import { StubStats } from './protocol';
import {
  BenchReport,
  Column,
  evaluateTargets,
  GatewayProfile,
  OperationReport,
  renderMarkdown,
  RunSample,
  TargetName,
  TARGET_LABELS,
} from './report';

const ROOT = resolve(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const LOGS = join(RESULTS, 'logs');

const TARGETS: readonly TargetName[] = ['bare', 'apollo', 'gateway'];
/** Sequential requests per operation whose upstream calls are counted exactly before the load runs. */
const EXACT_COUNT_REQUESTS = 20;

interface Targets {
  stub: Child;
  bare: Child;
  apollo: Child;
  gateway: Child;
}

async function main(): Promise<void> {
  const options = optionsOrExit(() => parseOptions(process.argv.slice(2), process.env), USAGE);
  installCleanup();
  mkdirSync(LOGS, { recursive: true });
  writeBenchManifest(TRUSTED_DOCUMENTS_FILE);
  for (const name of ['stub', 'bare-proxy', 'apollo-reference', 'gateway']) rmSync(join(LOGS, `${name}.log`), { force: true });

  const startedAt = new Date();
  const loadAtStart = loadavg();
  const targets = await startTargets(options);
  apolloOrigin = targets.apollo.urls.url;
  await new Promise((resolveTimer) => setTimeout(resolveTimer, 1_000));
  const idleRssBytes = Object.fromEntries(
    (['stub', ...TARGETS] as const).map((name) => [
      name === 'stub' ? 'stub' : TARGET_LABELS[name],
      memory(targets[name].pid).rssBytes,
    ]),
  );
  progress(
    `stub pid ${targets.stub.pid}, ` +
      TARGETS.map((name) => `${TARGET_LABELS[name]} pid ${targets[name].pid} ${targets[name].urls.url}`).join(', '),
  );

  const operations: OperationReport[] = [];
  const selected = OPERATIONS.filter((op) => options.ops.includes(op.name));
  const plannedRuns = selected.length * COLUMNS.length * options.runs * TARGETS.length;
  let done = 0;
  for (const op of selected) {
    const report = await preflight(op, targets);
    operations.push(report);
    if (report.unavailable) {
      progress(`${op.label}: n/a (${report.unavailable})`);
      done += COLUMNS.length * options.runs * TARGETS.length;
      continue;
    }
    for (const column of COLUMNS) {
      await setDelay(targets.stub, column.delayMs);
      if (options.warmup > 0) {
        for (const target of TARGETS) await load(op, column, urlOf(targets, target, op), options.warmup);
      }
      for (let run = 1; run <= options.runs; run++) {
        for (const target of TARGETS) {
          const sample = await measure(op, column, target, run, targets, options);
          report.samples.push(sample);
          done++;
          progress(
            `[${done}/${plannedRuns}] ${op.label} ${column.label} run ${run} ${target}: ${Math.round(sample.reqPerSec)} req/s, ` +
              `p50 ${sample.latencyP50Ms} ms` +
              (sample.probe ? ` (hrtime ${sample.probe.p50Ms.toFixed(3)} ms)` : '') +
              `, ${Math.round(sample.targetCpuUsPerRequest)} µs CPU/req, peak RSS ${(sample.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
          );
        }
      }
    }
    report.columns = summarise(report.samples);
  }

  const profiles: GatewayProfile[] = [];
  if (options.profile) {
    for (const name of PROFILED_OPS.filter((op) => options.ops.includes(op)))
      profiles.push(await profileGateway(targets, options, name));
  }
  await Promise.all([targets.gateway.stop(), targets.apollo.stop(), targets.bare.stop(), targets.stub.stop()]);

  const report: BenchReport = {
    meta: {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadAtStart, end: loadavg() },
      idleRssBytes,
      options,
      gatewayEnv: gatewayEnv(targets.stub.urls, options.logLevel, TRUSTED_DOCUMENTS_FILE),
    },
    operations,
    targets: [],
    profiles,
  };
  report.targets = evaluateTargets(report);
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(join(RESULTS, 'latest.md'), markdown);
  process.stdout.write(`\n${markdown}\n`);
  progress(`written ${join('bench', 'results', 'latest.json')} and latest.md`);
}

async function startTargets(options: BenchOptions): Promise<Targets> {
  const stub = await startChild('upstream stub', join(__dirname, 'upstream-stub.js'), { logFile: join(LOGS, 'stub.log') });
  const references = referenceEnvs(stub.urls);
  const [bare, apollo, gateway] = await Promise.all([
    startChild('bare proxy', join(__dirname, 'bare-proxy.js'), { env: references.bare, logFile: join(LOGS, 'bare-proxy.log') }),
    startChild('Apollo reference', join(__dirname, 'apollo-reference.js'), {
      env: references.apollo,
      logFile: join(LOGS, 'apollo-reference.log'),
    }),
    startChild('gateway', join(__dirname, 'gateway-child.js'), {
      env: gatewayEnv(stub.urls, options.logLevel, TRUSTED_DOCUMENTS_FILE),
      logFile: join(LOGS, 'gateway.log'),
    }),
  ]);
  return { stub, bare, apollo, gateway };
}

const TRUSTED_DOCUMENTS_FILE = join(RESULTS, 'trusted-documents.json');

function urlOf(targets: Targets, target: TargetName, op: Operation): string {
  return `${targets[target].urls.url}${requestOf(op, target).path}`;
}

/** Where the Apollo reference listens: a body is chosen by the URL it goes to. */
let apolloOrigin = '';

function bodyFor(op: Operation, url: string): string {
  return requestOf(op, url.startsWith(`${apolloOrigin}/`) ? 'apollo' : 'gateway').body;
}

/**
 * Checks one answer of each target, then counts the upstream calls of a few sequential
 * requests exactly. A gateway whose schema lacks the operation makes it "n/a".
 */
async function preflight(op: Operation, targets: Targets): Promise<OperationReport> {
  const report: OperationReport = {
    name: op.name,
    label: op.label,
    samples: [],
    columns: [],
    exactUpstreamCalls: { bare: {}, apollo: {}, gateway: {} },
  };
  const gatewayAnswer = await post(urlOf(targets, 'gateway', op), op);
  const code = errorCodeOf(gatewayAnswer.json);
  if (code === 'GRAPHQL_VALIDATION_FAILED') {
    report.unavailable = "the gateway's schema has no such field";
    return report;
  }
  const problem = op.checkGateway(gatewayAnswer.status, gatewayAnswer.json);
  if (problem) {
    report.unavailable = `the gateway answered wrongly (${problem}): HTTP ${gatewayAnswer.status} ${gatewayAnswer.text.slice(0, 300)}`;
    return report;
  }
  const bareAnswer = await post(urlOf(targets, 'bare', op), op);
  if (bareAnswer.status < 200 || bareAnswer.status > 299) {
    throw new Error(`bare proxy ${op.barePath} answered HTTP ${bareAnswer.status}: ${bareAnswer.text.slice(0, 300)}`);
  }
  const apolloAnswer = await post(urlOf(targets, 'apollo', op), op);
  const apolloProblem = op.checkGateway(apolloAnswer.status, apolloAnswer.json);
  if (apolloProblem) {
    throw new Error(
      `Apollo reference answered wrongly (${apolloProblem}): HTTP ${apolloAnswer.status} ${apolloAnswer.text.slice(0, 300)}`,
    );
  }
  await setDelay(targets.stub, 0);
  for (const target of TARGETS) {
    await resetStub(targets.stub);
    for (let index = 0; index < EXACT_COUNT_REQUESTS; index++) await post(urlOf(targets, target, op), op);
    const stats = await stubStats(targets.stub);
    report.exactUpstreamCalls[target] = perRequest(stats.counts, EXACT_COUNT_REQUESTS);
  }
  return report;
}

async function measure(
  op: Operation,
  column: Column,
  target: TargetName,
  run: number,
  targets: Targets,
  options: BenchOptions,
): Promise<RunSample> {
  const child = targets[target];
  const peakResettable = resetPeakRss(child.pid);
  let polledPeak = memory(child.pid).rssBytes;
  const poller = setInterval(() => {
    polledPeak = Math.max(polledPeak, memory(child.pid).rssBytes);
  }, 50);
  await resetStub(targets.stub);
  const stubBefore = cpuSeconds(targets.stub.pid);
  const targetBefore = cpuSeconds(child.pid);
  const others = TARGETS.filter((name) => name !== target).map((name) => targets[name].pid);
  const othersCpu = () => others.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const otherBefore = othersCpu();
  const machineBefore = machineBusySeconds();
  const runnerBefore = process.cpuUsage();

  const result = await load(op, column, urlOf(targets, target, op), options.duration);

  const runnerCpu = process.cpuUsage(runnerBefore);
  const machineBusyS = machineBusySeconds() - machineBefore;
  const targetCpuS = cpuSeconds(child.pid) - targetBefore;
  const stubCpuS = cpuSeconds(targets.stub.pid) - stubBefore;
  const otherTargetCpuS = othersCpu() - otherBefore;
  clearInterval(poller);
  const peakRssBytes = Math.max(polledPeak, peakResettable ? memory(child.pid).peakRssBytes : 0);
  const requests = result.requests.total;
  // Requests cut off when the run ends still finish upstream: count their calls too, and
  // divide by the requests sent rather than those answered.
  const stats = await settledStubStats(targets.stub);
  const sent = result.requests.sent ?? requests;
  const ownCpuS = targetCpuS + stubCpuS + otherTargetCpuS + (runnerCpu.user + runnerCpu.system) / 1e6;

  let probe: ProbeResult | undefined;
  if (column.connections === 1) {
    // Measured after the autocannon run and outside its CPU window, at the same 0 ms delay.
    const url = new URL(urlOf(targets, target, op));
    probe = await probeLatency(
      url.origin,
      { path: url.pathname, headers: headersFor(op, url.href), body: bodyFor(op, url.href) },
      {
        requests: options.probeRequests,
        warmup: Math.min(200, options.probeRequests),
        check: (status, body) => status >= 200 && status < 300 && looksSuccessful(body),
      },
    );
  }

  return {
    run,
    column: column.id,
    target,
    requests,
    durationS: result.duration,
    reqPerSec: requests / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    targetCpuS,
    targetCpuUsPerRequest: requests ? (targetCpuS * 1e6) / requests : Number.NaN,
    targetCpuCores: targetCpuS / result.duration,
    stubCpuUsPerRequest: requests ? (stubCpuS * 1e6) / requests : Number.NaN,
    runnerCpuUsPerRequest: requests ? (runnerCpu.user + runnerCpu.system) / requests : Number.NaN,
    peakRssBytes,
    upstreamCallsPerRequest: perRequest(stats.counts, sent),
    foreignCpuCores: Math.max(0, machineBusyS - ownCpuS) / result.duration,
    probe,
  };
}

function load(op: Operation, column: Column, url: string, durationS: number): Promise<autocannon.Result> {
  return drive({ url, headers: headersFor(op, url), body: bodyFor(op, url), connections: column.connections, durationS });
}

/** The operations `--profile` profiles: the one through Apollo and the compiled one. */
const PROFILED_OPS: readonly OperationName[] = ['akSk', 'trustedAkSk'];

async function profileGateway(targets: Targets, options: BenchOptions, name: OperationName): Promise<GatewayProfile> {
  const op = OPERATIONS.find((candidate) => candidate.name === name) as Operation;
  const column = COLUMNS.find((candidate) => candidate.id === 'c50-0ms') as Column;
  await setDelay(targets.stub, column.delayMs);
  const fileName = `gateway-${name}-50c.cpuprofile`;
  const file = join(RESULTS, fileName);
  progress(`profiling the gateway under ${op.label} ${column.label} for ${options.duration} s`);
  await targets.gateway.command({ type: 'profile-start' });
  const result = await load(op, column, urlOf(targets, 'gateway', op), options.duration);
  await targets.gateway.command({ type: 'profile-stop', file });
  const ranked = topSelfTime(file, 10, join(ROOT, 'dist-bench'));
  return {
    file: join('bench', 'results', fileName),
    operation: op.label,
    column: column.label,
    reqPerSec: result.requests.total / result.duration,
    ...ranked,
  };
}

function post(url: string, op: Operation): Promise<Answer> {
  return postOnce(url, headersFor(op, url), bodyFor(op, url));
}

async function setDelay(stub: Child, ms: number): Promise<void> {
  await control(stub, `/__delay?ms=${ms}`, 'POST');
}

async function resetStub(stub: Child): Promise<void> {
  await control(stub, '/__reset', 'POST');
}

/** The stub's counters once no call has arrived for 200 ms (at most 5 s). */
async function settledStubStats(stub: Child): Promise<StubStats> {
  let previous = await stubStats(stub);
  for (let waited = 0; waited < 5_000; waited += 200) {
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 200));
    const current = await stubStats(stub);
    if (JSON.stringify(current.counts) === JSON.stringify(previous.counts)) return current;
    previous = current;
  }
  return previous;
}

async function stubStats(stub: Child): Promise<StubStats> {
  return (await (await control(stub, '/__stats', 'GET')).json()) as StubStats;
}

async function control(stub: Child, path: string, method: 'GET' | 'POST'): Promise<Response> {
  const response = await fetch(`${stub.urls.control}${path}`, { method });
  if (!response.ok) throw new Error(`stub ${method} ${path}: HTTP ${response.status}`);
  return response;
}

function perRequest(counts: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([route, count]) => [route, requests ? count / requests : Number.NaN]));
}

runMain(main, 'benchmark');
