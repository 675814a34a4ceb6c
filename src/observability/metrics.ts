import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Upstream path segments that are route words; any other segment is an id. */
const ROUTE_WORDS = new Set([
  'auth',
  'tokens',
  'projects',
  'users',
  'domains',
  'credentials',
  'OS-EC2',
  'v1',
  'aksks',
  'download',
]);

/**
 * The gateway's Prometheus metrics, served at `/metrics`. Labels are bounded: operations by
 * root field name, upstream routes with ids replaced, never user input.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly graphqlRequests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL operations by root field and outcome (ok, or the error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'GraphQL operation latency by root field.',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Upstream call latency by service, method and route.',
    labelNames: ['service', 'method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Failed upstream calls by service and status (or timeout, unreachable, invalid-response).',
    labelNames: ['service', 'status'] as const,
    registers: [this.registry],
  });

  readonly tokenCache = new Counter({
    name: 'gateway_token_cache_lookups_total',
    help: 'Caller token introspections by result: hit (cached), shared (joined one in flight), miss (asked Keystone).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  // Label children by their joined label values: prom-client hashes labels on every call otherwise.
  private readonly operationChildren = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  private readonly upstreamChildren = new Map<string, (seconds: number) => void>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeOperation(operation: string, outcome: string, seconds: number): void {
    const key = `${operation}|${outcome}`;
    let child = this.operationChildren.get(key);
    if (!child) {
      const counter = this.graphqlRequests.labels(operation, outcome);
      const histogram = this.graphqlDuration.labels(operation);
      child = { count: () => counter.inc(), observe: (value) => histogram.observe(value) };
      this.operationChildren.set(key, child);
    }
    child.count();
    child.observe(seconds);
  }

  observeUpstream(service: string, method: string, route: string, seconds: number): void {
    const key = `${service}|${method}|${route}`;
    let observe = this.upstreamChildren.get(key);
    if (!observe) {
      const histogram = this.upstreamDuration.labels(service, method, route);
      observe = (value) => histogram.observe(value);
      this.upstreamChildren.set(key, observe);
    }
    observe(seconds);
  }
}

/** Routes of recent paths: a request's calls repeat a few paths (its user's, its project's). */
const recentRoutes = new Map<string, string>();
const RECENT_ROUTES_MAX = 1024;

/** `/v1/4f.../aksks/9a...` → `/v1/{id}/aksks/{id}`. */
export function routeOf(path: string): string {
  let route = recentRoutes.get(path);
  if (route === undefined) {
    route = path
      .split('?')[0]
      .split('/')
      .map((segment) => (segment === '' || ROUTE_WORDS.has(segment) ? segment : '{id}'))
      .join('/');
    // Paths hold ids: the memo is dropped whole when full rather than grow with the directory.
    if (recentRoutes.size >= RECENT_ROUTES_MAX) recentRoutes.clear();
    recentRoutes.set(path, route);
  }
  return route;
}
