/**
 * What the gateway itself measured during a phase: the difference between two scrapes of its
 * `/metrics`, reduced to where the time went (its own view of each operation, each upstream
 * route, the token cache, garbage collection).
 */
import { request } from 'undici';

export type MetricsSnapshot = Map<string, number>;

export async function scrapeMetrics(gatewayUrl: string): Promise<MetricsSnapshot> {
  const response = await request(`${gatewayUrl}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET /metrics answered ${response.statusCode}`);
  const samples: MetricsSnapshot = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

export interface GatewayView {
  /** Per GraphQL operation, as the gateway timed it (from Apollo's request start to its answer). */
  operations: Array<{ operation: string; count: number; meanMs: number }>;
  /** Per upstream route: calls and mean duration of one attempt. */
  upstream: Array<{ route: string; calls: number; meanMs: number }>;
  tokenCache: Record<string, number>;
  gcSeconds: number;
  /** The event loop's p99 delay over the phase (prom-client resets its monitor at each scrape). */
  eventLoopLagP99Ms: number;
  /** V8 heap at the end of the phase, garbage not yet collected included. */
  heapUsedMiB: number;
  heapTotalMiB: number;
}

export function gatewayView(before: MetricsSnapshot, after: MetricsSnapshot): GatewayView {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const labelled = (prefix: string) =>
    [...after.keys()].filter((key) => key.startsWith(`${prefix}{`)).map((key) => ({ key, labels: parseLabels(key) }));

  const operations = labelled('gateway_graphql_request_duration_seconds_count')
    .map(({ key, labels }) => {
      const count = delta(key);
      const sum = delta(key.replace('_count{', '_sum{'));
      return { operation: labels.operation, count, meanMs: count ? (sum / count) * 1000 : NaN };
    })
    .filter((row) => row.count > 0);
  const upstream = labelled('gateway_upstream_request_duration_seconds_count')
    .map(({ key, labels }) => {
      const calls = delta(key);
      const sum = delta(key.replace('_count{', '_sum{'));
      return { route: `${labels.service} ${labels.method} ${labels.route}`, calls, meanMs: calls ? (sum / calls) * 1000 : NaN };
    })
    .filter((row) => row.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  const tokenCache = Object.fromEntries(
    labelled('gateway_token_cache_lookups_total').map(({ key, labels }) => [labels.result, delta(key)]),
  );
  const gcSeconds = labelled('nodejs_gc_duration_seconds_sum').reduce((sum, { key }) => sum + delta(key), 0);
  const mib = (key: string) => (after.get(key) ?? NaN) / 2 ** 20;
  return {
    operations,
    upstream,
    tokenCache,
    gcSeconds,
    eventLoopLagP99Ms: (after.get('nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000,
    heapUsedMiB: mib('nodejs_heap_size_used_bytes'),
    heapTotalMiB: mib('nodejs_heap_size_total_bytes'),
  };
}

function parseLabels(key: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of key.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]] = match[2];
  return labels;
}
