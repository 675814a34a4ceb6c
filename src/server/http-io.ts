import { IncomingMessage, ServerResponse } from 'node:http';

/** Small helpers for the gateway's own HTTP routes. */

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

/** The client stopped sending its body for longer than the idle timeout. */
export class BodyTimeoutError extends Error {
  constructor() {
    super('request body stalled');
  }
}

/** The client went away, or broke the stream, before its body was complete. */
export class BodyAbortedError extends Error {
  constructor() {
    super('request body aborted');
  }
}

/**
 * The whole body as text, refusing more than `maxBytes` and a pause longer than `idleTimeoutMs`
 * between chunks; events, not an async iterator, on the hot path.
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number, idleTimeoutMs = 5_000): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let idle: NodeJS.Timeout | undefined;
    const settle = (error: Error | undefined) => {
      clearTimeout(idle);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const armIdleTimer = () => {
      clearTimeout(idle);
      idle = setTimeout(() => settle(new BodyTimeoutError()), idleTimeoutMs);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
      armIdleTimer();
    };
    const onEnd = () => settle(undefined);
    const onError = () => settle(new BodyAbortedError());
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('aborted', onError);
    armIdleTimer();
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** A GraphQL-shaped error for requests that never reach GraphQL execution. */
export function sendRequestError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] });
}
