/**
 * Sub-millisecond latency at one client: autocannon's histogram keeps whole milliseconds, too
 * coarse for a 0.15 ms target. This sends requests one after another over one keep-alive
 * connection and times each with `process.hrtime.bigint()`.
 */
import { Client } from 'undici';

export interface ProbeResult {
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  failures: number;
}

export async function probeLatency(
  target: string,
  request: { path: string; headers: Record<string, string>; body: string },
  options: { requests: number; warmup: number; check: (status: number, body: string) => boolean },
): Promise<ProbeResult> {
  const url = new URL(target);
  const client = new Client(url.origin, { keepAliveTimeout: 30_000, pipelining: 1 });
  const samples: number[] = [];
  let failures = 0;
  try {
    for (let index = 0; index < options.warmup + options.requests; index++) {
      const startedAt = process.hrtime.bigint();
      const response = await client.request({ method: 'POST', path: request.path, headers: request.headers, body: request.body });
      const text = await response.body.text();
      const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (!options.check(response.statusCode, text)) failures++;
      if (index >= options.warmup) samples.push(elapsedMs);
    }
  } finally {
    await client.close();
  }
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50Ms: percentile(samples, 50),
    p90Ms: percentile(samples, 90),
    p99Ms: percentile(samples, 99),
    meanMs: samples.reduce((sum, value) => sum + value, 0) / Math.max(samples.length, 1),
    failures,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
