/**
 * The stable `extensions.code` values of every error the gateway returns.
 * Clients branch on these strings: renaming one is a breaking change.
 */
export enum ErrorCode {
  /** No token, or the upstream refused the credentials or token (unknown, expired, revoked). */
  Unauthenticated = 'UNAUTHENTICATED',
  /** The caller is authenticated but the upstream's policy refuses the operation. */
  Forbidden = 'FORBIDDEN',
  /** The user, project or credential does not exist. */
  NotFound = 'NOT_FOUND',
  /** The input was refused, by the gateway's own validation or by the upstream (400). */
  BadUserInput = 'BAD_USER_INPUT',
  /** Too many failed logins for a user name or from an address; `extensions.retryAfterSeconds` says when to retry. */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** The document is too deep, has too many aliases or tokens, or the batch is too large. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  /** The request's JSON (body, or GET `variables`/`extensions`) nests deeper than the gateway reads (128 levels). */
  JsonTooDeep = 'JSON_TOO_DEEP',
  /** A limit on how many of something may exist was reached (`AKSK_MAX_PER_USER`); `extensions.limit` says which. */
  QuotaExceeded = 'QUOTA_EXCEEDED',
  /** `TRUSTED_DOCUMENTS_ONLY=true` and the request's document is not in the trusted-document manifest (Apollo's safelisting code). */
  PersistedQueryNotInList = 'PERSISTED_QUERY_NOT_IN_LIST',
  /** The thing to create already exists. */
  Conflict = 'CONFLICT',
  /** The upstream could not be reached, timed out, or failed (5xx). */
  UpstreamUnavailable = 'UPSTREAM_UNAVAILABLE',
  /** The upstream answered with something the gateway does not understand. */
  UpstreamError = 'UPSTREAM_ERROR',
  /**
   * `akSkEvents` without Redis: the gateway keeps no queryable audit trail, only its log lines
   * (`"audit": true`).
   */
  AuditTrailUnavailable = 'AUDIT_TRAIL_UNAVAILABLE',
  /** A bug in the gateway; details are logged, never returned. */
  InternalServerError = 'INTERNAL_SERVER_ERROR',
}
