import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { UpstreamCallEvent, UpstreamHttp } from '../../../src/upstreams/upstream-http';
import { upstreamFailure } from './upstream-test-kit';

/**
 * Pins how retries and the deadline compose: the deadline wraps the retries (one budget for
 * the whole call), only GETs are retried, only when no usable answer came.
 */
describe('UpstreamHttp retries and deadline', () => {
  const servers: Server[] = [];
  let dispatcher: Agent;
  beforeEach(() => {
    dispatcher = new Agent({ keepAliveTimeout: 10 });
  });
  afterEach(async () => {
    await dispatcher.destroy();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A server answering each request with the next behaviour of the script; counts requests. */
  async function scripted(script: Array<'reset' | 'hang' | 503 | 500 | 200>): Promise<{ url: string; count: () => number }> {
    let requests = 0;
    const server = createServer((request, response) => {
      const step = script[Math.min(requests, script.length - 1)];
      requests += 1;
      request.resume();
      if (step === 'reset') request.socket.destroy();
      else if (step === 'hang') return;
      else response.writeHead(step, { 'content-type': 'application/json' }).end(step === 200 ? '{"ok":true}' : '{}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => requests };
  }

  const client = (url: string, calls: UpstreamCallEvent[], timeoutMs = 1_000) =>
    new UpstreamHttp({
      service: 'multicloud',
      baseUrl: url,
      dispatcher,
      timeoutMs,
      retry: { retries: 2, baseDelayMs: 5 },
      onCall: (call) => calls.push(call),
    });

  it('retries a GET whose connection was reset, then succeeds', async () => {
    const upstream = await scripted(['reset', 200]);
    const calls: UpstreamCallEvent[] = [];
    const response = await client(upstream.url, calls).send({ method: 'GET', path: '/v1/p/aksks/u', expect: [200] });
    expect(response.body).toEqual({ ok: true });
    expect(upstream.count()).toBe(2);
    expect(calls.map((call) => [call.attempt, call.status, call.failure])).toEqual([
      [1, undefined, 'unreachable'],
      [2, 200, undefined],
    ]);
  });

  it('retries a GET answered 503 at most twice, then reports the last failure', async () => {
    const upstream = await scripted([503]);
    const calls: UpstreamCallEvent[] = [];
    const error = await upstreamFailure(
      client(upstream.url, calls).send({ method: 'GET', path: '/v1/p/aksks/u', expect: [200] }),
    );
    expect(error).toMatchObject({ status: 503, failure: 'status' });
    expect(upstream.count()).toBe(3);
  });

  it('never retries a 500: the upstream ran the request and failed', async () => {
    const upstream = await scripted([500, 200]);
    await upstreamFailure(client(upstream.url, []).send({ method: 'GET', path: '/v1/p/aksks/u', expect: [200] }));
    expect(upstream.count()).toBe(1);
  });

  it('never retries a POST, even after a reset: a login or a create must not run twice', async () => {
    const upstream = await scripted(['reset', 200]);
    const error = await upstreamFailure(
      client(upstream.url, []).send({ method: 'POST', path: '/v1/p/aksks', json: {}, expect: [200] }),
    );
    expect(error.failure).toBe('unreachable');
    expect(upstream.count()).toBe(1);
  });

  it('never retries a DELETE: a retried delete that had succeeded would report a 404', async () => {
    const upstream = await scripted(['reset', 200]);
    await upstreamFailure(client(upstream.url, []).send({ method: 'DELETE', path: '/v1/p/aksks/u', expect: [200] }));
    expect(upstream.count()).toBe(1);
  });

  it('does not retry a timeout, and retries never extend the deadline', async () => {
    const upstream = await scripted(['hang', 200]);
    const calls: UpstreamCallEvent[] = [];
    const started = Date.now();
    const error = await upstreamFailure(
      client(upstream.url, calls, 150).send({ method: 'GET', path: '/v1/p/aksks/u', expect: [200] }),
    );
    const elapsed = Date.now() - started;
    expect(error.failure).toBe('timeout');
    expect(upstream.count()).toBe(1);
    // Not before the deadline; "not long after" is the single call and the jest timeout's job.
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(calls).toHaveLength(1);
  });
});
