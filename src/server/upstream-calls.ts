import { UpstreamCallEvent } from '../upstreams/upstream-http';
import { Logger } from '../observability/logger';
import { GatewayMetrics, routeOf } from '../observability/metrics';

/** Every upstream attempt: timed by route, counted when failed, logged with both request ids. */
export function observeUpstreamCall(call: UpstreamCallEvent, metrics: GatewayMetrics, logger: Logger): void {
  const route = routeOf(call.path);
  metrics.observeUpstream(call.service, call.method, route, call.durationMs / 1000);
  if (call.failure) metrics.upstreamErrors.child(call.service, String(call.status ?? call.failure)).inc();
  if (!logger.isLevelEnabled('debug') && !call.failure) return;
  logger[call.failure ? 'info' : 'debug'](
    {
      requestId: call.requestId,
      upstream: {
        service: call.service,
        method: call.method,
        route,
        status: call.status,
        failure: call.failure,
        attempt: call.attempt,
        requestId: call.upstreamRequestId,
        durationMs: Math.round(call.durationMs * 100) / 100,
      },
    },
    'upstream call',
  );
}
