import { applyCors } from '../../../src/server/cors';
import { LoopbackServer, loopbackServer } from '../../support/loopback-server';

describe('applyCors', () => {
  let server: LoopbackServer;
  let allowed: readonly string[] = [];
  /** What `applyCors` returned for the last request. */
  let handled: boolean | undefined;

  beforeAll(async () => {
    server = await loopbackServer((request, response) => {
      handled = applyCors(request, response, allowed);
      if (!handled) response.writeHead(200).end('served');
    });
  });
  afterAll(() => server.close());

  const call = (method: string, origin?: string) => fetch(`${server.url}/graphql`, { method, headers: origin ? { origin } : {} });

  it('a listed origin is allowed, with credentials, and the request goes on', async () => {
    allowed = ['https://console.example'];
    const response = await call('POST', 'https://console.example');
    expect(handled).toBe(false);
    expect(await response.text()).toBe('served');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('through `*` an origin is echoed but never gets credentials', async () => {
    allowed = ['*'];
    const response = await call('POST', 'https://anyone.example');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anyone.example');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('an unlisted origin gets no CORS headers; the same-origin request still goes on', async () => {
    allowed = ['https://console.example'];
    const response = await call('POST', 'https://evil.example');
    expect(handled).toBe(false);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
    expect((await call('POST')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an allowed preflight itself: 204 with methods, headers and max-age', async () => {
    allowed = ['https://console.example'];
    const response = await call('OPTIONS', 'https://console.example');
    expect(handled).toBe(true);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')?.split(', ')).toEqual([
      'content-type',
      'x-auth-token',
      'authorization',
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ]);
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('a refused preflight is still answered (204) but grants nothing', async () => {
    allowed = [];
    const response = await call('OPTIONS', 'https://evil.example');
    expect(handled).toBe(true);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });
});
