/**
 * The virtual clients' HTTP: one keep-alive undici pool to the gateway, every call timed from
 * send to last byte with `process.hrtime.bigint()` and recorded under its operation, and every
 * failure reduced to one code: the GraphQL `extensions.code`, `HTTP_<status>`, or the
 * transport's error code (`UND_ERR_HEADERS_TIMEOUT`, `ECONNRESET`, ...).
 */
import { Pool } from 'undici';
import { OperationStats } from './operation-stats';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; transport: boolean };

export class TimedClient {
  private readonly pool: Pool;
  private readonly origin: string;
  private sent = 0;

  constructor(
    gatewayUrl: string,
    connections: number,
    private readonly timeoutMs: number,
    private readonly stats: OperationStats,
    /** The client refuses to send more than this many requests. */
    private readonly maxRequests: number,
  ) {
    this.origin = new URL(gatewayUrl).origin;
    this.pool = new Pool(this.origin, { connections, pipelining: 1, connectTimeout: timeoutMs, keepAliveTimeout: 30_000 });
  }

  get requestsSent(): number {
    return this.sent;
  }

  get capReached(): boolean {
    return this.sent >= this.maxRequests;
  }

  /**
   * Sends one GraphQL operation and returns `data[operation]` (operations are named after their
   * one root field). A response with `errors` is a
   * failure under the first error's code, even when it also carries data.
   */
  async graphql<T>(operation: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Outcome<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['x-auth-token'] = token;
    const answer = await this.send(operation, 'POST', '/graphql', headers, JSON.stringify({ query, variables }));
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    let body: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: unknown } }> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return this.failed(operation, `HTTP_${status}_NOT_JSON`, false);
    }
    if (body.errors?.length) {
      const code = body.errors[0].extensions?.code;
      return this.failed(operation, typeof code === 'string' ? code : 'NO_CODE', false);
    }
    if (status !== 200) return this.failed(operation, `HTTP_${status}`, false);
    if (!body.data || !(operation in body.data)) return this.failed(operation, 'NO_DATA', false);
    return { ok: true, value: body.data[operation] as T };
  }

  /**
   * A plain GET on the gateway (a download link, relative unless `PUBLIC_URL` or a trusted proxy
   * gives the gateway its public base); anything but 200 fails as `HTTP_<status>`.
   */
  async get(operation: string, url: string): Promise<Outcome<string>> {
    const target = new URL(url, this.origin);
    if (target.origin !== this.origin) {
      // Never followed (loopback only), but counted as a failed request of its own.
      this.stats.record(operation, 0);
      return this.failed(operation, 'FOREIGN_ORIGIN', false);
    }
    const answer = await this.send(operation, 'GET', target.pathname + target.search, {}, undefined);
    if (!answer.ok) return answer;
    if (answer.value.status !== 200) return this.failed(operation, `HTTP_${answer.value.status}`, false);
    return { ok: true, value: answer.value.text };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async send(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Outcome<{ status: number; text: string }>> {
    this.sent++;
    const started = process.hrtime.bigint();
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.pool.request({
        method,
        path,
        headers,
        body,
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await response.body.text();
      this.stats.record(operation, Number(process.hrtime.bigint() - started) / 1e6);
      return { ok: true, value: { status: response.statusCode, text } };
    } catch (error) {
      this.stats.record(operation, Number(process.hrtime.bigint() - started) / 1e6);
      return this.failed(operation, transportCode(error, signal), true);
    }
  }

  private failed(operation: string, code: string, transport: boolean): { ok: false; code: string; transport: boolean } {
    this.stats.fail(operation, code);
    return { ok: false, code, transport };
  }
}

function transportCode(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'CLIENT_TIMEOUT';
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'TRANSPORT_ERROR';
}
