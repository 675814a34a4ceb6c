/**
 * `npm run load`: the gateway under many concurrent virtual clients, on loopback, for a fixed
 * time and a capped number of requests. The emulator and the gateway run in child processes of
 * their own, so the gateway's CPU and memory are measured apart from the load generator's.
 * Prints a table, writes `load/results/latest.{json,md}`, exits 1 when a pair was lost or
 * orphaned or the error rate is above `--max-error-rate`, 2 on a usage or start-up error, 3 when
 * the run outlived its own hard time limit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runAutocannonPhase } from './autocannon-phase';
import { gatewayView, scrapeMetrics } from './gateway-metrics';
import { Child, installCleanup, killAllChildren, startChild } from './children';
import { loadUsers } from './load-seed';
import { OperationStats } from './operation-stats';
import { LoadOptions, parseOptions, UsageError } from './options';
import { PairLedger } from './pair-ledger';
import { ProcessSampler } from './process-sampler';
import { judge, LoadReport, renderMarkdown, renderText } from './report';
import { SESSION_STEPS } from './session-operations';
import { readStore } from './store-audit';
import { TimedClient } from './timed-client';
import { runVirtualClient, seededRandom, SessionCounts } from './virtual-client';

/** `load/` in the sources, whichever directory the compiled file runs from. */
const LOAD_DIR = join(__dirname, '..', '..', 'load');
const RESULTS_DIR = join(LOAD_DIR, 'results');
const LOGS_DIR = join(RESULTS_DIR, 'logs');
const UNLIMITED_FAILED_LOGINS = '1000000';

async function main(): Promise<number> {
  let options: LoadOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  installCleanup();
  // The whole run is bounded even if something hangs: phases, audit and shutdown included.
  const hardLimitSeconds = options.warmup + options.duration + options.acDuration + (2 * options.timeoutMs) / 1000 + 120;
  setTimeout(() => {
    process.stderr.write(`load test still running after ${hardLimitSeconds} s: killing it\n`);
    killAllChildren();
    process.exit(3);
  }, hardLimitSeconds * 1000).unref();

  mkdirSync(LOGS_DIR, { recursive: true });
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg()[0];
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log(`starting the emulator (${options.users} users) and the gateway in child processes…`);
  const emulator = await startChild('emulator', join(__dirname, 'emulator-child.js'), {
    env: { LOAD_USERS: String(options.users) },
    logFile: freshLog('emulator.log'),
  });
  const gateway = await startChild('gateway', join(__dirname, 'gateway-child.js'), {
    env: {
      KEYSTONE_URL: emulator.urls.keystoneUrl,
      MULTICLOUD_URL: emulator.urls.multicloudUrl,
      AKSK_BACKEND: 'multicloud',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      // Only failed logins count; raised so a stray failure under load never throttles a user.
      LOGIN_MAX_FAILURES_PER_USER: UNLIMITED_FAILED_LOGINS,
      LOGIN_MAX_FAILURES_PER_ADDRESS: UNLIMITED_FAILED_LOGINS,
    },
    logFile: freshLog('gateway.log'),
  });
  const gatewayUrl = gateway.urls.url;
  if (new URL(gatewayUrl).hostname !== '127.0.0.1') throw new Error(`the gateway listens on ${gatewayUrl}, not on loopback`);
  await expectHealthy(gatewayUrl);
  log(`gateway ${gatewayUrl} (pid ${gateway.pid}), emulator ${emulator.urls.multicloudUrl} (pid ${emulator.pid})`);

  const ledger = new PairLedger();
  const pids = { gateway: gateway.pid, emulator: emulator.pid };

  if (options.warmup > 0) {
    log(`warm-up: ${options.clients} clients for ${options.warmup} s…`);
    await runSessions(options, options.warmup, gatewayUrl, ledger, pids);
  }
  log(`sessions: ${options.clients} clients for ${options.duration} s (at most ${options.maxRequests} requests)…`);
  const sessions = await runSessions(options, options.duration, gatewayUrl, ledger, pids);

  let autocannonResult: LoadReport['autocannon'];
  if (options.acDuration === 0) {
    autocannonResult = { skipped: '--ac-duration 0' };
  } else {
    log(`autocannon: akSk with a warm token, ${options.clients} connections for ${options.acDuration} s…`);
    const setup = new TimedClient(gatewayUrl, 2, options.timeoutMs, new OperationStats(), 100);
    const sampler = new ProcessSampler(pids);
    sampler.start();
    try {
      const summary = await runAutocannonPhase({
        gatewayUrl,
        http: setup,
        ledger,
        clientIndex: options.clients,
        connections: options.clients,
        durationSeconds: options.acDuration,
        maxRequests: options.maxRequests,
        timeoutMs: options.timeoutMs,
      });
      autocannonResult = { ...summary, usage: sampler.stop() };
    } catch (error) {
      sampler.stop();
      autocannonResult = { failed: error instanceof Error ? error.message : String(error) };
    } finally {
      await setup.close();
    }
  }

  log('auditing every pair in the emulator’s Keystone…');
  const store = await readStore(emulator.urls.keystoneUrl, options.timeoutMs);
  ledger.audit(store.pairs, store.userNames);

  await stopAll([gateway, emulator]);

  const partial = {
    startedAt,
    node: process.versions.node,
    loadAverageAtStart,
    options,
    sessions,
    autocannon: autocannonResult,
    pairs: ledger.summary(),
  };
  const report: LoadReport = { ...partial, verdict: judge(partial) };
  process.stdout.write(renderText(report));
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'latest.md'), renderMarkdown(report));
  log(`\nwritten: load/results/latest.json, load/results/latest.md (children's logs in load/results/logs/)`);
  return report.verdict.pass ? 0 : 1;
}

async function runSessions(
  options: LoadOptions,
  seconds: number,
  gatewayUrl: string,
  ledger: PairLedger,
  pids: Record<string, number>,
): Promise<LoadReport['sessions']> {
  const stats = new OperationStats(SESSION_STEPS);
  const http = new TimedClient(gatewayUrl, options.clients, options.timeoutMs, stats, options.maxRequests);
  const users = loadUsers(options.users);
  const counts: SessionCounts = { started: 0, completed: 0, abandoned: 0, interrupted: 0 };
  const sampler = new ProcessSampler(pids);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const stopped = () => performance.now() >= deadline || http.capReached;
  const metricsBefore = await scrapeMetrics(gatewayUrl);
  sampler.start();
  await Promise.all(
    Array.from({ length: options.clients }, (_, index) =>
      runVirtualClient({
        index,
        // Client i owns users i, i + clients, i + 2·clients, …: no two clients share a user.
        users: users.filter((_, userIndex) => userIndex % options.clients === index),
        http,
        ledger,
        counts,
        stopped,
        random: seededRandom(options.seed * 1_000_003 + index),
        downloadRatio: options.downloadRatio,
        logoutRatio: options.logoutRatio,
      }),
    ),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const usage = sampler.stop();
  const gateway = gatewayView(metricsBefore, await scrapeMetrics(gatewayUrl));
  await http.close();
  const operations = stats.summaries();
  const all = operations[operations.length - 1];
  return {
    wallSeconds,
    requests: all.count,
    requestsPerSecond: all.count / wallSeconds,
    errorRate: all.count ? all.errors / all.count : 0,
    capReached: http.capReached,
    counts,
    operations,
    usage,
    gateway,
  };
}

async function expectHealthy(gatewayUrl: string): Promise<void> {
  const response = await request(`${gatewayUrl}/healthz`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`GET /healthz answered ${response.statusCode}`);
}

async function stopAll(children: Child[]): Promise<void> {
  for (const child of children) await child.stop();
}

function freshLog(name: string): string {
  const file = join(LOGS_DIR, name);
  writeFileSync(file, '');
  return file;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load test failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    killAllChildren();
    process.exit(2);
  },
);
