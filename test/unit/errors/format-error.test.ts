import { buildSchema, graphql, GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../../src/errors/error-code';
import { formatError } from '../../../src/errors/format-error';
import { badUserInput } from '../../../src/errors/gateway-error';
import { UpstreamError } from '../../../src/errors/upstream-error';

const schema = buildSchema('type Query { field: String, required: String! }');

/** Runs `{ field }` with a resolver that throws `thrown`, and formats the error as Apollo would. */
async function formattedFor(thrown: unknown): Promise<GraphQLFormattedError> {
  const result = await graphql({
    schema,
    source: '{ field }',
    rootValue: {
      field: () => {
        throw thrown;
      },
    },
  });
  const error = result.errors![0];
  return formatError(error.toJSON(), error);
}

describe('formatError', () => {
  it('turns an upstream failure into its code, message and upstream extension', async () => {
    const failure = new UpstreamError({
      service: 'keystone',
      method: 'GET',
      path: '/auth/tokens',
      failure: 'status',
      status: 404,
      requestId: 'req-9',
      detail: 'Failed to validate token',
    }).withReason('token-unknown');

    expect(await formattedFor(failure)).toEqual({
      message: 'The token is unknown, expired or revoked.',
      locations: [{ line: 1, column: 3 }],
      path: ['field'],
      extensions: { code: ErrorCode.Unauthenticated, upstream: { service: 'keystone', status: 404, requestId: 'req-9' } },
    });
  });

  it("keeps the gateway's own errors", async () => {
    expect(await formattedFor(badUserInput('projectId must not be empty.'))).toEqual({
      message: 'projectId must not be empty.',
      locations: [{ line: 1, column: 3 }],
      path: ['field'],
      extensions: { code: ErrorCode.BadUserInput },
    });
  });

  it('masks anything else, whatever its message holds', async () => {
    const formatted = await formattedFor(new Error('ECONNRESET while sending password=hunter2'));
    expect(formatted).toEqual({
      message: 'Internal server error.',
      locations: [{ line: 1, column: 3 }],
      path: ['field'],
      extensions: { code: ErrorCode.InternalServerError },
    });
    expect(JSON.stringify(formatted)).not.toContain('hunter2');
  });

  it('masks an error Apollo marked INTERNAL_SERVER_ERROR', () => {
    const error = new GraphQLError('Cannot return null for non-nullable field Query.required.', { path: ['required'] });
    const formatted = formatError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted).toEqual({
      message: 'Internal server error.',
      path: ['required'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it("passes Apollo's own errors (validation, parse) through with their code only", () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', exception: { stacktrace: ['...'] } },
    });
    expect(formatError({ ...error.toJSON(), locations: [{ line: 1, column: 3 }] }, error)).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      path: undefined,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('formatError on variable values', () => {
  const inputSchema = buildSchema(
    'enum Format { JSON CSV } input Login { username: String!, password: String! } type Query { login(input: Login!, format: Format): String }',
  );
  /** The variable-coercion errors graphql-js gives for `variables`, formatted as Apollo would with a BAD_USER_INPUT code. */
  async function messagesFor(variables: Record<string, unknown>, production: boolean): Promise<string[]> {
    const result = await graphql({
      schema: inputSchema,
      source: 'query($input: Login!, $format: Format) { login(input: $input, format: $format) }',
      variableValues: variables,
    });
    return result.errors!.map(
      (error) => formatError({ ...error.toJSON(), extensions: { code: 'BAD_USER_INPUT' } }, error, { production }).message,
    );
  }

  // Regression: `got invalid value { usernme: "a", password: "..." }; ... Did you mean "username"?` in production.
  it('never echoes a value, and suggests nothing in production', async () => {
    const input = { usernme: 'a', password: 'the-password' };
    expect((await messagesFor({ input }, true)).sort()).toEqual([
      'Variable "$input" got an invalid value; Field "username" of required type "String!" was not provided.',
      'Variable "$input" got an invalid value; Field "usernme" is not defined by type "Login".',
    ]);
    expect(await messagesFor({ input }, false)).toContain(
      'Variable "$input" got an invalid value; Field "usernme" is not defined by type "Login". Did you mean "username"?',
    );
  });

  it('drops the value from scalar and enum reasons', async () => {
    const messages = await messagesFor(
      { input: { username: 'a', password: { x: 'the-password' } }, format: 'the-password' },
      true,
    );
    expect(messages).toEqual([
      'Variable "$input" got an invalid value at "input.password"; String cannot represent a non string value.',
      'Variable "$format" got an invalid value; The value does not exist in "Format" enum.',
    ]);
    expect(messages.join()).not.toContain('the-password');
  });
});
