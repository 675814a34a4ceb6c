import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { LoginThrottle } from '../auth/login-throttle';
import { TokenIntrospector } from '../auth/token-introspector';
import { GatewayConfig } from '../config';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { Logger } from '../observability/logger';
import { createUpstreams, UpstreamUrls } from '../upstreams/create-upstreams';
import { createApolloServer } from './apollo-server';
import { GatewayMetrics } from '../observability/metrics';
import { KeyValueStore } from '../state/key-value-store';
import { MemoryStore } from '../state/memory-store';
import { RedisStore } from '../state/redis-store';
import { observeUpstreamCall } from '../observability/upstream-calls';
import { createContext, SharedState } from './context';
import { checkReadiness } from './readiness';
import { GatewayContext } from './gateway-context';
import { applyCors } from './cors';
import { serveDownload } from './download-route';
import { serveConsole } from './console-route';
import { BodyTooLargeError, readRequestBody, sendJson, sendRequestError } from './http-io';

export interface RunningGateway {
  /** e.g. `http://127.0.0.1:4000`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const DOWNLOAD_PATH = /^\/downloads\/([A-Za-z0-9_-]{1,128})$/;
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Starts the gateway: Apollo Server on plain `node:http`, plus the download and health routes.
 * The upstream URLs are resolved by the caller (configured, or the embedded emulator's).
 */
export async function startGateway(config: GatewayConfig, urls: UpstreamUrls, logger: Logger): Promise<RunningGateway> {
  const metrics = new GatewayMetrics();
  // Replicas behind a load balancer share links, login counts and introspections through Redis.
  const store: KeyValueStore = config.redisUrl ? new RedisStore(config.redisUrl, config.redisKeyPrefix) : new MemoryStore();
  const upstreams = createUpstreams(urls, {
    akSkBackend: config.akSkBackend,
    settings: config.upstreams,
    onCall: (call) => observeUpstreamCall(call, metrics, logger),
  });
  const shared: SharedState = {
    upstreams,
    introspector: new TokenIntrospector(upstreams.keystone, {
      ttlMs: config.tokenCacheTtlMs,
      maxEntries: config.tokenCacheMaxEntries,
      onLookup: (result) => metrics.tokenCache.inc({ result }),
      sharedCache: config.redisUrl ? store : undefined,
    }),
    downloads: new DownloadLinkStore(store, { ttlMs: config.downloadLinkTtlMs }),
    loginThrottle: new LoginThrottle(store, config.loginThrottle),
    sessionCookieSecure: config.sessionCookieSecure,
  };
  const apollo = createApolloServer(config, logger, metrics);
  await apollo.start();

  const logRequests = logger.isLevelEnabled('info');
  const server = createServer((request, response) => {
    const requestId = `req-${randomUUID()}`;
    response.setHeader('x-request-id', requestId);
    if (logRequests) {
      const startedAt = process.hrtime.bigint();
      response.on('finish', () => {
        logger.info(
          {
            requestId,
            method: request.method,
            // The path only: a GET query string can carry variables, passwords included.
            path: (request.url ?? '').split('?')[0],
            status: response.statusCode,
            durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
          },
          'request',
        );
      });
    }
    route(request, response, requestId).catch((error: unknown) => {
      logger.error({ requestId, err: error }, 'request handling failed');
      if (!response.headersSent) sendRequestError(response, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const url = parseRequestTarget(request.url);
    if (!url) {
      sendRequestError(response, 400, 'BAD_REQUEST', 'Malformed request target.');
      return;
    }
    if (url.pathname === '/graphql') {
      if (applyCors(request, response, config.corsOrigins)) return;
      await handleGraphQL(request, response, url, requestId);
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
        akSkBackend: upstreams.akSkBackend,
        logger,
        requestId,
      });
      return;
    }
    if (url.pathname === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/readyz') {
      const readiness = await checkReadiness(upstreams.probes);
      sendJson(response, readiness.ready ? 200 : 503, readiness);
      return;
    }
    if (url.pathname === '/metrics') {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(await metrics.registry.metrics());
      return;
    }
    if (config.consoleEnabled && (await serveConsole(request, response, url.pathname, config.consolePath))) return;
    sendRequestError(response, 404, 'NOT_FOUND', 'Not found. The GraphQL endpoint is /graphql.');
  }

  async function handleGraphQL(request: IncomingMessage, response: ServerResponse, url: RequestTarget, requestId: string) {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (request.method === 'POST') {
      let text: string;
      try {
        text = await readRequestBody(request, config.maxRequestBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        sendRequestError(response, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${config.maxRequestBodyBytes} bytes.`);
        request.resume();
        return;
      }
      if (/^application\/(graphql-response\+)?json\b/i.test(headers.get('content-type') ?? '')) {
        try {
          body = JSON.parse(text);
        } catch {
          sendRequestError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
          return;
        }
        if (Array.isArray(body)) {
          const limit = config.limits.maxBatchSize;
          if (body.length > limit) {
            const message = limit > 1 ? `A batch may hold at most ${limit} operations.` : 'Batched requests are turned off.';
            sendRequestError(response, 400, 'QUERY_TOO_COMPLEX', message);
            return;
          }
          // Apollo runs a batch's valid operations even when it refuses the batch for a junk
          // element: the client would be told "refused" about a pair that was created.
          if (!body.every(isOperationShaped)) {
            sendRequestError(response, 400, 'BAD_REQUEST', 'Every operation of a batch must be an object with a query string.');
            return;
          }
        }
      }
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: request.method ?? 'GET',
      headers,
      search: url.search,
      body,
    };
    let context: GatewayContext | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => (context = createContext(shared, request, requestId, publicBaseUrl(request))),
    });
    response.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) response.setHeader(name, value);
    if (context?.session.setCookies.length) response.setHeader('set-cookie', context.session.setCookies);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  function publicBaseUrl(request: IncomingMessage): string {
    if (config.publicUrl) return config.publicUrl;
    const host = request.headers.host;
    return host && SAFE_HOST.test(host) ? `http://${host}` : listeningUrl(server);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = listeningUrl(server);
  const port = (server.address() as AddressInfo).port;

  return {
    url,
    port,
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
      await upstreams.close();
      await store.close();
    },
  };
}

interface RequestTarget {
  pathname: string;
  /** `?...`, or empty. */
  search: string;
}

/**
 * The request path, refusing targets a proxy in front might read differently: dot segments
 * (plain or percent-encoded), backslashes, `//`. WHATWG URL parsing would quietly resolve
 * `/downloads/../graphql` to `/graphql`, bypassing a proxy that routes by path prefix.
 */
function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return undefined;
  // A fragment is the client's business; some send one anyway.
  const withoutFragment = target.split('#')[0];
  const queryAt = withoutFragment.indexOf('?');
  const pathname = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  if (pathname.includes('\\') || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(pathname) || !/^[\x21-\x7e]*$/.test(target)) {
    return undefined;
  }
  return { pathname, search: queryAt === -1 ? '' : withoutFragment.slice(queryAt) };
}

function isOperationShaped(operation: unknown): boolean {
  return typeof operation === 'object' && operation !== null && typeof (operation as { query?: unknown }).query === 'string';
}

function listeningUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
