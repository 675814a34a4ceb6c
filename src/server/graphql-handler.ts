import { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError, Kind, OperationDefinitionNode, OperationTypeNode, parse } from 'graphql';
import { isSigV4Request } from '../auth/sigv4-request';
import { exceedsJsonDepth, JsonTooDeepError, MAX_JSON_DEPTH, parseJsonWithDepthLimit } from '../http/json-depth';
import { GatewayConfig } from '../config';
import { ErrorCode } from '../errors/error-code';
import { Logger } from '../observability/logger';
import { GatewayContext } from '../schema/gateway-context';
import { createContext, SignedHttpRequest } from './context';
import { BodyTimeoutError, BodyTooLargeError } from '../http/capped-body';
import { BodyAbortedError, readRequestBody, sendRequestError } from './http-io';
import { RequestTarget } from './request-target';
import { SharedState } from './shared-state';
import { TrustedProxies } from './trusted-proxy';
import { contentTypeFor, enrichError, TrustedDocument, TrustedDocuments } from './trusted-documents';
import { GatewayMetrics } from '../observability/metrics';
import { formatError } from '../errors/format-error';
import { logOperationErrors } from './apollo-server';

/**
 * GraphQL answers carry tokens and secret keys: `no-store` keeps them out of every cache, and
 * `Vary` names what they depend on, for any cache that ignores `no-store`.
 */
const GRAPHQL_VARY = 'Authorization, X-Auth-Token, Cookie';

export type GraphQLHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: RequestTarget,
  requestId: string,
) => Promise<void>;

/** The compiled path's parts: the trusted documents (none without a manifest) and the metrics Apollo's plugin would feed. */
export interface CompiledPath {
  trusted: TrustedDocuments | undefined;
  metrics: GatewayMetrics;
}

/**
 * Serves `/graphql` after the checks Apollo does not make (body size, stalls and aborts, JSON
 * syntax and depth, batch size and shape): a trusted document through its compiled query, with
 * the answer, headers, logs and metrics Apollo would give; anything else through Apollo.
 */
export function createGraphQLHandler(
  config: GatewayConfig,
  apollo: ApolloServer<GatewayContext>,
  shared: SharedState,
  logger: Logger,
  compiledPath?: CompiledPath,
): GraphQLHandler {
  const trustedProxies = new TrustedProxies(config.trustedProxies);
  const trustedDocuments = compiledPath?.trusted;
  const formatOptions = { production: config.production };

  /** Never from the `Host` header: only `PUBLIC_URL`, a trusted proxy, or relative URLs. */
  function clientOf(request: IncomingMessage): { address: string; publicBaseUrl: string } {
    const origin = trustedProxies.originOf(request.socket.remoteAddress, request.headers);
    return { address: origin.address, publicBaseUrl: config.publicUrl ?? origin.publicBaseUrl ?? '' };
  }

  /**
   * Runs a trusted document compiled, exactly as Apollo would answer it; false (nothing sent,
   * nothing executed) where Apollo must answer instead.
   */
  async function executeCompiled(
    trusted: TrustedDocument,
    body: Record<string, unknown>,
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    signed: SignedHttpRequest | undefined,
  ): Promise<boolean> {
    const contentType = contentTypeFor(request.headers.accept);
    if (contentType === null) return false;
    const variables = trustedDocuments?.variablesFor(trusted, body);
    if (variables === undefined) return false;
    const startedAt = process.hrtime.bigint();
    const context = createContext(shared, request, requestId, clientOf(request), signed);
    const result = await trusted.compiled.query(undefined, context, variables);
    // graphql-jit refused the variables graphql-js accepted: nothing ran, Apollo answers.
    if (result.data === undefined) return false;
    let errors;
    if (result.errors?.length) {
      logOperationErrors(logger, requestId, trusted.operationName, result.errors);
      errors = result.errors.map((error) => formatOne(error));
    }
    const code = errors?.[0]?.extensions?.code;
    const outcome = errors ? (typeof code === 'string' ? code : 'error') : 'ok';
    compiledPath?.metrics.observeOperation(trusted.rootField, outcome, Number(process.hrtime.bigint() - startedAt) / 1e9);
    response.statusCode = 200;
    response.setHeader('content-type', contentType);
    if (context.session.setCookies.length) response.setHeader('set-cookie', context.session.setCookies);
    // Apollo's field order and its trailing newline.
    response.end(`${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`);
    return true;
  }

  /** Apollo's `normalizeAndFormatErrors` with the gateway's `formatError`. */
  function formatOne(error: GraphQLError) {
    try {
      return formatError(enrichError(error), error, formatOptions);
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.InternalServerError } };
    }
  }

  return async (request, response, url, requestId) => {
    response.setHeader('cache-control', 'no-store');
    addVary(response, GRAPHQL_VARY);
    let body: unknown;
    // A POST's operation is in its body: its query string is never read.
    const search = request.method === 'POST' ? undefined : new URLSearchParams(url.search);
    if (request.method === 'GET' && ['variables', 'extensions'].some((name) => exceedsJsonDepth(search?.get(name) ?? ''))) {
      sendRequestError(response, 400, ErrorCode.JsonTooDeep, `JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);
      return;
    }
    let bodyText = '';
    if (request.method === 'POST') {
      const read = await readCheckedBody(request, response, config, logger, requestId);
      if (!read.ok) return;
      body = read.body;
      bodyText = read.text;
    }
    const trusted = trustedDocuments?.find(body);
    if (!trusted && config.trustedDocuments.only && !trustedDocuments?.trusts(body, search)) {
      sendRequestError(
        response,
        400,
        ErrorCode.PersistedQueryNotInList,
        'Only trusted documents (the console and typed client operations) are accepted here.',
      );
      return;
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
          changesState: request.method === 'POST' && (trusted ? trusted.type !== OperationTypeNode.QUERY : hasMutation(body)),
        }
      : undefined;
    if (trusted) {
      const single = body as Record<string, unknown>;
      if (await executeCompiled(trusted, single, request, response, requestId, signed)) return;
      // Named by id only: Apollo is given the text (its own persisted-query cache may not hold it).
      if (typeof single.query !== 'string') body = { ...single, query: trusted.text };
    }
    const headers = headerMapOf(request);
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: request.method ?? 'GET',
      headers,
      search: url.search,
      body,
    };
    let context: GatewayContext | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => (context = createContext(shared, request, requestId, clientOf(request), signed)),
    });
    response.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) {
      if (name === 'vary') addVary(response, value);
      else if (name !== 'cache-control') response.setHeader(name, value);
    }
    if (context?.session.setCookies.length) response.setHeader('set-cookie', context.session.setCookies);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}

function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Reads a POST body; on refusal the response is already sent and `ok` is false. */
async function readCheckedBody(
  request: IncomingMessage,
  response: ServerResponse,
  config: GatewayConfig,
  logger: Logger,
  requestId: string,
): Promise<{ ok: true; body: unknown; text: string } | { ok: false }> {
  let text: string;
  try {
    text = await readRequestBody(request, config.maxRequestBodyBytes, config.http.bodyIdleTimeoutMs);
  } catch (error) {
    refuseBody(request, response, config, logger, requestId, error);
    return { ok: false };
  }
  if (!/^application\/(graphql-response\+)?json\b/i.test(contentTypeOf(request))) return { ok: true, body: undefined, text };
  let body: unknown;
  try {
    body = parseJsonWithDepthLimit(text);
  } catch (error) {
    if (error instanceof JsonTooDeepError) {
      sendRequestError(response, 400, ErrorCode.JsonTooDeep, `JSON nested deeper than ${error.maxDepth} levels.`);
    } else {
      sendRequestError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
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

/** A body that never came whole is the client's doing: a 4xx and one info line, never an error. */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  config: GatewayConfig,
  logger: Logger,
  requestId: string,
  error: unknown,
): void {
  if (error instanceof BodyTooLargeError) {
    sendRequestError(response, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${config.maxRequestBodyBytes} bytes.`);
    request.resume();
    return;
  }
  if (!(error instanceof BodyTimeoutError) && !(error instanceof BodyAbortedError)) throw error;
  logger.info({ requestId, reason: error.message }, 'request body not received');
  if (error instanceof BodyAbortedError) {
    response.destroy();
    return;
  }
  response.setHeader('connection', 'close');
  sendRequestError(response, 408, 'REQUEST_TIMEOUT', 'The request body stalled.');
}

/**
 * Vary merges already worked out, by current value, then by added names: both are the same few
 * strings each time (the gateway's and Apollo's), whose hashes V8 keeps, where a key joined from
 * them would be a new string to hash on every request.
 */
const mergedVaries = new Map<string, Map<string, string>>();

/** Adds `names` (a Vary value) to the response's Vary, each name once whatever its case. */
function addVary(response: ServerResponse, names: string): void {
  const current = String(response.getHeader('vary') ?? '');
  let byNames = mergedVaries.get(current);
  let merged = byNames?.get(names);
  if (merged === undefined) {
    const listed = current
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    for (const name of names.split(',').map((item) => item.trim())) {
      if (name && !listed.some((existing) => existing.toLowerCase() === name.toLowerCase())) listed.push(name);
    }
    merged = listed.join(', ');
    // The values come from the gateway's own code and Apollo, not from clients: a handful.
    if (!byNames && mergedVaries.size < 100) mergedVaries.set(current, (byNames = new Map<string, string>()));
    if (byNames && byNames.size < 100) byNames.set(names, merged);
  }
  response.setHeader('vary', merged);
}

/** The request's `Content-Type`, as Apollo's HeaderMap reads it (repeated headers joined). */
function contentTypeOf(request: IncomingMessage): string {
  const value = request.headers['content-type'];
  return (Array.isArray(value) ? value.join(', ') : value) ?? '';
}

function isOperationShaped(operation: unknown): boolean {
  return typeof operation === 'object' && operation !== null && typeof (operation as { query?: unknown }).query === 'string';
}
