/**
 * `npm run bench:compare`: the working tree's gateway against a baseline commit's, under the same
 * load from the same stub, for "did my change make a request cheaper or dearer?". Each gateway
 * runs in its own process, and every round loads both at once, so they share whatever the machine
 * is doing then: its speed drifts by up to 2x within seconds here, which measuring one after the
 * other turned into differences as large as the ones sought (docs/performance.md). The verdict is
 * read from the rounds' own differences.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Child, installCleanup, killAllChildren, startChild } from './children';
import { COMPARE_USAGE, CompareOptions, parseCompareOptions } from './compare-options';
import { optionsOrExit, progress, runMain } from './cli';
import { drive, postOnce } from './drive';
import { gatewayEnv, writeBenchManifest } from './gateway-env';
import { headersFor, Operation, OPERATIONS } from './operations';
import { PairedRound, PairedSummary, summarisePairs } from './paired';
import { signed } from './report';
import { cpuSeconds } from './procfs';
import { median } from './summary';

const ROOT = resolve(__dirname, '..', '..');
const LOGS = join(ROOT, 'bench', 'results', 'logs');

interface Gateway {
  label: string;
  child: Child;
}

async function main(): Promise<void> {
  const options = optionsOrExit(() => parseCompareOptions(process.argv.slice(2)), COMPARE_USAGE);
  installCleanup();
  const op = OPERATIONS.find((candidate) => candidate.name === options.op) as Operation;
  const commit = git('rev-parse', '--verify', `${options.baseline}^{commit}`);
  const short = commit.slice(0, 10);
  const worktree = join(tmpdir(), `gateway-bench-baseline-${short}`);
  progress(`building the baseline ${options.baseline} (${short}) in ${worktree}`);
  buildBaseline(commit, worktree);
  try {
    await compare(options, op, worktree, short);
  } finally {
    killAllChildren();
    removeWorktree(worktree);
  }
}

async function compare(options: CompareOptions, op: Operation, worktree: string, short: string): Promise<void> {
  mkdirSync(LOGS, { recursive: true });
  const manifest = join(worktree, 'bench-compare-trusted-documents.json');
  writeBenchManifest(manifest);
  const stub = await startChild('upstream stub', join(__dirname, 'upstream-stub.js'), {
    logFile: join(LOGS, 'compare-stub.log'),
  });
  const env = gatewayEnv(stub.urls, options.logLevel, manifest);
  const start = (label: string, module: string, log: string) =>
    startChild(label, module, { env, logFile: join(LOGS, log) }).then((child): Gateway => ({ label, child }));
  for (const log of ['compare-baseline.log', 'compare-current.log']) rmSync(join(LOGS, log), { force: true });
  const startBaseline = () =>
    start(`baseline ${short}`, join(worktree, 'dist-bench', 'bench', 'gateway-child.js'), 'compare-baseline.log');
  const startCurrent = () => start('working tree', join(__dirname, 'gateway-child.js'), 'compare-current.log');

  // The gateway started first costs a few percent less per request for as long as both run (an
  // A/A comparison leans the same way, and the other way when the order is swapped): each half of
  // the rounds starts the two in the other order, and the estimate is the mean of the halves'.
  const halves: Array<{ rounds: PairedRound[]; throughput: { baseline: number[]; current: number[] } }> = [];
  for (const baselineFirst of [true, false]) {
    const first = await (baselineFirst ? startBaseline() : startCurrent());
    const second = await (baselineFirst ? startCurrent() : startBaseline());
    const [baseline, current] = baselineFirst ? [first, second] : [second, first];
    for (const gateway of [baseline, current]) await check(op, gateway);
    if (options.warmup > 0) await Promise.all([baseline, current].map((gateway) => load(op, gateway, options, options.warmup)));
    const half = { rounds: [] as PairedRound[], throughput: { baseline: [] as number[], current: [] as number[] } };
    for (let round = 1; round <= options.rounds / 2; round++) {
      const [fromBaseline, fromCurrent] = await Promise.all([measure(op, baseline, options), measure(op, current, options)]);
      const pair = { baseline: fromBaseline.cpuUs, current: fromCurrent.cpuUs };
      half.rounds.push(pair);
      half.throughput.baseline.push(fromBaseline.reqPerSec);
      half.throughput.current.push(fromCurrent.reqPerSec);
      progress(
        `${baselineFirst ? 'baseline' : 'working tree'} started first, round ${round}/${options.rounds / 2}: ` +
          `baseline ${pair.baseline.toFixed(1)}, working tree ${pair.current.toFixed(1)} µs CPU/request (${signed(pair.current - pair.baseline, 1)})`,
      );
    }
    halves.push(half);
    await Promise.all([baseline.child.stop(), current.child.stop()]);
  }
  await stub.stop();

  const [early, late] = halves.map((half) => summarisePairs(half.rounds));
  const all = summarisePairs(halves.flatMap((half) => half.rounds));
  const estimate = (early.medianDifference + late.medianDifference) / 2;
  const share = (value: number) => `${signed((100 * value) / all.baselineMedian, 1)} %`;
  const rate = (pick: (half: (typeof halves)[number]) => number[]) => Math.round(median(halves.flatMap(pick)));
  const halfLine = (label: string, half: PairedSummary) =>
    `| ${label} | ${signed(half.medianDifference, 1)} µs | ${signed(half.lowerQuartile, 1)} to ${signed(half.upperQuartile, 1)} µs | ${half.currentCheaper} of ${half.rounds} |`;
  process.stdout.write(
    [
      `# ${op.label}: the working tree against ${options.baseline} (${short})`,
      '',
      `${all.rounds} rounds of ${options.duration} s, both gateways loaded at once, ${options.connections} connections each, ` +
        `LOG_LEVEL=${options.logLevel}; ${cpus().length} CPUs shared by the runner, the stub and both gateways, Node ${process.version}.`,
      '',
      '| | CPU µs/request (median) | req/s (median) |',
      '|---|---:|---:|',
      `| baseline ${short} | ${all.baselineMedian.toFixed(1)} | ${rate((half) => half.throughput.baseline)} |`,
      `| working tree | ${all.currentMedian.toFixed(1)} | ${rate((half) => half.throughput.current)} |`,
      '',
      '| working tree − baseline, round by round | median | middle half of the rounds | working tree cheaper |',
      '|---|---:|---:|---:|',
      halfLine('baseline started first', early),
      halfLine('working tree started first', late),
      '',
      `**Estimate: ${signed(estimate, 1)} µs CPU per request (${share(estimate)})**, the mean of the two halves' medians.`,
      '',
    ].join('\n'),
  );
}

/** One measured run: the gateway's own CPU (all its threads, from `/proc`) per answered request. */
async function measure(op: Operation, gateway: Gateway, options: CompareOptions) {
  const before = cpuSeconds(gateway.child.pid);
  const result = await load(op, gateway, options, options.duration);
  const cpuS = cpuSeconds(gateway.child.pid) - before;
  const failed = result.errors + result.timeouts + result.non2xx + result.mismatches;
  if (failed > 0) throw new Error(`${gateway.label}: ${failed} of ${result.requests.sent} requests failed; see ${LOGS}`);
  return { cpuUs: (cpuS * 1e6) / result.requests.total, reqPerSec: result.requests.total / result.duration };
}

function load(op: Operation, gateway: Gateway, options: CompareOptions, durationS: number) {
  const url = `${gateway.child.urls.url}/graphql`;
  return drive({ url, headers: headersFor(op, url), body: op.body, connections: options.connections, durationS });
}

/** A gateway that answers the operation wrongly (a baseline without it, say) stops the comparison. */
async function check(op: Operation, gateway: Gateway): Promise<void> {
  const url = `${gateway.child.urls.url}/graphql`;
  const answer = await postOnce(url, headersFor(op, url), op.body);
  const problem = op.checkGateway(answer.status, answer.json);
  if (problem)
    throw new Error(
      `${gateway.label} answered ${op.label} wrongly (${problem}): HTTP ${answer.status} ${answer.text.slice(0, 300)}`,
    );
}

/** A detached worktree of the commit with this checkout's node_modules, its bench and gateway compiled. */
function buildBaseline(commit: string, worktree: string): void {
  removeWorktree(worktree);
  git('worktree', 'add', '--detach', worktree, commit);
  symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'), 'dir');
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(worktree, 'bench', 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
}

function removeWorktree(worktree: string): void {
  // The link first, by itself: nothing below may ever reach this checkout's node_modules.
  rmSync(join(worktree, 'node_modules'), { force: true });
  if (existsSync(worktree)) {
    try {
      git('worktree', 'remove', '--force', worktree);
    } catch {
      rmSync(worktree, { recursive: true, force: true });
    }
  }
  git('worktree', 'prune');
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

runMain(main, 'comparison');
