import { ErrorCode } from '../errors/error-code';

export type UpstreamService = 'keystone' | 'multicloud';

/** Why the call failed: an unexpected status, no usable connection, or an unusable body. */
export type UpstreamFailure = 'status' | 'unreachable' | 'timeout' | 'invalid-response';

/**
 * What a client knows about a status in the context of one call: Keystone's 404 on
 * `POST /auth/tokens` means "token unknown", not "no such resource".
 */
export interface UpstreamMeaning {
  code: ErrorCode;
  message: string;
}

export interface UpstreamErrorDetails {
  service: UpstreamService;
  method: string;
  path: string;
  failure: UpstreamFailure;
  status?: number;
  requestId?: string;
  /** A short, redacted excerpt of what the upstream said, for logs only. */
  detail?: string;
  meaning?: UpstreamMeaning;
}

/**
 * A failed upstream call. The message carries no body, token or secret, so the error can be
 * logged as is; `errors/to-graphql-error.ts` turns it into the client-facing GraphQL error.
 */
export class UpstreamError extends Error {
  readonly service: UpstreamService;
  readonly method: string;
  readonly path: string;
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly detail: string | undefined;
  readonly meaning: UpstreamMeaning | undefined;

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
    this.meaning = details.meaning;
  }

  /** The same failure with the calling client's reading of what it means. */
  withMeaning(meaning: UpstreamMeaning): UpstreamError {
    return new UpstreamError({ ...this, meaning });
  }

  hasStatus(...statuses: number[]): boolean {
    return this.status !== undefined && statuses.includes(this.status);
  }
}
