/**
 * `npm run bench:instructions`: instructions per request of the bare proxy, the Apollo reference
 * and the gateway, each run under valgrind's callgrind, which counts instructions rather than
 * seconds. This machine's speed drifts by up to 2x within seconds (docs/performance.md), so CPU
 * time needs many interleaved rounds to see a few microseconds; the median of three batches of
 * instructions repeats to about 1 % (the bare proxy's to 4 %) and shows a change of a few
 * thousand per request.
 *
 * Each target runs alone under callgrind (about 50x slower than natively): the stub answers as
 * in `npm run bench`, the requests of the warm-up are not counted (V8 compiles the hot code
 * then), and counting is switched on for exactly the measured requests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { largestDifferences, nameCompiledCode, parseFlatProfile, totalInstructions } from './callgrind';
import { Child, installCleanup, killAllChildren, startChild } from './children';
import { optionsOrExit, progress, runMain } from './cli';
import { gatewayEnv, referenceEnvs, writeBenchManifest } from './gateway-env';
import { INSTRUCTIONS_USAGE, InstructionsOptions, parseInstructionsOptions } from './instructions-options';
import { headersFor, Operation, OPERATIONS, requestOf } from './operations';

const ROOT = resolve(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const REPORT = join(RESULTS, 'instructions.md');
// valgrind names the pipes callgrind_control talks through after $HOST: every child and every
// callgrind_control call gets the same one.
const HOST = '127.0.0.1';

type TargetKey = 'bare' | 'apollo' | 'gateway';

interface Target {
  key: TargetKey;
  label: string;
  module: string;
  env: Record<string, string>;
}

interface Measured {
  /** Instructions per request: the median batch's. */
  perRequest: number;
  /** The lowest and highest batch. */
  low: number;
  high: number;
  /** Self instructions per function over the measured requests (with --profile). */
  profile?: Map<string, number>;
}

type Results = Map<string, Partial<Record<TargetKey, Measured>>>;

async function main(): Promise<void> {
  const options = optionsOrExit(() => parseInstructionsOptions(process.argv.slice(2)), INSTRUCTIONS_USAGE);
  requireValgrind();
  installCleanup();
  const work = mkdtempSync(join(tmpdir(), 'gateway-instructions-'));
  try {
    const results = await measureAll(options, work);
    const report = render(options, results);
    writeFileSync(REPORT, report);
    process.stdout.write(`\n${report}`);
    progress(`written ${join('bench', 'results', 'instructions.md')}`);
  } finally {
    killAllChildren();
    rmSync(work, { recursive: true, force: true });
  }
}

function requireValgrind(): void {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('bench:instructions needs valgrind (callgrind and callgrind_control): apt-get install valgrind\n');
    process.exit(2);
  }
}

async function measureAll(options: InstructionsOptions, work: string): Promise<Results> {
  const manifest = join(work, 'trusted-documents.json');
  writeBenchManifest(manifest);
  const stub = await startChild('upstream stub', join(__dirname, 'upstream-stub.js'), { logFile: join(work, 'stub.log') });
  const references = referenceEnvs(stub.urls);
  const targets: Target[] = [
    { key: 'bare', label: 'bare proxy', module: 'bare-proxy.js', env: { ...references.bare, HOST } },
    { key: 'apollo', label: 'Apollo reference', module: 'apollo-reference.js', env: { ...references.apollo, HOST } },
    {
      key: 'gateway',
      label: 'gateway',
      module: 'gateway-child.js',
      // What the gateway does once a minute (the expiry sweep, checking the caller's token again
      // with Keystone) is a thousand requests apart under valgrind, not a hundred thousand, and
      // each of those calls took the upstream client down paths that threw its optimised code
      // away: batches caught V8 recompiling it and counted two to five times the instructions.
      // Once a day and once an hour here: per request, both cost nothing natively.
      env: {
        ...gatewayEnv(stub.urls, options.logLevel, manifest),
        AKSK_EXPIRY_SWEEP_MS: '86400000',
        TOKEN_CACHE_TTL_MS: '3600000',
      },
    },
  ];
  const ops = options.ops.map((name) => OPERATIONS.find((op) => op.name === name) as Operation);
  const results: Results = new Map(ops.map((op) => [op.name, {}]));
  // A process per operation: after a switch of operation, V8's re-optimising under valgrind took
  // longer than the warm-up, and one or two counted batches read two or three times the rest.
  for (const op of ops) {
    for (const target of targets) {
      const child = await startChild(target.label, join(__dirname, target.module), {
        env: target.env,
        execPath: 'valgrind',
        execArgv: [
          '--tool=callgrind',
          '--instr-atstart=no',
          // V8 writes and rewrites machine code: valgrind must notice code that changes.
          '--smc-check=all-non-file',
          `--callgrind-out-file=${join(work, `${target.key}.%p`)}`,
          process.execPath,
          ...(options.profile ? ['--perf-basic-prof'] : []),
        ],
        logFile: join(work, `${target.key}.log`),
        readyTimeoutMs: 300_000,
      });
      try {
        const measured = await measureOne(options, target, child, op, (batch) =>
          join(work, `${target.key}.${child.pid}.${batch + 1}`),
        );
        (results.get(op.name) as Partial<Record<TargetKey, Measured>>)[target.key] = measured;
        progress(
          `${target.label}, ${op.label}: ${Math.round(measured.perRequest)} instructions per request ` +
            `(batches ${Math.round(measured.low)} to ${Math.round(measured.high)})`,
        );
      } finally {
        await child.stop(60_000);
        rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
      }
    }
  }
  await stub.stop();
  return results;
}

async function measureOne(
  options: InstructionsOptions,
  target: Target,
  child: Child,
  op: Operation,
  dumpFile: (batch: number) => string,
): Promise<Measured> {
  const { path, body } = requestOf(op, target.key);
  const url = `${child.urls.url}${path}`;
  const pool = new Pool(child.urls.url, { connections: options.connections });
  const send = (count: number) =>
    sendAll(pool, { path, headers: headersFor(op, url), body }, count, options.connections, target, op);
  const batches: Array<{ perRequest: number; file: string }> = [];
  try {
    progress(`${target.label}, ${op.label}: ${options.warmup} requests to warm up`);
    await send(options.warmup);
    for (let batch = 0; batch < options.batches; batch++) {
      callgrind(child, '--zero');
      callgrind(child, '--instr=on');
      await send(options.requests);
      callgrind(child, '--instr=off');
      callgrind(child, `--dump=${op.name}-${batch + 1}`);
      const file = dumpFile(batch);
      batches.push({ perRequest: totalInstructions(await dumped(file)) / options.requests, file });
    }
  } finally {
    await pool.close();
  }
  // A batch that caught a mark-compact or a late optimisation reads a few percent high: the median leaves it out.
  const middle = [...batches].sort((a, b) => a.perRequest - b.perRequest)[(batches.length - 1) >> 1];
  const range = batches.map((batch) => batch.perRequest);
  const measured: Measured = { perRequest: middle.perRequest, low: Math.min(...range), high: Math.max(...range) };
  if (!options.profile) return measured;
  const perfMap = `/tmp/perf-${child.pid}.map`;
  const dump = readFileSync(middle.file, 'utf8');
  const named = `${middle.file}.named`;
  writeFileSync(named, existsSync(perfMap) ? nameCompiledCode(dump, readFileSync(perfMap, 'utf8')) : dump);
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', named], { maxBuffer: 256 * 1024 * 1024 }).toString();
  return { ...measured, profile: parseFlatProfile(annotated) };
}

interface Request {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** `count` requests, `connections` at a time; every answer is checked, as the bench checks them. */
async function sendAll(pool: Pool, request: Request, count: number, connections: number, target: Target, op: Operation) {
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const answer = await pool.request({ method: 'POST', ...request });
      const text = await answer.body.text();
      const problem =
        target.key === 'bare'
          ? answer.statusCode >= 200 && answer.statusCode < 300
            ? undefined
            : 'not a 2xx answer'
          : op.checkGateway(answer.statusCode, JSON.parse(text));
      if (problem) throw new Error(`${target.label}, ${op.label}: ${problem}: HTTP ${answer.statusCode} ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

function callgrind(child: Child, command: string): void {
  execFileSync('callgrind_control', [command, String(child.pid)], { env: { ...process.env, HOST }, stdio: 'ignore' });
}

/** The dump callgrind_control asked for, once callgrind has finished writing it. */
async function dumped(file: string): Promise<string> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (/^totals:/m.test(text)) return text;
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`callgrind wrote no dump ${file} within a minute`);
}

function render(options: InstructionsOptions, results: Results): string {
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' plus uncommitted changes' : '';
  const thousands = (value: number) => `${(value / 1000).toFixed(1)} k`;
  const cell = (measured: Measured) =>
    options.batches > 1
      ? `${thousands(measured.perRequest)} (${(measured.low / 1000).toFixed(1)}–${(measured.high / 1000).toFixed(1)})`
      : thousands(measured.perRequest);
  const lines = [
    '# Instructions per request (callgrind)',
    '',
    `\`npm run bench:instructions\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}${dirty}: ` +
      `per operation and target ${options.warmup} uncounted requests, then ${options.batches} counted batches of ${options.requests} ` +
      `(each cell: the median batch, and the lowest to the highest), ` +
      `${options.connections} in flight, the gateway at LOG_LEVEL=${options.logLevel}, Node ${process.version}. ` +
      "Ratios are the bare proxy's instructions per request divided by the target's, as `npm run bench` divides CPU time.",
    '',
    '| operation | bare proxy | Apollo reference | gateway | gateway ratio | Apollo reference ratio | gateway − Apollo reference |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, measured] of results) {
    const { bare, apollo, gateway } = measured as Record<TargetKey, Measured>;
    const label = (OPERATIONS.find((op) => op.name === name) as Operation).label;
    lines.push(
      `| ${label} | ${cell(bare)} | ${cell(apollo)} | ${cell(gateway)} | ` +
        `${(bare.perRequest / gateway.perRequest).toFixed(2)} | ${(bare.perRequest / apollo.perRequest).toFixed(2)} | ` +
        `${gateway.perRequest >= apollo.perRequest ? '+' : '−'}${thousands(Math.abs(gateway.perRequest - apollo.perRequest))} |`,
    );
  }
  for (const [name, measured] of results) {
    const { bare, apollo, gateway } = measured as Record<TargetKey, Measured>;
    const label = (OPERATIONS.find((op) => op.name === name) as Operation).label;
    lines.push(...differences(label, 'the bare proxy', bare, gateway, options.requests));
    // Where the gateway costs more than the stack alone, what it adds to it.
    if (gateway.perRequest > apollo.perRequest) {
      lines.push(...differences(label, 'the Apollo reference', apollo, gateway, options.requests));
    }
  }
  return `${lines.join('\n')}\n`;
}

function differences(label: string, referenceLabel: string, reference: Measured, gateway: Measured, requests: number): string[] {
  if (!reference.profile || !gateway.profile) return [];
  return [
    '',
    `## ${label}: where the gateway spends beyond ${referenceLabel}`,
    '',
    'Self instructions per request by function (V8 builtins, native code, and JavaScript by file and line).',
    '',
    `| beyond ${referenceLabel} | ${referenceLabel} | gateway | function |`,
    '|---:|---:|---:|---|',
    ...largestDifferences(reference.profile, gateway.profile, requests, 40).map(
      (row) =>
        `| ${Math.round(row.target - row.reference)} | ${Math.round(row.reference)} | ${Math.round(row.target)} | ` +
        `\`${row.name.slice(0, 140).replace(/\|/g, '\\|')}\` |`,
    ),
  ];
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT }).toString().trim();
}

runMain(main, 'bench:instructions');
