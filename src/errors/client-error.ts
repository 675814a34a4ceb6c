import { GraphQLError } from 'graphql';
import { UpstreamError, UpstreamService } from '../upstreams/upstream-error';
import { ErrorCode } from './error-code';
import { GatewayError } from './gateway-error';

/** What a client is told about a failure: the same for GraphQL errors and the download route. */
export interface ClientError {
  code: ErrorCode | string;
  message: string;
  /** Extra facts for the client, e.g. `retryAfterSeconds`; only from the gateway's own errors. */
  details?: Record<string, unknown>;
  upstream?: { service: UpstreamService; status: number | null; requestId: string | null };
}

const SERVICE_NAMES: Record<UpstreamService, string> = {
  keystone: 'Keystone',
  multicloud: 'The multicloud service',
};

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
  return INTERNAL;
}

function fromUpstream(error: UpstreamError): ClientError {
  const upstream = { service: error.service, status: error.status ?? null, requestId: error.requestId ?? null };
  const { code, message } = error.meaning ?? defaultMeaning(error);
  return { code, message, upstream };
}

function defaultMeaning(error: UpstreamError): { code: ErrorCode; message: string } {
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
