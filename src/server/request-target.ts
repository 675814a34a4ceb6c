export interface RequestTarget {
  pathname: string;
  /** `?...`, or empty. */
  search: string;
}

/**
 * The request path, refusing targets a proxy in front might read differently: dot segments
 * (plain or percent-encoded), backslashes, `//`. WHATWG URL parsing would quietly resolve
 * `/downloads/../graphql` to `/graphql`, bypassing a proxy that routes by path prefix.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return undefined;
  // A fragment is the client's business; some send one anyway.
  const withoutFragment = target.split('#')[0];
  const queryAt = withoutFragment.indexOf('?');
  const pathname = queryAt === -1 ? withoutFragment : withoutFragment.slice(0, queryAt);
  if (pathname.includes('\\') || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(pathname) || !/^[\x21-\x7e]*$/.test(target)) {
    return undefined;
  }
  return { pathname, search: queryAt === -1 ? '' : withoutFragment.slice(queryAt) };
}
