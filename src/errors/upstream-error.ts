export type UpstreamService = 'keystone' | 'multicloud';

/** Why the call failed: an unexpected status, no usable connection, or an unusable body. */
export type UpstreamFailure = 'status' | 'unreachable' | 'timeout' | 'invalid-response';

/**
 * What a status means in the context of one call, as the client that made it knows it:
 * Keystone's 404 on `POST /auth/tokens` means "token unknown", not "no such resource".
 * Clients only name the reason; `client-error.ts` says what the caller is told.
 */
export type UpstreamReason =
  /** The token is unknown, expired or revoked. */
  | 'token-unknown'
  /** A token re-scoping was refused: no such project, or no role on it. */
  | 'scope-refused'
  /** A password login was refused; Keystone does not say which part was wrong. */
  | 'login-refused'
  /** Listing users needs the admin role. */
  | 'users-admin-only'
  | 'user-not-found'
  | 'project-not-found'
  /** The multicloud service's policy refused the caller. */
  | 'policy-refused'
  /** The multicloud service's 400 for a well-formed create: the user or project is unknown. */
  | 'target-not-found'
  /** No such credential, or another user's: Keystone answers a member 403 for both. */
  | 'credential-not-visible'
  /** Keystone refused to show another user to a non-admin asking for that user's pairs. */
  | 'pairs-of-other-user'
  /** Keystone refused to show another user (or its projects) to a non-admin managing that user's pairs. */
  | 'user-not-manageable'
  /** `/ec2tokens` refused an AK/SK signature: bad signature (401) or unknown key (404), told apart to nobody. */
  | 'signature-refused';

export interface UpstreamErrorDetails {
  service: UpstreamService;
  method: string;
  path: string;
  failure: UpstreamFailure;
  status?: number;
  requestId?: string;
  /** A short, redacted excerpt of what the upstream said, for logs only. */
  detail?: string;
  reason?: UpstreamReason;
}

/**
 * A failed upstream call. The message carries no body, token or secret, so the error can be
 * logged as is; `client-error.ts` turns it into what the client sees.
 */
export class UpstreamError extends Error {
  readonly service: UpstreamService;
  readonly method: string;
  readonly path: string;
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly detail: string | undefined;
  readonly reason: UpstreamReason | undefined;

  constructor(details: UpstreamErrorDetails) {
    const outcome =
      details.failure === 'status'
        ? `status ${details.status}`
        : `${details.failure}${details.status === undefined ? '' : ` after status ${details.status}`}`;
    super(`${details.service} ${details.method} ${details.path} failed: ${outcome}`);
    this.name = 'UpstreamError';
    this.service = details.service;
    this.method = details.method;
    this.path = details.path;
    this.failure = details.failure;
    this.status = details.status;
    this.requestId = details.requestId;
    this.detail = details.detail;
    this.reason = details.reason;
  }

  /** The same failure with the caller's reading of what it means. */
  withReason(reason: UpstreamReason): UpstreamError {
    return new UpstreamError({ ...this, reason });
  }

  hasStatus(...statuses: number[]): boolean {
    return this.status !== undefined && statuses.includes(this.status);
  }
}

/** `error` with `reason` when it is an upstream failure with one of `statuses`; otherwise `error` as is. */
export function withReasonFor(error: unknown, statuses: number[], reason: UpstreamReason): unknown {
  return error instanceof UpstreamError && error.hasStatus(...statuses) ? error.withReason(reason) : error;
}
