/** The benchmark's result types, the targets from the issue, and the Markdown report. */
import type { BenchOptions } from './options';
import type { OperationName } from './operations';
import type { PackageTime, SelfTime } from './cpu-profile';

/** The bare proxy (physical limit), the bare Apollo + type-graphql reference (the stack), the gateway. */
export type TargetName = 'bare' | 'apollo' | 'gateway';

export interface Column {
  id: 'c1-0ms' | 'c50-0ms' | 'c50-20ms';
  label: string;
  connections: number;
  delayMs: number;
}

export interface RunSample {
  run: number;
  column: Column['id'];
  target: TargetName;
  requests: number;
  durationS: number;
  reqPerSec: number;
  /** autocannon's, whole milliseconds. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Answers that were not a successful GraphQL/upstream body. */
  mismatches: number;
  targetCpuS: number;
  targetCpuUsPerRequest: number;
  /** CPU seconds per wall second: 1.0 is one core saturated. */
  targetCpuCores: number;
  stubCpuUsPerRequest: number;
  /** The load generator's own cost (this process). */
  runnerCpuUsPerRequest: number;
  peakRssBytes: number;
  /** Stub calls per route divided by requests sent (those cut off at the end finish upstream too). */
  upstreamCallsPerRequest: Record<string, number>;
  /** Machine CPU used by processes other than the runner, the two targets and the stub: noise. */
  foreignCpuCores: number;
  /** 1-client column only: sequential hrtime-timed requests. */
  probe?: { requests: number; p50Ms: number; p90Ms: number; p99Ms: number; meanMs: number; failures: number };
}

export interface TargetSummary {
  runs: number;
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  probe?: { p50Ms: number; p99Ms: number; meanMs: number; failures: number };
  cpuUsPerRequest: number;
  cpuCores: number;
  stubCpuUsPerRequest: number;
  runnerCpuUsPerRequest: number;
  /** The highest of the runs. */
  peakRssBytes: number;
  upstreamCallsPerRequest: Record<string, number>;
  /** Connection errors + non-2xx + mismatched bodies, all runs. */
  failures: number;
  /** The highest of the runs' CPU used by unrelated processes on the machine. */
  foreignCpuCores: number;
}

export interface ColumnSummary {
  column: Column;
  bare: TargetSummary;
  apollo: TargetSummary;
  gateway: TargetSummary;
  // The comparisons below are each the median over runs of that run's figure (targets back to back).
  /** Gateway req/s over bare proxy req/s. */
  reqPerSecRatio: number;
  apolloReqPerSecRatio: number;
  /** Bare proxy CPU per request over the gateway's: the issue's "ratio to the bare proxy". */
  cpuRatio: number;
  /** The lowest and highest of the runs' CPU ratios. */
  cpuRatioRange: [number, number];
  apolloCpuRatio: number;
  /** Gateway CPU per request minus the Apollo reference's: the cost of the gateway's own layers. */
  ownLayersUs: number;
  /** Gateway p50 minus bare p50: the hrtime probe's at 1 client, autocannon's otherwise. */
  p50DeltaMs: number;
  apolloP50DeltaMs: number;
}

export interface OperationReport {
  name: OperationName;
  label: string;
  /** Why the operation was not measured, e.g. the schema lacks it. */
  unavailable?: string;
  /** Upstream calls per request counted exactly over a few sequential requests (warm token cache). */
  exactUpstreamCalls: Record<TargetName, Record<string, number>>;
  columns: ColumnSummary[];
  samples: RunSample[];
}

export interface TargetCheck {
  target: string;
  threshold: string;
  measured: string;
  pass: boolean | undefined;
}

export interface BenchReport {
  meta: {
    startedAt: string;
    finishedAt: string;
    node: string;
    cpus: number;
    /** 1, 5 and 15 minute load averages when the run started and ended. */
    loadAverage: { start: number[]; end: number[] };
    /** RSS of each child once started and idle, before any load. */
    idleRssBytes: Record<string, number>;
    options: BenchOptions;
    gatewayEnv: Record<string, string>;
  };
  operations: OperationReport[];
  targets: TargetCheck[];
  /** With `--profile`: the gateway under 50-client load of each profiled operation. */
  profiles: GatewayProfile[];
}

export interface GatewayProfile {
  file: string;
  operation: string;
  column: string;
  reqPerSec: number;
  totalMs: number;
  idleMs: number;
  top: SelfTime[];
  byPackage: PackageTime[];
}

const MB = 2 ** 20;

export const TARGET_LABELS: Record<TargetName, string> = { bare: 'bare proxy', apollo: 'Apollo reference', gateway: 'gateway' };

/** The issue's targets (issue 15), each against one bench run: comparisons are medians of per-run figures. */
export function evaluateTargets(report: BenchReport): TargetCheck[] {
  const columnOf = (name: OperationName, id: Column['id']) =>
    report.operations.find((op) => op.name === name && !op.unavailable)?.columns.find((summary) => summary.column.id === id);
  const checks: TargetCheck[] = [];
  const cpuRatio = (name: OperationName, label: string, min: number) => {
    const summary = columnOf(name, 'c50-0ms');
    checks.push({
      target: `${label} 50 clients: bare proxy CPU/req / gateway CPU/req`,
      threshold: `>= ${min.toFixed(2)}`,
      measured: summary
        ? `${summary.cpuRatio.toFixed(2)} (runs ${summary.cpuRatioRange.map((ratio) => ratio.toFixed(2)).join('–')}; ` +
          `medians ${fixed(summary.bare.cpuUsPerRequest, 0)} / ${fixed(summary.gateway.cpuUsPerRequest, 0)} µs)`
        : 'not run',
      pass: summary ? summary.cpuRatio >= min : undefined,
    });
  };
  cpuRatio('trustedAkSk', 'trusted akSk', 0.55);
  cpuRatio('akSk', 'akSk', 0.38);
  const fifty = columnOf('akSk', 'c50-0ms');
  checks.push({
    target: 'akSk 50 clients: gateway CPU/req - Apollo reference CPU/req',
    threshold: '<= 50 µs',
    measured: fifty
      ? `${signed(fifty.ownLayersUs, 0)} µs (medians ${fixed(fifty.gateway.cpuUsPerRequest, 0)} - ${fixed(fifty.apollo.cpuUsPerRequest, 0)})`
      : 'not run',
    pass: fifty ? fifty.ownLayersUs <= 50 : undefined,
  });
  const single = columnOf('akSk', 'c1-0ms');
  checks.push({
    target: 'akSk 1 client: gateway p50 - bare proxy p50 (hrtime probe)',
    threshold: '<= 0.150 ms',
    measured:
      single?.gateway.probe && single.bare.probe
        ? `${signed(single.p50DeltaMs, 3)} ms (medians ${single.gateway.probe.p50Ms.toFixed(3)} vs ${single.bare.probe.p50Ms.toFixed(3)})`
        : 'not run',
    pass: single?.gateway.probe ? single.p50DeltaMs <= 0.15 : undefined,
  });
  const loaded = (['c50-0ms', 'c50-20ms'] as const)
    .map((id) => columnOf('akSk', id))
    .filter((summary): summary is ColumnSummary => summary !== undefined);
  const peak = Math.max(...loaded.map((summary) => summary.gateway.peakRssBytes));
  checks.push({
    target: 'akSk 50 clients: peak RSS of the gateway process',
    threshold: '<= 160 MB',
    measured: loaded.length ? `${fixed(peak / MB, 0)} MB` : 'not run',
    pass: loaded.length ? peak <= 160 * MB : undefined,
  });
  const slow = columnOf('akSk', 'c50-20ms');
  checks.push({
    target: 'akSk 50 clients / 20 ms upstream: gateway req/s / bare proxy req/s',
    threshold: '>= 0.95',
    measured: slow
      ? `${slow.reqPerSecRatio.toFixed(2)} (medians ${fixed(slow.gateway.reqPerSec, 0)} / ${fixed(slow.bare.reqPerSec, 0)})`
      : 'not run',
    pass: slow ? slow.reqPerSecRatio >= 0.95 : undefined,
  });
  const users = report.operations.find((op) => op.name === 'users');
  const calls = users?.exactUpstreamCalls.gateway['multicloud.listAkSks'];
  checks.push({
    target: 'users { akSks } (50 users): upstream AK/SK calls per request',
    threshold: '<= 50',
    measured: !users ? 'not run' : users.unavailable ? `n/a (${users.unavailable})` : fixed(calls ?? 0, 2),
    pass: users && !users.unavailable ? (calls ?? 0) <= 50 : undefined,
  });
  return checks;
}

export function renderMarkdown(report: BenchReport): string {
  const { meta } = report;
  const lines: string[] = [
    '# Gateway vs. the thinnest Node proxy and a bare Apollo + type-graphql server',
    '',
    `${meta.startedAt} — Node ${meta.node}, ${meta.cpus} CPUs shared by load generator, target and stub. ` +
      `Medians of ${meta.options.runs} run(s) of ${meta.options.duration} s per cell, bare proxy, Apollo reference and gateway interleaved, each its own process; ` +
      "ratios and differences between targets are the median of each run's own (its three targets measured back to back), so the machine's speed drifting between runs does not move them; " +
      'the Apollo reference is Apollo Server 5 + type-graphql with the same schema shape and no application code (bench/apollo-reference.ts); ' +
      `gateway with NODE_ENV=production, LOG_LEVEL=${meta.options.logLevel}. ` +
      'req/s and p50 from autocannon (whole ms), except the 1-client p50/p99, which come from a separate ' +
      `sequential probe of ${meta.options.probeRequests} requests timed with hrtime.`,
    '',
    `Idle RSS after start: ${Object.entries(meta.idleRssBytes)
      .map(([name, bytes]) => `${name} ${fixed(bytes / MB, 0)} MB`)
      .join(', ')}. ` +
      `Load average at start ${meta.loadAverage.start.map((value) => value.toFixed(2)).join(' ')}, at end ${meta.loadAverage.end.map((value) => value.toFixed(2)).join(' ')}; ` +
      'the "other load" column is CPU used meanwhile by processes outside the benchmark (noise when above ~0.1 core).',
    '',
    ...noiseWarning(report),
    '## Targets',
    '',
    '| target | threshold | measured | result |',
    '|---|---|---|---|',
    ...report.targets.map(
      (check) =>
        `| ${check.target} | ${check.threshold} | ${check.measured} | ${check.pass === undefined ? 'n/a' : check.pass ? 'PASS' : 'MISS'} |`,
    ),
    '',
  ];
  for (const op of report.operations) {
    lines.push(`## \`${op.label}\``, '');
    if (op.unavailable) {
      lines.push(`n/a: ${op.unavailable}`, '');
      continue;
    }
    lines.push(
      `Upstream calls per request (exact, warm token cache): gateway ${describeCalls(op.exactUpstreamCalls.gateway)}; bare proxy ${describeCalls(op.exactUpstreamCalls.bare)}.`,
      '',
      `| | ${op.columns.map((summary) => `${summary.column.label} req/s | p50 | p99`).join(' | ')} |`,
      `|---|${op.columns.map(() => '---:|---:|---:').join('|')}|`,
      `| bare proxy | ${op.columns.map((summary) => throughputCells(summary.bare)).join(' | ')} |`,
      `| Apollo reference | ${op.columns.map((summary) => throughputCells(summary.apollo)).join(' | ')} |`,
      `| gateway | ${op.columns.map((summary) => throughputCells(summary.gateway)).join(' | ')} |`,
      `| Apollo reference / bare | ${op.columns
        .map(
          (summary) =>
            `${summary.apolloReqPerSecRatio.toFixed(2)} | ${signed(summary.apolloP50DeltaMs, summary.apollo.probe ? 3 : 0)} ms | `,
        )
        .join(' | ')} |`,
      `| gateway / bare | ${op.columns
        .map(
          (summary) =>
            `**${summary.reqPerSecRatio.toFixed(2)}** | ${signed(summary.p50DeltaMs, summary.gateway.probe ? 3 : 0)} ms | `,
        )
        .join(' | ')} |`,
      '',
      'CPU ratio = bare proxy CPU/req ÷ the target\'s (1.00 is the physical limit); "above Apollo" = gateway CPU/req − Apollo reference CPU/req; both the median of the runs\' own.',
      '',
      '| column | target | CPU µs/req | CPU ratio | CPU cores | stub CPU µs/req | load-gen CPU µs/req | peak RSS | upstream calls/req (under load) | failed | other load (cores) |',
      '|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|',
    );
    for (const summary of op.columns) {
      for (const target of ['bare', 'apollo', 'gateway'] as const) {
        const t = summary[target];
        const ratio =
          target === 'bare'
            ? '1.00'
            : target === 'apollo'
              ? fixed(summary.apolloCpuRatio, 2)
              : `**${fixed(summary.cpuRatio, 2)}** (${signed(summary.ownLayersUs, 0)} µs above Apollo)`;
        lines.push(
          `| ${summary.column.label} | ${TARGET_LABELS[target]} | ${fixed(t.cpuUsPerRequest, 0)} | ${ratio} | ${fixed(t.cpuCores, 2)} | ` +
            `${fixed(t.stubCpuUsPerRequest, 0)} | ${fixed(t.runnerCpuUsPerRequest, 0)} | ${fixed(t.peakRssBytes / MB, 0)} MB | ` +
            `${describeCalls(t.upstreamCallsPerRequest)} | ${t.failures + (t.probe?.failures ?? 0)} | ${fixed(t.foreignCpuCores, 2)} |`,
        );
      }
    }
    lines.push('');
  }
  for (const profile of report.profiles) {
    lines.push(
      `## Where the gateway spends its CPU: \`${profile.operation}\``,
      '',
      `V8 CPU profile of the gateway process under \`${profile.operation}\` at ${profile.column} (${fixed(profile.reqPerSec, 0)} req/s while profiled), ` +
        `${fixed(profile.totalMs, 0)} ms sampled of which ${fixed(profile.idleMs, 0)} ms idle; \`${profile.file}\` opens in Chrome DevTools. Top 10 by self time:`,
      '',
      '| # | function | where | self ms | % |',
      '|---:|---|---|---:|---:|',
      ...profile.top.map(
        (entry, index) =>
          `| ${index + 1} | \`${entry.function}\` | ${entry.location || '(native)'} | ${fixed(entry.selfMs, 0)} | ${fixed(entry.percent, 1)} |`,
      ),
      '',
      'Self time by package (top 12):',
      '',
      '| package | self ms | % |',
      '|---|---:|---:|',
      ...profile.byPackage
        .slice(0, 12)
        .map((entry) => `| ${entry.package} | ${fixed(entry.selfMs, 0)} | ${fixed(entry.percent, 1)} |`),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs slowed by unrelated work on the machine: their numbers understate both targets. */
function noiseWarning(report: BenchReport): string[] {
  const samples = report.operations.flatMap((op) => op.samples);
  const noisy = samples.filter((sample) => sample.foreignCpuCores > 0.25);
  const unsteady = unsteadyRatios(report);
  if (noisy.length === 0) return unsteady;
  const worst = Math.max(...noisy.map((sample) => sample.foreignCpuCores));
  return [
    ...unsteady,
    `**Noisy machine:** ${noisy.length} of ${samples.length} runs shared the CPUs with other processes using more than 0.25 core ` +
      `(up to ${worst.toFixed(2)}); absolute numbers are pessimistic and ratios less certain. Re-run on a quiet machine before concluding.`,
    '',
  ];
}

/** CPU ratios whose runs disagree by more than a quarter: the machine's speed moved within a run. */
function unsteadyRatios(report: BenchReport): string[] {
  const unsteady = report.operations.flatMap((op) =>
    op.unavailable
      ? []
      : op.columns
          .filter(({ cpuRatioRange: [low, high] }) => high > low * 1.25)
          .map(({ column, cpuRatioRange: [low, high] }) => `${op.label} ${column.label} (${low.toFixed(2)}–${high.toFixed(2)})`),
  );
  if (unsteady.length === 0) return [];
  return [
    `**Unsteady runs:** the CPU ratio's runs differ by more than 25 % in ${unsteady.join(', ')}: ` +
      'the machine changed speed while a run measured its targets one after another. Re-run before concluding from those cells.',
    '',
  ];
}

function throughputCells(summary: TargetSummary): string {
  if (summary.probe) {
    return `${fixed(summary.reqPerSec, 0)} | ${summary.probe.p50Ms.toFixed(3)} ms | ${summary.probe.p99Ms.toFixed(3)} ms`;
  }
  return `${fixed(summary.reqPerSec, 0)} | ${fixed(summary.latencyP50Ms, 0)} ms | ${fixed(summary.latencyP99Ms, 0)} ms`;
}

/** Token validations are always shown: that they stay near 0 is the introspection cache at work. */
function describeCalls(calls: Record<string, number>): string {
  const entries = Object.entries({ ...calls, 'keystone.validateToken': calls['keystone.validateToken'] ?? 0 })
    .filter(([route, count]) => count > 0 || route === 'keystone.validateToken')
    .sort(([a], [b]) => Number(a.endsWith('validateToken')) - Number(b.endsWith('validateToken')) || a.localeCompare(b));
  return entries
    .map(
      ([route, count]) =>
        `${route.replace(/^(keystone|multicloud)\./, '')} ${count >= 0.995 || count === 0 ? fixed(count, 2) : count.toPrecision(2)}`,
    )
    .join(', ');
}

export function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
