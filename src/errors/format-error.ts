import { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { toClientError } from './client-error';
import { ErrorCode } from './error-code';

/**
 * Apollo's `formatError`: upstream failures and our own errors become coded client errors;
 * anything else is masked. Apollo's own errors (parse, validation, bad request) pass through.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const apolloCode = formatted.extensions?.code;
  if (original === error && typeof apolloCode === 'string' && apolloCode !== ErrorCode.InternalServerError) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: apolloCode } };
  }
  const { code, message, upstream } = toClientError(original);
  return {
    message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: upstream ? { code, upstream } : { code },
  };
}
