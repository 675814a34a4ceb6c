import { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { Kind, OperationDefinitionNode, OperationTypeNode, parse } from 'graphql';
import { isSigV4Request } from '../auth/sigv4-request';
import { GatewayConfig } from '../config';
import { GatewayContext } from '../schema/gateway-context';
import { createContext, SignedHttpRequest } from './context';
import { BodyTooLargeError, readRequestBody, sendRequestError } from './http-io';
import { RequestTarget } from './request-target';
import { SharedState } from './shared-state';

const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export type GraphQLHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: RequestTarget,
  requestId: string,
) => Promise<void>;

/**
 * Serves `/graphql` through Apollo, after the checks Apollo does not make: body size, JSON
 * syntax, batch size and shape. `listeningUrl` is the fallback public URL when no trusted one is set.
 */
export function createGraphQLHandler(
  config: GatewayConfig,
  apollo: ApolloServer<GatewayContext>,
  shared: SharedState,
  listeningUrl: () => string,
): GraphQLHandler {
  function publicBaseUrl(request: IncomingMessage): string {
    if (config.publicUrl) return config.publicUrl;
    const host = request.headers.host;
    return host && SAFE_HOST.test(host) ? `http://${host}` : listeningUrl();
  }

  return async (request, response, url, requestId) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    let bodyText = '';
    if (request.method === 'POST') {
      const read = await readCheckedBody(request, response, headers, config);
      if (!read.ok) return;
      body = read.body;
      bodyText = read.text;
    }
    const signed: SignedHttpRequest | undefined = isSigV4Request(request.headers, url.search)
      ? {
          parts: {
            method: request.method ?? 'GET',
            path: url.pathname,
            search: url.search,
            headers: request.headers,
            body: bodyText,
          },
          changesState: request.method === 'POST' && hasMutation(body),
        }
      : undefined;
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: request.method ?? 'GET',
      headers,
      search: url.search,
      body,
    };
    let context: GatewayContext | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => (context = createContext(shared, request, requestId, publicBaseUrl(request), signed)),
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
  };
}

/** Reads a POST body; on refusal the response is already sent and `ok` is false. */
async function readCheckedBody(
  request: IncomingMessage,
  response: ServerResponse,
  headers: HeaderMap,
  config: GatewayConfig,
): Promise<{ ok: true; body: unknown; text: string } | { ok: false }> {
  let text: string;
  try {
    text = await readRequestBody(request, config.maxRequestBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendRequestError(response, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${config.maxRequestBodyBytes} bytes.`);
    request.resume();
    return { ok: false };
  }
  if (!/^application\/(graphql-response\+)?json\b/i.test(headers.get('content-type') ?? ''))
    return { ok: true, body: undefined, text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    sendRequestError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    return { ok: false };
  }
  if (Array.isArray(body)) {
    const limit = config.limits.maxBatchSize;
    if (body.length > limit) {
      const message = limit > 1 ? `A batch may hold at most ${limit} operations.` : 'Batched requests are turned off.';
      sendRequestError(response, 400, 'QUERY_TOO_COMPLEX', message);
      return { ok: false };
    }
    // Apollo runs a batch's valid operations even when it refuses the batch for a junk
    // element: the client would be told "refused" about a pair that was created.
    if (!body.every(isOperationShaped)) {
      sendRequestError(response, 400, 'BAD_REQUEST', 'Every operation of a batch must be an object with a query string.');
      return { ok: false };
    }
  }
  return { ok: true, body, text };
}

/** Whether the operation(s) to run include a mutation; anything unreadable counts as one. */
function hasMutation(body: unknown): boolean {
  const operations = Array.isArray(body) ? body : [body];
  return operations.some((operation) => {
    const { query, operationName } = (operation ?? {}) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return true;
    try {
      const definitions = parse(query).definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      );
      const chosen =
        typeof operationName === 'string'
          ? definitions.filter((definition) => definition.name?.value === operationName)
          : definitions;
      return chosen.some((definition) => definition.operation !== OperationTypeNode.QUERY);
    } catch {
      return true;
    }
  });
}

function isOperationShaped(operation: unknown): boolean {
  return typeof operation === 'object' && operation !== null && typeof (operation as { query?: unknown }).query === 'string';
}
