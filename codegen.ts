/**
 * GraphQL Code Generator: the typed client `client/generated/graphql.ts`, from `schema.graphql` and
 * the operations in `client/operations/`. `npm run codegen` writes it; a test fails when it is stale.
 *
 * Documents are emitted as `TypedDocumentString`s (`documentMode: 'string'`): each carries its result
 * and variable types like a `TypedDocumentNode`, but is the query text itself, so the browser console
 * sends it as is, with no GraphQL runtime or bundler. One self-contained file, no `graphql()` tag map:
 * the operations live in `.graphql` files.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'client/operations/*.graphql',
  generates: {
    'client/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { DateTime: 'string' },
        skipTypename: true,
        avoidOptionals: { field: true },
        // Operation results name only the fields they select, with their real nullability.
        preResolveTypes: true,
      },
    },
  },
};

export default config;
