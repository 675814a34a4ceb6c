/**
 * The optional browser session: the token in an `HttpOnly`, `Secure`, `SameSite=Strict`
 * cookie, so page scripts never hold it. Header tokens keep working and take precedence.
 *
 * The cookie is named `__Host-aksk_session`: browsers accept a `__Host-` cookie only with
 * `Secure`, `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it. With
 * `SESSION_COOKIE_SECURE=false` (plain http) that prefix would make browsers drop the cookie,
 * so it is then the plain `aksk_session`, and only that name is read.
 */

export const SESSION_COOKIE = '__Host-aksk_session';
export const INSECURE_SESSION_COOKIE = 'aksk_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SESSION_COOKIE : INSECURE_SESSION_COOKIE;
}

export function sessionTokenFromCookies(cookieHeader: string | undefined, name = SESSION_COOKIE): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      return value || undefined;
    }
  }
  return undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now) / 1000));
  return [
    `${sessionCookieName(secure)}=${token}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    'SameSite=Strict',
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [
    `${sessionCookieName(secure)}=`,
    'Path=/',
    'Max-Age=0',
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    'SameSite=Strict',
  ].join('; ');
}

/** One request's view of the session: where its token came from, and cookies to send back. */
export class RequestSession {
  readonly setCookies: string[] = [];

  constructor(
    /** True when the caller's token came from the session cookie rather than a header. */
    readonly fromCookie: boolean,
    private readonly secure: boolean,
  ) {}

  start(token: string, expiresAt: Date): void {
    this.setCookies.push(sessionCookie(token, expiresAt, this.secure));
  }

  end(): void {
    this.setCookies.push(clearedSessionCookie(this.secure));
  }
}
