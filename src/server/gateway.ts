import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '../config';
import { Logger } from '../observability/logger';
import { requestLogWriter } from '../observability/request-log';
import { GatewayMetrics } from '../observability/metrics';
import { UpstreamUrls } from '../upstreams/create-upstreams';
import { createApolloServer, gatewayValidationRules } from './apollo-server';
import { buildGatewaySchema } from '../schema/build-schema';
import { TrustedDocuments } from './trusted-documents';
import { createGraphQLHandler } from './graphql-handler';
import { sendRequestError } from './http-io';
import { createRouter, Route } from './router';
import { createSharedState } from './shared-state';
import { SweepTimer } from '../services/expiry-sweeper';
import { EXPIRY_NOT_ENFORCED } from './readiness';
import { applyServerLimits, serverOptions } from './server-limits';

export interface RunningGateway {
  /** e.g. `http://127.0.0.1:4000`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** The clock of link lifetimes, throttle windows, the token cache and expiry; tests move it instead of sleeping. */
  now?: () => number;
  /** When the expiry sweeper runs (every `AKSK_EXPIRY_SWEEP_MS` by default); tests tick it by hand. */
  sweepTimer?: SweepTimer;
}

/**
 * Starts the gateway: Apollo Server on plain `node:http`, plus the download and health routes.
 * The upstream URLs are resolved by the caller (configured, or the embedded emulator's).
 */
export async function startGateway(
  config: GatewayConfig,
  urls: UpstreamUrls,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const metrics = new GatewayMetrics();
  const shared = createSharedState(config, urls, logger, metrics, options.now, options.sweepTimer);
  const apollo = createApolloServer(config, logger, metrics);
  await apollo.start();

  const server = createServer(serverOptions(config.http));
  applyServerLimits(server, config.http);
  const { manifest } = config.trustedDocuments;
  const trusted = manifest
    ? new TrustedDocuments(manifest, buildGatewaySchema(), gatewayValidationRules(config), logger)
    : undefined;
  if (trusted) logger.info({ compiled: trusted.size, only: config.trustedDocuments.only }, 'trusted documents compiled');
  const handleGraphQL = createGraphQLHandler(config, apollo, shared, logger, { trusted, metrics });
  server.on('request', requestListener(createRouter(config, shared, handleGraphQL, metrics, logger), logger));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  if (shared.expirySweeper) {
    shared.expirySweeper.start();
    logger.info({ sweepMs: config.expirySweepMs }, 'expiry enforced in Keystone: expired pairs are switched off by the sweeper');
  } else {
    logger.warn(EXPIRY_NOT_ENFORCED, 'expiry not enforced in Keystone');
  }

  return {
    url: serverUrl(server),
    port: (server.address() as AddressInfo).port,
    /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the pools. */
    close: async () => {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      await apollo.stop();
      await shared.close();
    },
  };
}

/** Tags each request with an id, logs it when done, and turns an unexpected throw into a 500. */
function requestListener(route: Route, logger: Logger) {
  const logRequest = requestLogWriter(logger);
  return (request: IncomingMessage, response: ServerResponse) => {
    const requestId = `req-${randomUUID()}`;
    response.setHeader('x-request-id', requestId);
    if (logRequest) {
      const startedAt = process.hrtime.bigint();
      response.on('finish', () => {
        logRequest({
          requestId,
          method: request.method ?? '',
          // The route only: a GET query string can carry variables, passwords included, and a
          // download path is a bearer link.
          path: loggedPath(request.url),
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
        });
      });
    }
    route(request, response, requestId).catch((error: unknown) => {
      logger.error({ requestId, err: error }, 'request handling failed');
      if (!response.headersSent) sendRequestError(response, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else response.destroy();
    });
  };
}

/** `/downloads/:id` for a download: its id is a bearer link while it lives. */
function loggedPath(target: string | undefined): string {
  const whole = target ?? '';
  const query = whole.indexOf('?');
  const path = query === -1 ? whole : whole.slice(0, query);
  return path.startsWith('/downloads/') ? '/downloads/:id' : path;
}

function serverUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
