import { Server, ServerOptions } from 'node:http';
import { GatewayConfig } from '../config';

/**
 * Deliberate limits on the HTTP server, so slow or unfinished requests cannot hold connections
 * for minutes (Node's default request timeout is 300 s): a deadline for the headers and for the
 * whole request, a short keep-alive, and a cap on open connections. A body that stalls between
 * chunks is cut sooner, by the body reader's own idle timeout.
 */
export function serverOptions(limits: GatewayConfig['http']): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node enforces the two deadlines above only when it sweeps its connections (every 30 s by
    // default): sweep often enough that they hold to about a second.
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

export function applyServerLimits(server: Server, limits: GatewayConfig['http']): void {
  server.maxConnections = limits.maxConnections;
}
