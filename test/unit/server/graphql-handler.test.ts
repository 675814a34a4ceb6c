import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import { createLogger } from '../../../src/observability/logger';
import { loadConfig } from '../../../src/config';
import { GatewayContext } from '../../../src/schema/gateway-context';
import { createGraphQLHandler } from '../../../src/server/graphql-handler';
import { parseRequestTarget } from '../../../src/server/request-target';
import { SharedState } from '../../../src/server/shared-state';
import { LoopbackServer, loopbackServer } from '../../support/loopback-server';

/**
 * The checks the handler makes before Apollo sees a request. Apollo is a fake that records what
 * it was handed: a refused request must never reach it (it would run the valid operations of a
 * refused batch).
 */
describe('the GraphQL handler', () => {
  let server: LoopbackServer;
  const handed: HTTPGraphQLRequest[] = [];
  let maxBatchSize = '2';

  const apollo = {
    executeHTTPGraphQLRequest: async ({ httpGraphQLRequest }: { httpGraphQLRequest: HTTPGraphQLRequest }) => {
      handed.push(httpGraphQLRequest);
      return {
        status: 200,
        headers: new HeaderMap([['content-type', 'application/json']]),
        body: { kind: 'complete' as const, string: '{"data":{"ok":true}}' },
      };
    },
  } as unknown as ApolloServer<GatewayContext>;

  beforeAll(async () => {
    server = await loopbackServer(async (request, response) => {
      const config = loadConfig({ MAX_REQUEST_BODY_BYTES: '1024', MAX_BATCH_SIZE: maxBatchSize });
      // The fake Apollo never builds a context, so no shared state is touched.
      const handle = createGraphQLHandler(config, apollo, {} as SharedState, createLogger('silent'));
      await handle(request, response, parseRequestTarget(request.url)!, 'req-test');
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    handed.splice(0);
    maxBatchSize = '2';
  });

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/graphql?x=1`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('hands Apollo the parsed body, the method, the query string and the headers', async () => {
    const response = await post('{"query":"{ ok }"}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({ method: 'POST', search: '?x=1', body: { query: '{ ok }' } });
    expect(handed[0].headers.get('content-type')).toBe('application/json');
  });

  it('a GET goes to Apollo with its query string and no body', async () => {
    await fetch(`${server.url}/graphql?query=%7Bok%7D`);
    expect(handed[0]).toMatchObject({ method: 'GET', search: '?query=%7Bok%7D', body: undefined });
  });

  it('a body that is not JSON by its type is left to Apollo (which refuses it as CSRF-unsafe)', async () => {
    await post('query=x', 'text/plain');
    expect(handed[0].body).toBeUndefined();
  });

  const refusals: Array<[string, () => Promise<Response>, number, string, string]> = [
    [
      'a body over the limit',
      () => post(JSON.stringify({ query: 'x'.repeat(2000) })),
      413,
      'PAYLOAD_TOO_LARGE',
      'Request body larger than 1024 bytes.',
    ],
    ['invalid JSON', () => post('{"query":'), 400, 'BAD_REQUEST', 'The request body is not valid JSON.'],
    [
      'a batch over the limit',
      () => post(JSON.stringify([{ query: 'a' }, { query: 'b' }, { query: 'c' }])),
      400,
      'QUERY_TOO_COMPLEX',
      'A batch may hold at most 2 operations.',
    ],
    [
      'a batch with one element that is not an operation',
      () => post(JSON.stringify([{ query: '{ ok }' }, 1])),
      400,
      'BAD_REQUEST',
      'Every operation of a batch must be an object with a query string.',
    ],
    [
      'a batch element whose query is not a string',
      () => post(JSON.stringify([{ query: '{ ok }' }, { query: 5 }])),
      400,
      'BAD_REQUEST',
      'Every operation of a batch must be an object with a query string.',
    ],
  ];

  it.each(refusals)('refuses %s before Apollo sees it', async (_case, send, status, code, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors: [{ message, extensions: { code } }] });
    expect(handed).toEqual([]);
  });

  it('with MAX_BATCH_SIZE=1 batches are turned off, whatever their size', async () => {
    maxBatchSize = '1';
    const response = await post(JSON.stringify([{ query: 'a' }, { query: 'b' }]));
    expect(await response.json()).toEqual({
      errors: [{ message: 'Batched requests are turned off.', extensions: { code: 'QUERY_TOO_COMPLEX' } }],
    });
    expect(handed).toEqual([]);
    await post(JSON.stringify([{ query: '{ ok }' }]));
    expect(handed).toHaveLength(1);
  });
});
