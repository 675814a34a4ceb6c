import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { toClientError } from './client-error';
import { ErrorCode } from './error-code';

// graphql-js's own wording, typo included, when `parseOptions.maxTokens` is exceeded.
const TOKEN_LIMIT = /^Syntax Error: Document contains more that (\d+) tokens/;

/**
 * Apollo's `formatError`: upstream failures and our own errors become coded client errors;
 * anything else is masked. Apollo's own errors (parse, validation, bad request) pass through,
 * except that the gateway's query limits keep their own code.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const apolloCode = formatted.extensions?.code;
  if (original === error && typeof apolloCode === 'string' && apolloCode !== (ErrorCode.InternalServerError as string)) {
    const { locations, path } = formatted;
    const tokenLimit = TOKEN_LIMIT.exec(formatted.message);
    if (tokenLimit) {
      return { message: `Query has more than ${tokenLimit[1]} tokens.`, extensions: { code: ErrorCode.QueryTooComplex } };
    }
    // Apollo recodes every validation error; a limit rule's own code says more.
    const ruleCode =
      error instanceof GraphQLError && error.originalError instanceof GraphQLError
        ? error.originalError.extensions.code
        : undefined;
    const code = ruleCode === ErrorCode.QueryTooComplex ? ruleCode : apolloCode;
    return { message: formatted.message, locations, path, extensions: { code } };
  }
  const { code, message, upstream, details } = toClientError(original);
  return {
    message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...details, code, ...(upstream ? { upstream } : {}) },
  };
}
