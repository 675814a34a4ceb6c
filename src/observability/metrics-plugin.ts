import { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationDefinitionNode } from 'graphql';
import { GatewayMetrics } from './metrics';

/** Counts and times every GraphQL operation, labelled by its first root field. */
export function metricsPlugin<T extends object>(metrics: GatewayMetrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      let operation = 'unknown';
      return {
        async didResolveOperation({ operation: definition }) {
          operation = rootFieldOf(definition);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          const outcome = errors?.length ? (typeof code === 'string' ? code : 'error') : 'ok';
          metrics.observeOperation(operation, outcome, Number(process.hrtime.bigint() - startedAt) / 1e9);
        },
      };
    },
  };
}

function rootFieldOf(definition: OperationDefinitionNode | undefined): string {
  const first = definition?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}
