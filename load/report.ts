/** The load test's results: a verdict, a plain-text table for the terminal, and Markdown. */
import { AutocannonSummary } from './autocannon-phase';
import { GatewayView } from './gateway-metrics';
import { LoadOptions } from './options';
import { OperationSummary } from './operation-stats';
import { FINDING_MEANINGS, FindingKind, LedgerSummary } from './pair-ledger';
import { UsageReport } from './process-sampler';
import { SessionCounts } from './virtual-client';

export interface LoadReport {
  startedAt: string;
  node: string;
  /** 1-minute load average of the machine when the run started. */
  loadAverageAtStart: number;
  options: LoadOptions;
  sessions: {
    wallSeconds: number;
    requests: number;
    requestsPerSecond: number;
    errorRate: number;
    capReached: boolean;
    counts: SessionCounts;
    operations: OperationSummary[];
    usage: UsageReport;
    /** The gateway's own `/metrics` over the measured sessions. */
    gateway: GatewayView;
  };
  autocannon: (AutocannonSummary & { usage: UsageReport }) | { skipped: string } | { failed: string };
  pairs: LedgerSummary;
  verdict: { pass: boolean; failures: string[] };
}

export function judge(report: Omit<LoadReport, 'verdict'>): LoadReport['verdict'] {
  const failures: string[] = [];
  const { maxErrorRate } = report.options;
  if (report.sessions.errorRate > maxErrorRate) {
    failures.push(`session error rate ${percent(report.sessions.errorRate)} above ${percent(maxErrorRate)}`);
  }
  if ('failed' in report.autocannon) failures.push(`autocannon phase failed: ${report.autocannon.failed}`);
  if ('errorRate' in report.autocannon && report.autocannon.errorRate > maxErrorRate) {
    failures.push(`autocannon error rate ${percent(report.autocannon.errorRate)} above ${percent(maxErrorRate)}`);
  }
  for (const [kind, count] of Object.entries(report.pairs.findings)) {
    if (count > 0) failures.push(`${count} ${kind}: ${FINDING_MEANINGS[kind as FindingKind]}`);
  }
  if (Number.isNaN(report.pairs.storePairs)) failures.push('the store was not audited');
  return { pass: failures.length === 0, failures };
}

type Table = { head: string[]; rows: string[][]; align?: ('l' | 'r')[] };

function tables(report: LoadReport): Array<{ title: string; table?: Table; lines?: string[] }> {
  const s = report.sessions;
  const o = report.options;
  const sections: Array<{ title: string; table?: Table; lines?: string[] }> = [];

  sections.push({
    title: `Sessions: ${o.clients} clients × ${fixed(s.wallSeconds, 1)} s after ${o.warmup} s of warm-up, ${o.users} users (login → scopeToken → createAkSk → akSk → [download ${percent(o.downloadRatio, 0)}] → deleteAkSk → [logout ${percent(o.logoutRatio, 0)}])`,
    table: {
      head: ['operation', 'requests', 'errors', 'mean ms', 'in gateway', 'p50 ms', 'p99 ms', 'max ms', 'errors by code'],
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      rows: s.operations.map((row) => [
        row.operation,
        String(row.count),
        String(row.errors),
        fixed(row.meanMs, 2),
        fixed(s.gateway.operations.find((inside) => inside.operation === row.operation)?.meanMs ?? NaN, 2),
        fixed(row.p50Ms, 2),
        fixed(row.p99Ms, 2),
        fixed(row.maxMs, 1),
        codes(row.errorsByCode),
      ]),
    },
    lines: [
      `${s.requests} requests in ${fixed(s.wallSeconds, 1)} s = ${fixed(s.requestsPerSecond, 0)} req/s; error rate ${percent(s.errorRate)}` +
        (s.capReached ? ` (request cap ${o.maxRequests} reached)` : ''),
      '"in gateway": the mean the gateway measured itself (its /metrics), from Apollo taking the request to its answer',
      `sessions: ${s.counts.started} started, ${s.counts.completed} completed, ${s.counts.abandoned} abandoned after a failed login/scope, ${s.counts.interrupted} cut by the end of the phase`,
    ],
  });

  const g = s.gateway;
  sections.push({
    title: 'Upstream calls the gateway made during the sessions (its /metrics)',
    table: {
      head: ['upstream route', 'calls', 'per request', 'mean ms'],
      align: ['l', 'r', 'r', 'r'],
      rows: g.upstream.map((row) => [
        row.route,
        String(row.calls),
        fixed(row.calls / Math.max(1, s.requests), 2),
        fixed(row.meanMs, 2),
      ]),
    },
    lines: [
      `token cache: ${codes(g.tokenCache) || 'no lookups'}; garbage collection ${fixed(g.gcSeconds, 2)} s of ${fixed(s.wallSeconds, 1)} s; event-loop delay p99 ${fixed(g.eventLoopLagP99Ms, 1)} ms; V8 heap at the end ${fixed(g.heapUsedMiB, 0)} MiB used of ${fixed(g.heapTotalMiB, 0)} MiB`,
    ],
  });

  const p = report.pairs;
  const findings = Object.entries(p.findings).filter(([, count]) => count > 0);
  sections.push({
    title: 'Pairs: what clients were told against what the store holds after every client stopped',
    table: {
      head: ['check', 'count'],
      align: ['l', 'r'],
      rows: [
        ['createAkSk calls (the sessions’, and the autocannon phase’s one)', String(p.createCalls)],
        ['… returned a pair to its client', String(p.returned)],
        [`… failed (${codes(p.createFailuresByCode) || 'none'})`, String(p.createFailures)],
        ['… of which left a pair in the store (orphans)', String(p.findings['orphan-after-failed-create'])],
        ['pairs deleted by their client', String(p.deletedByClient)],
        ['pairs held by their client at the end', String(p.heldAtEnd)],
        ['… of which in the store', String(p.heldInStore)],
        ['pairs whose deleteAkSk failed (client knows; in the store)', `${p.deleteUncertainAtEnd} (${p.deleteUncertainInStore})`],
        ['pairs in the store at the end', String(p.storePairs)],
        [
          'lost / orphaned / other findings',
          findings.length ? findings.map(([kind, count]) => `${kind} ${count}`).join(', ') : '0',
        ],
      ],
    },
    lines: p.examples.map((finding) => `${finding.kind} (${finding.seenAt}): ${finding.userName} ${finding.accessKey}`),
  });

  const usageRows = (usage: UsageReport, phase: string) =>
    Object.entries(usage.processes).map(([name, use]) => [
      phase,
      name,
      fixed(use.cpuCores, 2),
      fixed(use.rssStartMiB, 0),
      fixed(use.rssEndMiB, 0),
      fixed(use.rssMaxSampledMiB, 0),
      fixed(use.peakRssMiB, 0),
    ]);
  const usage: string[][] = usageRows(s.usage, 'sessions');
  if ('usage' in report.autocannon) usage.push(...usageRows(report.autocannon.usage, 'autocannon'));
  sections.push({
    title: 'Processes (CPU in cores of 2; RSS in MiB; peak = VmHWM over the whole process life)',
    table: {
      head: ['phase', 'process', 'CPU', 'RSS start', 'RSS end', 'RSS max sampled', 'peak RSS'],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
      rows: usage,
    },
    lines: [
      `other processes on the machine used ${fixed(s.usage.otherCores, 2)} cores during the sessions` +
        ('usage' in report.autocannon ? ` and ${fixed(report.autocannon.usage.otherCores, 2)} during autocannon` : '') +
        `; load average at start ${fixed(report.loadAverageAtStart, 2)}`,
    ],
  });

  const a = report.autocannon;
  if ('requests' in a) {
    sections.push({
      title: `autocannon: ${a.operation}, ${a.connections} connections × ${fixed(a.durationSeconds, 1)} s`,
      table: {
        head: ['requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'timeouts', 'wrong body'],
        align: ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows: [
          [
            a.requests,
            fixed(a.requestsPerSecond, 0),
            a.latencyP50Ms,
            a.latencyP99Ms,
            a.latencyMaxMs,
            a.non2xx,
            a.errors,
            a.timeouts,
            a.mismatches,
          ].map(String),
        ],
      },
      lines: ["latencies are autocannon's (whole milliseconds, 2xx only)"],
    });
  } else {
    sections.push({ title: 'autocannon', lines: ['skipped' in a ? `skipped: ${a.skipped}` : `FAILED: ${a.failed}`] });
  }

  sections.push({
    title: `Verdict: ${report.verdict.pass ? 'PASS' : 'FAIL'}`,
    lines: report.verdict.failures.length
      ? report.verdict.failures
      : [`no pair lost or orphaned, error rates within ${percent(o.maxErrorRate)}`],
  });
  return sections;
}

export function renderText(report: LoadReport): string {
  const out: string[] = [];
  for (const section of tables(report)) {
    out.push('', section.title);
    if (section.table) {
      const { head, rows, align } = section.table;
      const widths = head.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
      const line = (cells: string[]) =>
        cells
          .map((cell, column) => (align?.[column] === 'r' ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
          .join('  ')
          .trimEnd();
      out.push(
        `  ${line(head)}`,
        `  ${widths.map((width) => '-'.repeat(width)).join('  ')}`,
        ...rows.map((row) => `  ${line(row)}`),
      );
    }
    for (const text of section.lines ?? []) out.push(`  ${text}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderMarkdown(report: LoadReport): string {
  const out: string[] = [`Run of ${report.startedAt} (Node ${report.node}): \`npm run load -- ${flags(report.options)}\``];
  for (const section of tables(report)) {
    out.push('', `**${section.title}**`, '');
    if (section.table) {
      const { head, rows, align } = section.table;
      const escape = (cell: string) => cell.replace(/\|/g, '\\|');
      out.push(
        `| ${head.map(escape).join(' | ')} |`,
        `|${head.map((_, column) => (align?.[column] === 'r' ? '---:' : '---')).join('|')}|`,
        ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
      );
      if (section.lines?.length) out.push('');
    }
    out.push(...(section.lines ?? []).map((line) => `- ${line}`));
  }
  return `${out.join('\n')}\n`;
}

function flags(options: LoadOptions): string {
  return `--clients ${options.clients} --duration ${options.duration} --warmup ${options.warmup} --users ${options.users} --ac-duration ${options.acDuration}`;
}

function codes(byCode: Record<string, number>): string {
  return Object.entries(byCode)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function percent(value: number, digits = 2): string {
  return `${(value * 100).toFixed(digits)}%`;
}
