import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../../../src/server/console-route';
import { LoopbackServer, loopbackServer } from '../../support/loopback-server';

describe('serveConsole', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-route-'));
  /** A console root outside which a secret sits, as `dist/` sits next to other files. */
  const parent = mkdtempSync(join(tmpdir(), 'console-parent-'));
  const nested = join(parent, 'console');
  let server: LoopbackServer;
  let servedRoot = root;
  /** Whether `serveConsole` took the last request. */
  let took: boolean | undefined;

  beforeAll(async () => {
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'app.js'), 'console.log(1);');
    writeFileSync(join(root, 'data.json'), '{"not":"a console file type"}');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'style.css'), 'body{}');
    mkdirSync(nested);
    writeFileSync(join(nested, 'index.html'), 'nested');
    writeFileSync(join(parent, 'secret.js'), 'the secret');
    server = await loopbackServer(async (request, response) => {
      took = await serveConsole(request, response, request.url!.split('?')[0], '/console', servedRoot);
      if (!took) response.writeHead(418).end();
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(parent, { recursive: true, force: true });
  });
  beforeEach(() => {
    servedRoot = root;
  });

  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init });

  /** The path exactly as written: `fetch` would resolve `%2e%2e` before sending. */
  const rawGet = (path: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      httpRequest(`${server.url}${path}`, { path }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      })
        .on('error', reject)
        .end();
    });

  it('the base path redirects to itself with a slash, so relative URLs resolve', async () => {
    const response = await get('/console');
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('serves index.html at the base, and files with their type and the security headers', async () => {
    const index = await get('/console/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>console</title>');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('cache-control')).toBe('no-cache');

    const script = await get('/console/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1);');
    expect((await get('/console/sub/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('HEAD gets the headers without the body', async () => {
    const response = await get('/console/app.js', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('15');
    expect(await response.text()).toBe('');
  });

  it('other methods: 405 with Allow', async () => {
    const response = await get('/console/app.js', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each([
    ['a missing file', '/console/missing.js'],
    ['a type the console does not serve', '/console/data.json'],
    ['a dot file', '/console/.env'],
    ['an encoded dot-dot', '/console/%2e%2e/secret.js'],
    ['an encoded slash', '/console/sub%2Fstyle.css'],
    ['an encoded backslash', '/console/..%5Csecret.js'],
    ['a malformed escape', '/console/%E0%A4%A.js'],
    ['a directory', '/console/sub'],
    ['an empty segment', '/console//app.js'],
  ])('%s is a plain 404', async (_case, path) => {
    const response = await rawGet(path);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('nothing outside the root is ever served', async () => {
    servedRoot = nested;
    expect(await (await get('/console/')).text()).toBe('nested');
    for (const path of [
      '/console/%2e%2e/secret.js',
      '/console/..%2Fsecret.js',
      '/console/%2E%2E%2Fsecret.js',
      '/console/../secret.js',
    ]) {
      const response = await rawGet(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body).not.toContain('the secret');
    }
  });

  it('an unbuilt console says how to build it', async () => {
    servedRoot = join(root, 'not-built');
    expect(await (await get('/console/')).json()).toEqual({
      errors: [{ message: 'The console is not built: run `npm run build`.', extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('paths outside the console are left to the next route', async () => {
    for (const path of ['/consoles', '/console-x/app.js', '/graphql', '/']) {
      expect((await get(path)).status).toBe(418);
      expect(took).toBe(false);
    }
  });
});
