import { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTimeoutError, BodyTooLargeError, readCappedBody } from '../http/capped-body';

/** Small helpers for the gateway's own HTTP routes. */

/** The client went away, or broke the stream, before its body was complete. */
export class BodyAbortedError extends Error {
  constructor() {
    super('request body aborted');
    this.name = 'BodyAbortedError';
  }
}

/**
 * The whole body as text, refusing more than `maxBytes` and a pause longer than `idleTimeoutMs`
 * between chunks (`BodyTooLargeError`, `BodyTimeoutError`); any other failure of the stream is
 * the client's doing (`BodyAbortedError`).
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number, idleTimeoutMs = 5_000): Promise<string> {
  const declared = request.headers['content-length'];
  try {
    const body = await readCappedBody(request, maxBytes, declared === undefined ? undefined : Number(declared), idleTimeoutMs);
    return body.toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLargeError || error instanceof BodyTimeoutError) throw error;
    throw new BodyAbortedError();
  }
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
