/** From a run's samples to its summaries: each target's medians, and the comparisons between targets run by run. */
import type { ProbeResult } from './latency-probe';
import type { Column, ColumnSummary, RunSample, TargetName, TargetSummary } from './report';

export const COLUMNS: readonly Column[] = [
  { id: 'c1-0ms', label: '1 client / 0 ms', connections: 1, delayMs: 0 },
  { id: 'c50-0ms', label: '50 clients / 0 ms', connections: 50, delayMs: 0 },
  { id: 'c50-20ms', label: '50 clients / 20 ms', connections: 50, delayMs: 20 },
];

/**
 * Each column's targets, and the comparisons between them run by run: a run measures the three
 * targets back to back, so a ratio within one run is not moved by the machine's speed drifting
 * between runs (this one's does, by up to 2x in an hour), where a ratio of two medians is.
 */
export function summarise(samples: RunSample[]): ColumnSummary[] {
  return COLUMNS.map((column) => {
    const inColumn = samples.filter((sample) => sample.column === column.id);
    const of = (target: TargetName) => summariseTarget(inColumn.filter((sample) => sample.target === target));
    const runs = [...new Set(inColumn.map((sample) => sample.run))].flatMap((run) => {
      const sampleOf = (target: TargetName) => inColumn.find((sample) => sample.run === run && sample.target === target);
      const [bare, apollo, gateway] = [sampleOf('bare'), sampleOf('apollo'), sampleOf('gateway')];
      return bare && apollo && gateway ? [{ bare, apollo, gateway }] : [];
    });
    const paired = (compare: (run: { bare: RunSample; apollo: RunSample; gateway: RunSample }) => number) =>
      median(runs.map(compare));
    const cpu = (sample: RunSample) => sample.targetCpuUsPerRequest;
    const p50 = (sample: RunSample) => sample.probe?.p50Ms ?? sample.latencyP50Ms;
    const cpuRatios = runs.map((run) => cpu(run.bare) / cpu(run.gateway));
    return {
      column,
      bare: of('bare'),
      apollo: of('apollo'),
      gateway: of('gateway'),
      reqPerSecRatio: paired((run) => run.gateway.reqPerSec / run.bare.reqPerSec),
      apolloReqPerSecRatio: paired((run) => run.apollo.reqPerSec / run.bare.reqPerSec),
      cpuRatio: median(cpuRatios),
      cpuRatioRange: [Math.min(...cpuRatios), Math.max(...cpuRatios)],
      apolloCpuRatio: paired((run) => cpu(run.bare) / cpu(run.apollo)),
      ownLayersUs: paired((run) => cpu(run.gateway) - cpu(run.apollo)),
      p50DeltaMs: paired((run) => p50(run.gateway) - p50(run.bare)),
      apolloP50DeltaMs: paired((run) => p50(run.apollo) - p50(run.bare)),
    };
  });
}

function summariseTarget(samples: RunSample[]): TargetSummary {
  const med = (pick: (sample: RunSample) => number) => median(samples.map(pick));
  const probes = samples.map((sample) => sample.probe).filter((probe): probe is ProbeResult => probe !== undefined);
  const routes = new Set(samples.flatMap((sample) => Object.keys(sample.upstreamCallsPerRequest)));
  return {
    runs: samples.length,
    reqPerSec: med((sample) => sample.reqPerSec),
    latencyP50Ms: med((sample) => sample.latencyP50Ms),
    latencyP99Ms: med((sample) => sample.latencyP99Ms),
    probe: probes.length
      ? {
          p50Ms: median(probes.map((probe) => probe.p50Ms)),
          p99Ms: median(probes.map((probe) => probe.p99Ms)),
          meanMs: median(probes.map((probe) => probe.meanMs)),
          failures: probes.reduce((sum, probe) => sum + probe.failures, 0),
        }
      : undefined,
    cpuUsPerRequest: med((sample) => sample.targetCpuUsPerRequest),
    cpuCores: med((sample) => sample.targetCpuCores),
    stubCpuUsPerRequest: med((sample) => sample.stubCpuUsPerRequest),
    runnerCpuUsPerRequest: med((sample) => sample.runnerCpuUsPerRequest),
    peakRssBytes: Math.max(...samples.map((sample) => sample.peakRssBytes)),
    upstreamCallsPerRequest: Object.fromEntries(
      [...routes].sort().map((route) => [route, mean(samples.map((sample) => sample.upstreamCallsPerRequest[route] ?? 0))]),
    ),
    failures: samples.reduce((sum, sample) => sum + sample.errors + sample.non2xx + sample.mismatches, 0),
    foreignCpuCores: Math.max(...samples.map((sample) => sample.foreignCpuCores)),
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
}
