import { ASTVisitor, GraphQLError, OperationDefinitionNode, ValidationContext, ValidationRule } from 'graphql';

/**
 * Refuses operations whose root type the schema lacks (the gateway has no subscriptions).
 * graphql-js validation lets `subscription { x }` through and execution then fails as if the
 * gateway were broken; this makes it the client's validation error instead.
 */
export const supportedOperationsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(operation: OperationDefinitionNode) {
    if (!context.getSchema().getRootType(operation.operation)) {
      context.reportError(new GraphQLError(`This gateway has no ${operation.operation} operations.`, { nodes: operation }));
    }
  },
});
