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
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { production: boolean } = { production: false },
): GraphQLFormattedError {
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
    return { message: withoutEchoes(formatted.message, error, options.production), locations, path, extensions: { code } };
  }
  const { code, message, upstream, details } = toClientError(original);
  return {
    message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...details, code, ...(upstream ? { upstream } : {}) },
  };
}

const VARIABLE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
const AT_PATH = / at "([^"]*)"$/;

/**
 * graphql-js quotes a rejected variable's value (`got invalid value { ..., password: "..." }`)
 * and lists near names (`Did you mean "username"?`). A value may be a secret, so it is never
 * echoed, in any mode; suggestions map the schema for a prober, so production gives none.
 */
export function withoutEchoes(message: string, error: unknown, production: boolean): string {
  let result = message;
  const variable = VARIABLE.exec(message);
  if (variable) {
    const inner = error instanceof GraphQLError && error.originalError instanceof GraphQLError ? error.originalError.message : '';
    const prefix = inner && message.endsWith(`; ${inner}`) ? message.slice(0, -inner.length - 2) : '';
    const at = AT_PATH.exec(prefix)?.[1];
    result = `Variable "$${variable[1]}" got an invalid value${at ? ` at "${at}"` : ''}${inner ? `; ${withoutValue(inner)}` : '.'}`;
  }
  return production ? result.replace(/ Did you mean [\s\S]*\?$/, '') : result;
}

/** The reason without the value graphql-js appends to it. */
function withoutValue(reason: string): string {
  const cannotRepresent = /^([\s\S]*? cannot represent [^:]*):/.exec(reason);
  if (cannotRepresent) return `${cannotRepresent[1]}.`;
  const enumValue = /^Value [\s\S]* does not exist in "([^"]+)" enum\.( Did you mean [\s\S]*\?)?$/.exec(reason);
  if (enumValue) return `The value does not exist in "${enumValue[1]}" enum.${enumValue[2] ?? ''}`;
  const expected = /^Expected value of type "([^"]+)", found [\s\S]*$/.exec(reason);
  if (expected) return `Expected value of type "${expected[1]}".`;
  // What is left names fields and types only (`Field "x" is not defined by type "Y".`).
  return reason;
}
