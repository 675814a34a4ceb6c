/** What a route handler gets to see of a request. */

import type { IncomingHttpHeaders } from 'node:http';
import type { IdentityStore, TokenRecord } from './identity-store';
import { keystoneErrors } from './keystone-errors';
import type { ServiceCatalog } from './token-body';

export interface Caller {
  token: TokenRecord;
  /** Effective role names on the token's project or the system; none for an unscoped token. */
  roleNames: string[];
}

export interface RequestContext {
  store: IdentityStore;
  catalog: ServiceCatalog;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The decoded JSON object, `undefined` when the request had no body. */
  body: Record<string, unknown> | undefined;
  /** Path parameters of the matched route, already URL-decoded. */
  params: Record<string, string>;
  /** Absolute URL of this Keystone's v3 base, for links and the catalog. */
  identityUrl: string;
  /** Absolute URL of this request, for collection `links.self`. */
  requestUrl: string;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The caller behind `X-Auth-Token`. A missing, unknown, expired or revoked token is the same
 * 401: Keystone's middleware only marks the request unauthenticated. (A token whose user was
 * deleted never gets here: the emulator answers it before routing, see `userGoneResponse`.)
 */
export function requireCaller(context: RequestContext): Caller {
  const tokenId = headerValue(context.headers, 'x-auth-token');
  if (!tokenId) throw keystoneErrors.unauthorized();
  const lookup = context.store.lookupToken(tokenId);
  if (lookup.status !== 'valid') throw keystoneErrors.unauthorized();
  const { token } = lookup;
  return { token, roleNames: context.store.rolesOfToken(token).map((role) => role.name) };
}
