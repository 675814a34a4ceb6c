import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * HTTP the way `fetch` will not send it: raw request targets (no dot-segment normalisation),
 * repeated header lines, bytes a client library refuses. For the hostile-input tests.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request through `node:http`, whose client sends the path exactly as given. */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string | string[]>; body?: string | Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers = { ...options.headers };
  // node sends a DELETE's body without framing unless told its length.
  if (options.body !== undefined && !headers['transfer-encoding']) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: hostname, port, method: options.method ?? 'GET', path: options.path, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * Writes bytes on a fresh TCP connection and reads until the server closes it (no timer of its
 * own: a server that never closes fails the test at jest's timeout, however busy the machine).
 * Returns the status of the first response, 0 when none came, and everything read.
 */
export function rawExchange(baseUrl: string, bytes: string | Buffer): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : 0, text });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.write(bytes);
  });
}

/**
 * The real `process`. Jest gives each test file a copy whose listeners never see the host's
 * `uncaughtException` or `unhandledRejection`; a function built by the host realm's `Function`
 * (reached through `Buffer`, a host object) evaluates in the host realm and returns the real one.
 */
export function hostProcess(): NodeJS.Process {
  const HostFunction = (Buffer as unknown as { constructor: FunctionConstructor }).constructor;
  return HostFunction('return process')() as NodeJS.Process;
}

/** Records every `uncaughtException` and `unhandledRejection` of the host process until stopped. */
export function watchProcessFailures(): { failures: string[]; stop(): void } {
  const host = hostProcess();
  const failures: string[] = [];
  const onException = (error: unknown) => failures.push(`uncaughtException: ${String(error)}`);
  const onRejection = (reason: unknown) => failures.push(`unhandledRejection: ${String(reason)}`);
  host.on('uncaughtException', onException);
  host.on('unhandledRejection', onRejection);
  return {
    failures,
    stop() {
      host.off('uncaughtException', onException);
      host.off('unhandledRejection', onRejection);
    },
  };
}
