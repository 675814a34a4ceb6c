import { IncomingMessage, ServerResponse } from 'node:http';
import { readCappedBody } from '../http/capped-body';

/** Small helpers for the gateway's own HTTP routes. */

/** The whole body as text, refusing more than `maxBytes`. */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = request.headers['content-length'];
  return (await readCappedBody(request, maxBytes, declared === undefined ? undefined : Number(declared))).toString('utf8');
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
