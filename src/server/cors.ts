import { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = [
  'content-type',
  'x-auth-token',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');

/**
 * CORS for browser frontends and Apollo Sandbox (which runs on its own origin). Answers
 * preflights itself; returns true when the request was one.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  const listed = origin !== undefined && allowedOrigins.includes(origin);
  const allowed = listed || (origin !== undefined && allowedOrigins.includes('*'));
  response.setHeader('vary', 'Origin');
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', 'x-request-id');
    // Session cookies cross origins only to origins named one by one, never through `*`.
    if (listed) response.setHeader('access-control-allow-credentials', 'true');
  }
  if (request.method !== 'OPTIONS') return false;
  if (allowed) {
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    response.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    response.setHeader('access-control-max-age', '600');
  }
  response.writeHead(204).end();
  return true;
}
