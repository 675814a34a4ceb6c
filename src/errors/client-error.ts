import { GraphQLError } from 'graphql';
import { UpstreamError, UpstreamReason, UpstreamService } from './upstream-error';
import { ErrorCode } from './error-code';
import { GatewayError } from './gateway-error';

/** What a client is told about a failure: the same for GraphQL errors and the plain HTTP routes. */
export interface ClientError {
  code: ErrorCode | string;
  message: string;
  /** Extra facts for the client, e.g. `retryAfterSeconds`; only from the gateway's own errors. */
  details?: Record<string, unknown>;
  upstream?: { service: UpstreamService; status: number | null; requestId: string | null };
}

interface Meaning {
  code: ErrorCode;
  message: string;
  /** Say nothing of the upstream call: its status would tell whose things exist. */
  hideUpstream?: boolean;
}

const TOKEN_UNKNOWN: Meaning = { code: ErrorCode.Unauthenticated, message: 'The token is unknown, expired or revoked.' };

/** What each reason an upstream client or service names means to the caller. */
const MEANING_OF_REASON: Record<UpstreamReason, Meaning> = {
  'token-unknown': TOKEN_UNKNOWN,
  'scope-refused': {
    code: ErrorCode.Unauthenticated,
    message: 'The token cannot be scoped to that project: it does not exist or the user has no role on it.',
  },
  'login-refused': {
    code: ErrorCode.Unauthenticated,
    message: 'Login failed: wrong user, password or domain, or no role on the requested project (Keystone does not say which).',
  },
  'users-admin-only': { code: ErrorCode.Forbidden, message: 'Only an admin may list users.' },
  'user-not-found': { code: ErrorCode.NotFound, message: 'No such user.' },
  'project-not-found': { code: ErrorCode.NotFound, message: 'No such project.' },
  'policy-refused': { code: ErrorCode.Forbidden, message: "The multicloud service's policy does not allow this for the caller." },
  'target-not-found': { code: ErrorCode.NotFound, message: 'The user or project does not exist.' },
  'credential-not-visible': {
    code: ErrorCode.NotFound,
    message: 'No AK/SK pair with this access key that you may manage.',
    hideUpstream: true,
  },
  'user-not-manageable': { code: ErrorCode.Forbidden, message: "Only an admin may manage another user's AK/SK pairs." },
  'pairs-of-other-user': {
    code: ErrorCode.Forbidden,
    message: "Only an admin may list another user's AK/SK pairs.",
    hideUpstream: true,
  },
  'signature-refused': {
    code: ErrorCode.Unauthenticated,
    message:
      'Keystone refused the signature: it does not match (check the secret key, the signed headers and the body), ' +
      'or the access key is unknown or not active (Keystone does not say which).',
    hideUpstream: true,
  },
};

/** The HTTP status of a failure on a plain route (GraphQL answers 200 with the error inside). */
const HTTP_STATUS_BY_CODE: Partial<Record<string, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  // As AWS IAM's LimitExceeded: the state of the user's pairs, not the request rate, is in the way.
  [ErrorCode.QuotaExceeded]: 409,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.InternalServerError]: 500,
  // Not this gateway's setup: a feature switched off by configuration.
  [ErrorCode.AuditTrailUnavailable]: 501,
};

const SERVICE_NAMES: Record<UpstreamService, string> = {
  keystone: 'Keystone',
  multicloud: 'The multicloud service',
};

/** Apollo's code for a request it cannot run as sent. */
const BAD_REQUEST = 'BAD_REQUEST';

const INTERNAL: ClientError = { code: ErrorCode.InternalServerError, message: 'Internal server error.' };

/**
 * The one mapping from anything thrown to what a client sees. Unknown errors are masked:
 * their text may hold anything, including secrets.
 */
export function toClientError(error: unknown): ClientError {
  if (error instanceof UpstreamError) return fromUpstream(error);
  if (error instanceof GatewayError) {
    const { code, ...details } = error.extensions;
    return { code: String(code), message: error.message, ...(Object.keys(details).length ? { details } : {}) };
  }
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') {
    return { code: error.extensions.code, message: error.message };
  }
  // Apollo's own refusals of a request (an APQ hash that does not match its query) carry a 4xx
  // status but no code: they are the client's mistake, not the gateway's fault.
  const httpStatus =
    error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  if (error instanceof GraphQLError && typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
    return { code: BAD_REQUEST, message: error.message };
  }
  return INTERNAL;
}

/** `toClientError` with the HTTP status a plain route answers with. */
export function toHttpError(error: unknown): ClientError & { httpStatus: number } {
  const clientError = toClientError(error);
  const timedOut = error instanceof UpstreamError && error.failure === 'timeout';
  return { ...clientError, httpStatus: HTTP_STATUS_BY_CODE[clientError.code] ?? (timedOut ? 504 : 502) };
}

/** The gateway's own error for a reason it finds without an upstream failure to hand. */
export function failureFor(reason: UpstreamReason): GatewayError {
  const { code, message } = MEANING_OF_REASON[reason];
  return new GatewayError(code, message);
}

function fromUpstream(error: UpstreamError): ClientError {
  const meaning = error.reason ? MEANING_OF_REASON[error.reason] : defaultMeaning(error);
  if (meaning.hideUpstream) return { code: meaning.code, message: meaning.message };
  const upstream = { service: error.service, status: error.status ?? null, requestId: error.requestId ?? null };
  return { code: meaning.code, message: meaning.message, upstream };
}

function defaultMeaning(error: UpstreamError): Meaning {
  const service = SERVICE_NAMES[error.service];
  switch (error.failure) {
    case 'timeout':
      return { code: ErrorCode.UpstreamUnavailable, message: `${service} did not answer in time.` };
    case 'unreachable':
      return error.status === undefined
        ? { code: ErrorCode.UpstreamUnavailable, message: `${service} cannot be reached.` }
        : { code: ErrorCode.UpstreamUnavailable, message: `The connection to ${service} broke before its answer was complete.` };
    case 'invalid-response':
      return { code: ErrorCode.UpstreamError, message: `${service} sent a response the gateway cannot read.` };
    case 'status':
      break;
  }
  const status = error.status ?? 0;
  if (status >= 500) return { code: ErrorCode.UpstreamUnavailable, message: `${service} failed (status ${status}).` };
  switch (status) {
    case 400:
      return { code: ErrorCode.BadUserInput, message: `${service} refused the request as invalid.` };
    case 401:
      return { code: ErrorCode.Unauthenticated, message: `${service} refused the token or credentials.` };
    case 403:
      return { code: ErrorCode.Forbidden, message: `${service} does not allow this for the caller.` };
    case 404:
      return { code: ErrorCode.NotFound, message: `${service} found no such resource.` };
    case 409:
      return { code: ErrorCode.Conflict, message: `${service} reports that it already exists.` };
    default:
      return { code: ErrorCode.UpstreamError, message: `${service} answered with unexpected status ${status}.` };
  }
}
