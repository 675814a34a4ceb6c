import { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayConfig } from '../config';
import { Logger } from '../observability/logger';
import { GatewayMetrics } from '../observability/metrics';
import { serveConsole } from './console-route';
import { EXPLORER_ASSETS_PATH, EXPLORER_ROOT, serveExplorerPage, wantsExplorerPage } from './explorer-route';
import { applyCors } from './cors';
import { serveDownload } from './download-route';
import { GraphQLHandler } from './graphql-handler';
import { sendJson, sendRequestError } from './http-io';
import { EXPIRY_NOT_ENFORCED, ExpiryEnforcement, ReadinessCheck } from './readiness';
import { parseRequestTarget } from './request-target';
import { SharedState } from './shared-state';

export type Route = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void>;

const DOWNLOAD_PATH = /^\/downloads\/([A-Za-z0-9_-]{1,128})$/;

/** Dispatches by path: `/graphql` (and its explorer), downloads, health, readiness, metrics, the console, else 404. */
export function createRouter(
  config: GatewayConfig,
  shared: SharedState,
  handleGraphQL: GraphQLHandler,
  metrics: GatewayMetrics,
  logger: Logger,
): Route {
  const readiness = new ReadinessCheck(shared.upstreams.probes, config.readiness);
  const expiry: ExpiryEnforcement = shared.expirySweeper
    ? { enforced: true, sweepMs: config.expirySweepMs }
    : EXPIRY_NOT_ENFORCED;
  return async (request, response, requestId) => {
    const url = parseRequestTarget(request.url);
    if (!url) {
      sendRequestError(response, 400, 'BAD_REQUEST', 'Malformed request target.');
      return;
    }
    if (url.pathname === '/graphql') {
      if (applyCors(request, response, config.corsOrigins)) return;
      if (config.explorer === 'graphiql' && wantsExplorerPage(request, url.search)) {
        await serveExplorerPage(request, response, config.consoleEnabled ? config.consolePath : undefined);
        return;
      }
      await handleGraphQL(request, response, url, requestId);
      return;
    }
    if (
      config.explorer === 'graphiql' &&
      (await serveConsole(request, response, url.pathname, EXPLORER_ASSETS_PATH, EXPLORER_ROOT))
    ) {
      return;
    }
    const download = DOWNLOAD_PATH.exec(url.pathname);
    if (download) {
      if (request.method !== 'GET') {
        response.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      await serveDownload(download[1], response, {
        downloads: shared.downloads,
        akSkBackend: shared.upstreams.akSkBackend,
        logger,
        audit: shared.audit,
        requestId,
      });
      return;
    }
    if (url.pathname === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/readyz') {
      const result = await readiness.check();
      sendJson(response, result.ready ? 200 : 503, { ...result, expiry });
      return;
    }
    if (url.pathname === '/metrics') {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(await metrics.registry.metrics());
      return;
    }
    if (config.consoleEnabled && (await serveConsole(request, response, url.pathname, config.consolePath))) return;
    sendRequestError(response, 404, 'NOT_FOUND', 'Not found. The GraphQL endpoint is /graphql.');
  };
}
