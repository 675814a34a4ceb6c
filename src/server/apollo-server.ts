import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, ValidationRule } from 'graphql';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { formatError } from '../errors/format-error';
import { toClientError } from '../errors/client-error';
import { ErrorCode } from '../errors/error-code';
import { Logger } from '../observability/logger';
import { GatewayMetrics } from '../observability/metrics';
import { metricsPlugin } from '../observability/metrics-plugin';
import { redactSecrets } from '../observability/redact';
import { UpstreamError } from '../errors/upstream-error';
import { buildGatewaySchema } from '../schema/build-schema';
import { GatewayConfig } from '../config';
import { GatewayContext } from '../schema/gateway-context';
import { queryLimitRules } from './query-limits';
import { supportedOperationsRule } from './supported-operations';

/** Apollo's own two, plus the headers that carry a Keystone token. */
export const CSRF_SAFE_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'x-auth-token', 'authorization'];

/** The rules Apollo adds to graphql-js's own; trusted documents are validated with the same. */
export function gatewayValidationRules(config: GatewayConfig): ValidationRule[] {
  return [
    supportedOperationsRule,
    ...queryLimitRules({
      maxDepth: config.limits.maxQueryDepth,
      maxAliases: config.limits.maxQueryAliases,
      introspection: config.introspection,
    }),
  ];
}

export function createApolloServer(config: GatewayConfig, logger: Logger, metrics: GatewayMetrics): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema: buildGatewaySchema(),
    formatError: (formatted, error) => formatError(formatted, error, { production: config.production }),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // No "did you mean" field suggestions in production: they map the schema for a prober.
    hideSchemaDetailsFromClientErrors: config.production,
    parseOptions: { maxTokens: config.limits.maxQueryTokens },
    validationRules: gatewayValidationRules(config),
    allowBatchedHttpRequests: config.limits.maxBatchSize > 1,
    // A request carrying one of these headers cannot come from a plain HTML form or <img>: the
    // browser must preflight it, and CORS decides. Token-authenticated GET queries (urql's
    // default) are therefore served; a cookie-only GET still needs a preflight header.
    csrfPrevention: { requestHeaders: CSRF_SAFE_HEADERS },
    // main.ts drains HTTP first, then stops Apollo; Apollo's own handler would exit mid-request.
    stopOnTerminationSignals: false,
    logger,
    plugins: [
      // The schema sets no cache hints; Apollo's cache-control plugin would still hook every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      // GraphiQL is served by the gateway itself (explorer-route.ts); Sandbox is Apollo's page.
      config.explorer === 'sandbox'
        ? ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(logger),
      metricsPlugin(metrics),
    ],
  });
}

/** Logs each failed operation once, through `logOperationErrors`. */
function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          // Apollo may refuse a request before the context exists (an APQ hash mismatch).
          const requestId = (contextValue as Partial<GatewayContext> | undefined)?.requestId;
          logOperationErrors(logger, requestId, operationName, errors);
        },
      };
    },
  };
}

/**
 * Logs a failed operation once: a client's mistakes (however many errors the document holds)
 * as one info line, upstream failures as one warn line, and error level only for the gateway's
 * own faults. Never variables, never upstream bodies unredacted. Apollo's path and the compiled
 * path of trusted documents both log through here.
 */
export function logOperationErrors(
  logger: Logger,
  requestId: string | undefined,
  operationName: string | null | undefined,
  errors: readonly GraphQLError[],
): void {
  const refused = new Set<string>();
  const upstreamFailures: Record<string, unknown>[] = [];
  for (const error of errors) {
    const original = unwrapResolverError(error);
    const { code } = toClientError(original);
    if (original instanceof UpstreamError) {
      const { service, method, path, status, failure, detail } = original;
      upstreamFailures.push({ code, service, method, path, status, requestId: original.requestId, failure, detail });
    } else if (code === (ErrorCode.InternalServerError as string) && original instanceof Error && !isApolloRefusal(error)) {
      logger.error(
        {
          requestId,
          operationName,
          code,
          error: { name: original.name, stack: redactSecrets(original.stack ?? original.message) },
        },
        'unexpected error',
      );
    } else {
      refused.add(isApolloRefusal(error) ? String(error.extensions.code) : code);
    }
  }
  if (upstreamFailures.length > 0) {
    const [upstream] = upstreamFailures;
    logger.warn(
      { requestId, operationName, code: upstream.code, upstream, failures: upstreamFailures.length },
      'upstream call failed',
    );
  }
  if (refused.size > 0) logger.info({ requestId, operationName, codes: [...refused] }, 'operation refused');
}

/** Apollo's own validation and parse refusals keep their code even where `toClientError` would mask them. */
function isApolloRefusal(error: GraphQLError): boolean {
  const code = error.extensions.code;
  return typeof code === 'string' && code !== (ErrorCode.InternalServerError as string) && unwrapResolverError(error) === error;
}
