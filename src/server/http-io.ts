import { IncomingMessage, ServerResponse } from 'node:http';

/** Small helpers for the gateway's own HTTP routes. */

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}

/** The whole body as text, refusing more than `maxBytes`; events, not an async iterator, on the hot path. */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      reject(new BodyTooLargeError());
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
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
