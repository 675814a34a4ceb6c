import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
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

/** Apollo's own two, plus the headers that carry a Keystone token. */
export const CSRF_SAFE_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'x-auth-token', 'authorization'];

export function createApolloServer(config: GatewayConfig, logger: Logger, metrics: GatewayMetrics): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema: buildGatewaySchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // No "did you mean" field suggestions in production: they map the schema for a prober.
    hideSchemaDetailsFromClientErrors: config.production,
    parseOptions: { maxTokens: config.limits.maxQueryTokens },
    validationRules: queryLimitRules({
      maxDepth: config.limits.maxQueryDepth,
      maxAliases: config.limits.maxQueryAliases,
      introspection: config.introspection,
    }),
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

/** Logs each failed operation once, by code; never variables, never upstream bodies unredacted. */
function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          const { requestId } = contextValue;
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const { code } = toClientError(original);
            if (original instanceof UpstreamError) {
              const { service, method, path, status, failure, detail } = original;
              const upstream = { service, method, path, status, requestId: original.requestId, failure, detail };
              logger.warn({ requestId, operationName, code, upstream }, 'upstream call failed');
            } else if (code === (ErrorCode.InternalServerError as string) && original instanceof Error) {
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
              logger.info({ requestId, operationName, code }, 'operation refused');
            }
          }
        },
      };
    },
  };
}
