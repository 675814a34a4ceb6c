import { collectDefaultMetrics, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from './bound-metrics';

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

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's Prometheus metrics, served at `/metrics`. Labels are bounded: operations by
 * root field name, upstream routes with ids replaced, never user input.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly graphqlRequests = new BoundCounter(
    'gateway_graphql_requests_total',
    'GraphQL operations by root field and outcome (ok, or the error code).',
    ['operation', 'outcome'],
    this.registry,
  );

  readonly graphqlDuration = new BoundHistogram(
    'gateway_graphql_request_duration_seconds',
    'GraphQL operation latency by root field.',
    ['operation'],
    LATENCY_BUCKETS,
    this.registry,
  );

  readonly upstreamDuration = new BoundHistogram(
    'gateway_upstream_request_duration_seconds',
    'Upstream call latency by service, method and route.',
    ['service', 'method', 'route'],
    LATENCY_BUCKETS,
    this.registry,
  );

  readonly upstreamErrors = new BoundCounter(
    'gateway_upstream_errors_total',
    'Failed upstream calls by service and status (or timeout, unreachable, invalid-response).',
    ['service', 'status'],
    this.registry,
  );

  readonly tokenCache = new BoundCounter(
    'gateway_token_cache_lookups_total',
    'Caller token introspections by result: hit (cached), shared (joined one in flight), miss (asked Keystone).',
    ['result'],
    this.registry,
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeOperation(operation: string, outcome: string, seconds: number): void {
    this.graphqlRequests.child(operation, outcome).inc();
    this.graphqlDuration.child(operation).observe(seconds);
  }

  observeUpstream(service: string, method: string, route: string, seconds: number): void {
    this.upstreamDuration.child(service, method, route).observe(seconds);
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
