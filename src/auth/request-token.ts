import { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE, sessionTokenFromCookies } from './session-cookie';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export interface RequestToken {
  token: string;
  source: 'header' | 'cookie';
}

/**
 * The caller's Keystone token: `X-Auth-Token` as OpenStack clients send it, a Bearer token,
 * or else the browser session cookie (named as `sessionCookieName` says).
 */
export function tokenFromRequest(headers: IncomingHttpHeaders, cookieName = SESSION_COOKIE): RequestToken | undefined {
  const header = headers['x-auth-token'];
  const direct = (Array.isArray(header) ? header[0] : header)?.trim();
  if (direct) return { token: direct, source: 'header' };
  const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
  if (bearer) return { token: bearer, source: 'header' };
  const cookie = sessionTokenFromCookies(headers.cookie, cookieName);
  return cookie ? { token: cookie, source: 'cookie' } : undefined;
}
