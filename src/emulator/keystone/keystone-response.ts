/** What a route handler returns; written to the socket in one place (`writeKeystoneResponse`). */

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { KeystoneError } from './keystone-errors';

export interface KeystoneResponse {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** A body that is not JSON, sent as is. */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
  /**
   * Made outside Keystone's application (by the WSGI server or the size-limit middleware), so
   * without the `x-openstack-request-id` and `Vary` headers the application adds.
   */
  outsideApplication?: boolean;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): KeystoneResponse {
  return { status, body, headers };
}

export function noContent(): KeystoneResponse {
  return { status: 204 };
}

export function errorResponse(error: KeystoneError, identityUrl: string): KeystoneResponse {
  const headers: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': `Keystone uri="${identityUrl}"` } : {};
  return json(error.status, error.toBody(), headers);
}

export interface WriteOptions {
  /** HEAD answers carry the headers of the GET but no body. */
  omitBody?: boolean;
  /** Set when the request body was not read to its end: the connection cannot be reused. */
  closeConnection?: boolean;
}

export function writeKeystoneResponse(res: ServerResponse, response: KeystoneResponse, options: WriteOptions = {}): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = response.outsideApplication
    ? {}
    : { Vary: 'X-Auth-Token', 'x-openstack-request-id': `req-${randomUUID()}` };
  if (options.closeConnection) headers.Connection = 'close';
  Object.assign(headers, response.headers);

  let content: string | undefined;
  if (response.text !== undefined) {
    headers['Content-Type'] = response.text.contentType;
    content = response.text.content;
  } else if (response.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    content = JSON.stringify(response.body);
  }
  if (content !== undefined) headers['Content-Length'] = String(Buffer.byteLength(content));
  res.writeHead(response.status, headers);
  res.end(options.omitBody ? undefined : content);
}
