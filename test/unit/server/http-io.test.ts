import { request as httpRequest } from 'node:http';
import { BodyTooLargeError } from '../../../src/http/capped-body';
import { readRequestBody, sendJson, sendRequestError } from '../../../src/server/http-io';
import { LoopbackServer, loopbackServer } from '../../support/loopback-server';

describe('http-io', () => {
  let server: LoopbackServer;
  const outcomes: Array<{ body?: string; error?: unknown }> = [];

  beforeAll(async () => {
    server = await loopbackServer(async (request, response) => {
      if (request.url === '/json') return sendJson(response, 201, { ok: 'é' });
      if (request.url === '/error') return sendRequestError(response, 413, 'PAYLOAD_TOO_LARGE', 'Too big.');
      try {
        outcomes.push({ body: await readRequestBody(request, 10) });
        response.writeHead(200).end();
      } catch (error) {
        outcomes.push({ error });
        response.writeHead(413, { connection: 'close' }).end();
        request.resume();
      }
    });
  });
  afterAll(() => server.close());
  beforeEach(() => void outcomes.splice(0));

  /** Sends the body in the given chunks, without a Content-Length (chunked), or with `declared`. */
  function send(chunks: Buffer[], declared?: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const headers = declared === undefined ? {} : { 'content-length': String(declared) };
      const request = httpRequest(`${server.url}/read`, { method: 'POST', headers }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      for (const chunk of chunks) request.write(chunk);
      request.end();
    });
  }

  it('reads a body up to the limit, a character split across chunks included', async () => {
    const bytes = Buffer.from('{"a":"é"}');
    expect(bytes.length).toBe(10);
    expect(await send([bytes.subarray(0, 7), bytes.subarray(7)])).toBe(200);
    expect(outcomes).toEqual([{ body: '{"a":"é"}' }]);
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    expect(await send([Buffer.from('x'.repeat(11))], 11)).toBe(413);
    expect(outcomes[0].error).toBeInstanceOf(BodyTooLargeError);
  });

  it('refuses a chunked body once it passes the limit', async () => {
    expect(await send([Buffer.from('x'.repeat(6)), Buffer.from('x'.repeat(6))])).toBe(413);
    expect(outcomes[0].error).toBeInstanceOf(BodyTooLargeError);
  });

  it('reads an empty body as ""', async () => {
    expect(await send([])).toBe(200);
    expect(outcomes).toEqual([{ body: '' }]);
  });

  it('sendJson: status, UTF-8 JSON with its byte length, never cached', async () => {
    const response = await fetch(`${server.url}/json`);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength('{"ok":"é"}')));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ok: 'é' });
  });

  it('sendRequestError: the GraphQL error shape with a code', async () => {
    const response = await fetch(`${server.url}/error`);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'Too big.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });
});
