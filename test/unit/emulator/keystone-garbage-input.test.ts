import { request as httpRequest } from 'node:http';
import { RunningKeystoneEmulator, startKeystoneEmulator } from '../../../src/emulator/keystone';
import { demoSeed } from '../../../src/emulator/seed';

/** Deterministic PRNG, so a failing case can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before all of a large body is written.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end(options.body);
  });
}

const KNOWN_STATUSES = new Set([200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 500]);

describe('Keystone emulator on garbage input', () => {
  let running: RunningKeystoneEmulator;
  let basePath: string;

  beforeAll(async () => {
    running = await startKeystoneEmulator({ seed: demoSeed });
    basePath = new URL(running.url).pathname;
  });

  afterAll(async () => {
    await running.close();
  });

  test('answers every one of 400 random requests with a known status, and keeps serving', async () => {
    const random = mulberry32(20261126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
    const paths = [
      '',
      '/',
      '/auth/tokens',
      '/auth/tokens/',
      '/auth/projects',
      '/credentials',
      '/credentials/%zz',
      '/credentials/%ff%fe',
      '/users',
      '/users/..',
      '/projects/%00',
      '/nonexistent',
      '//auth//tokens',
      '/credentials?user_id=%zz&type',
      '/auth/tokens?nocatalog=%%%',
      `/${'x'.repeat(2000)}`,
    ];
    const contentTypes = [
      'application/json',
      'text/plain',
      'application/json; charset=latin1',
      '',
      'application/merge-patch+json',
    ];
    const jsonish = [
      '{"auth":',
      '{"auth":{"identity":{"methods":[null,1,{}],"password":{"user":[]}}}}',
      '{"auth":{"identity":{"methods":["token"],"token":{"id":{"$gt":""}}},"scope":{"project":{"id":[]}}}}',
      '{"credential":{"user_id":null,"type":"ec2","blob":"{\\"access\\":[1]}","project_id":"x"}}',
      '{"credential":{"user_id":"u","type":"ec2","blob":"{\\"access\\":\\"a\\"}","project_id":{}}}',
      '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}',
      '\u0000\u0001\u0002',
      '[[[[[[[[[[[[[[[[[[[[',
      '{"a":"\\ud800"}',
      '1e999999',
      '"string"',
      'null',
    ];
    const tokens = ['', 'garbage', 'gAAAAAB' + 'A'.repeat(171), '\u00ff\u00fe'];

    for (let attempt = 0; attempt < 400; attempt++) {
      const method = pick(methods);
      const randomBytes = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      const body = random() < 0.5 ? Buffer.from(pick(jsonish), 'latin1') : randomBytes;
      const headers: Record<string, string> = { 'Content-Type': pick(contentTypes) };
      if (random() < 0.6) headers['X-Auth-Token'] = pick(tokens);
      if (random() < 0.3) headers['X-Subject-Token'] = pick(tokens);
      const path = basePath + pick(paths);
      const sent = method === 'GET' || method === 'HEAD' ? undefined : body;
      // Node's client frames no body for OPTIONS or DELETE by itself; unframed bytes would be
      // a second, malformed request that Node's parser (not the emulator) rejects.
      if (sent) headers['Content-Length'] = String(sent.length);
      const response = await rawRequest(running.url, { method, path, headers, body: sent });
      if (!KNOWN_STATUSES.has(response.status)) {
        throw new Error(`attempt ${attempt}: ${method} ${path} -> ${response.status} ${response.body.toString()}`);
      }
      if (response.status !== 500 && response.status !== 413) {
        expect(response.headers['x-openstack-request-id']).toMatch(/^req-/);
      }
    }

    const alive = await rawRequest(running.url, { method: 'GET', path: basePath });
    expect(alive.status).toBe(200);
  });

  test('a chunked body over the limit without Content-Length gets 413', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const response = await rawRequest(running.url, {
      method: 'POST',
      path: `${basePath}/auth/tokens`,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Accept: 'application/json' },
      chunks: Array.from({ length: 10 }, () => chunk),
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString()).code).toBe('413 Request Entity Too Large');
  });

  test('a client that disconnects mid-body does not take the server down', async () => {
    const target = new URL(running.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: `${basePath}/auth/tokens`,
        headers: { 'Content-Type': 'application/json', 'Content-Length': '1000' },
      });
      req.on('error', () => resolve());
      // Gone as soon as the half body is on the wire.
      req.write('{"auth":', () => {
        req.destroy();
        resolve();
      });
    });
    const alive = await rawRequest(running.url, { method: 'GET', path: basePath });
    expect(alive.status).toBe(200);
  });
});
