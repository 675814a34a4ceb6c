import { IncomingHttpHeaders } from 'node:http';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The caller's Keystone token: `X-Auth-Token` as OpenStack clients send it, or a Bearer token. */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-auth-token'];
  const direct = (Array.isArray(header) ? header[0] : header)?.trim();
  if (direct) return direct;
  return BEARER.exec(headers.authorization ?? '')?.[1];
}
