import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AkSkEventResolver } from './ak-sk/ak-sk-event.resolver';
import { AkSkResolver } from './ak-sk/ak-sk.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { ProjectResolver, UserResolver } from './directory/directory.resolver';

let schema: GraphQLSchema | undefined;

/** The gateway's GraphQL schema, built once from the decorated classes. */
export function buildGatewaySchema(): GraphQLSchema {
  schema ??= buildSchemaSync({
    resolvers: [AuthResolver, AkSkResolver, AkSkEventResolver, UserResolver, ProjectResolver],
    validate: false,
  });
  return schema;
}
