/**
 * A minimal typed client for the gateway: `execute(document, variables)` over `fetch`, typed by the
 * generated documents in `./generated/graphql`. No dependencies: it runs in Node (tests, scripts)
 * and, compiled by `console/tsconfig.json`, in the browser console.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/** The codes the gateway puts in `extensions.code` (see the README), plus this client's own two. */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'TOO_MANY_REQUESTS'
  | 'QUERY_TOO_COMPLEX'
  | 'CONFLICT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'INTERNAL_SERVER_ERROR'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  /** This client's: the gateway could not be reached. */
  | 'NETWORK_ERROR'
  /** This client's: the gateway answered something that is not a GraphQL response. */
  | 'BAD_RESPONSE';

/** One entry of a GraphQL response's `errors`. */
export interface GatewayGraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A failed operation: the first error's code and message, with every error the gateway sent. */
export class GatewayClientError extends Error {
  override readonly name = 'GatewayClientError';

  constructor(
    /** `extensions.code` of the first error; unknown codes are kept as they came. */
    readonly code: GatewayErrorCode | (string & {}),
    message: string,
    /** The HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly errors: readonly GatewayGraphQLError[] = [],
  ) {
    super(message);
  }

  /** `extensions` of the first error, e.g. `retryAfterSeconds` or `upstream`. */
  get extensions(): Record<string, unknown> {
    return this.errors[0]?.extensions ?? {};
  }
}

/** A generated document: the operation's text, typed with its result and variables. */
export type GatewayDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Variables may be left out when the operation requires none. */
type VariablesArgument<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface GatewayClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql` or `/graphql` in a page. */
  endpoint: string;
  /** Sent as `X-Auth-Token` when it returns a token; browser pages use the session cookie instead. */
  token?: () => string | undefined;
  /** Extra headers, e.g. a `cookie` from Node. */
  headers?: () => Record<string, string>;
  /** `same-origin` by default: the page's session cookie goes along. */
  credentials?: RequestInit['credentials'];
  fetch?: typeof fetch;
}

export interface GatewayClient {
  execute<TResult, TVariables>(
    document: GatewayDocument<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<TResult>;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const send: typeof fetch = options.fetch ?? fetch;
  return {
    async execute<TResult, TVariables>(
      document: GatewayDocument<TResult, TVariables>,
      ...[variables]: VariablesArgument<TVariables>
    ) {
      const headers: Record<string, string> = {
        // JSON content type: Apollo's CSRF prevention lets it through without a preflight header.
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...options.headers?.(),
      };
      const token = options.token?.();
      if (token) headers['x-auth-token'] = token;

      let response: Response;
      try {
        response = await send(options.endpoint, {
          method: 'POST',
          headers,
          credentials: options.credentials ?? 'same-origin',
          body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
        });
      } catch {
        throw new GatewayClientError('NETWORK_ERROR', 'The gateway could not be reached.', 0);
      }

      let body: { data?: TResult | null; errors?: GatewayGraphQLError[] };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new GatewayClientError(
          'BAD_RESPONSE',
          `The gateway answered HTTP ${response.status} without a GraphQL response.`,
          response.status,
        );
      }
      const errors = Array.isArray(body?.errors) ? body.errors : [];
      if (errors.length > 0) {
        const first = errors[0];
        throw new GatewayClientError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message, response.status, errors);
      }
      if (body?.data == null) {
        throw new GatewayClientError(
          'BAD_RESPONSE',
          `The gateway answered HTTP ${response.status} with no data.`,
          response.status,
        );
      }
      return body.data;
    },
  };
}
