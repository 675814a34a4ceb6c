/**
 * Introspection is answerable in full when it is on: every query string graphql-js 15 and 16
 * generate (all option combinations) and GraphiQL's, sent over HTTP, gets the same answer the
 * schema gives locally. The depth, alias and token limits still refuse hostile introspection
 * and deep ordinary queries.
 */
import { getIntrospectionQuery, graphqlSync, IntrospectionOptions } from 'graphql';
import { getIntrospectionQuery as getIntrospectionQuery15 } from 'graphql15';
import { buildGatewaySchema } from '../../src/schema/build-schema';
import { INTROSPECTION_MAX_DEPTH } from '../../src/server/query-limits';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';

/** Every subset of the given option names, each as an options object. */
function combinations<K extends string>(names: readonly K[]): Array<Partial<Record<K, boolean>>> {
  return Array.from({ length: 2 ** names.length }, (_, mask) =>
    Object.fromEntries(names.map((name, bit) => [name, (mask & (1 << bit)) !== 0])),
  ) as Array<Partial<Record<K, boolean>>>;
}

const OPTIONS_16 = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
  'oneOf',
] as const satisfies ReadonlyArray<keyof IntrospectionOptions>;
const OPTIONS_15 = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
] as const;

/** What @graphiql/react 0.29 (GraphiQL 3) sends: its options, and its fallback without subscriptions. */
const GRAPHIQL_QUERY = getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true });
const GRAPHIQL_QUERIES = [GRAPHIQL_QUERY, GRAPHIQL_QUERY.replace('subscriptionType { name }', '')];

const STANDARD_QUERIES: Array<[string, string]> = [
  ...combinations(OPTIONS_16).map((options): [string, string] => [
    `graphql 16 ${JSON.stringify(options)}`,
    getIntrospectionQuery(options),
  ]),
  // graphql-js 16 renamed `__Type.specifiedByUrl` to `specifiedByURL`: see the test of its own.
  ...combinations(OPTIONS_15)
    .filter((options) => !options.specifiedByUrl)
    .map((options): [string, string] => [`graphql 15 ${JSON.stringify(options)}`, getIntrospectionQuery15(options)]),
  ...GRAPHIQL_QUERIES.map((query, index): [string, string] => [`GraphiQL 3 #${index + 1}`, query]),
];

async function post(harness: GatewayHarness, query: string) {
  const response = await fetch(`${harness.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

describe('introspection with the default limits (MAX_QUERY_DEPTH 10, MAX_QUERY_ALIASES 30, MAX_QUERY_TOKENS 2000)', () => {
  const schema = buildGatewaySchema();
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(() => harness.close());

  // One test per query, each with its own timeout: on a busy machine the whole list exceeded one.
  it.each(STANDARD_QUERIES)('answers the standard introspection query %s in full', async (_, query) => {
    const expected = graphqlSync({ schema, source: query });
    expect(expected.errors).toBeUndefined();
    const response = await post(harness, query);
    expect(response).toEqual({ status: 200, body: { data: expected.data } });
  });

  it('answers graphql 15 `specifiedByUrl: true` as every graphql-js 16 server does: that field is now specifiedByURL', async () => {
    const query = getIntrospectionQuery15({ specifiedByUrl: true });
    const local = graphqlSync({ schema, source: query });
    const response = await post(harness, query);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      local.errors?.map(({ message }) => expect.objectContaining({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
    );
  });

  it('still refuses a 30-level users { akSks } query by the ordinary depth limit, __schema beside it or not', async () => {
    const deep = `${'users { akSks { '.repeat(15)} userId ${'} } '.repeat(15)}`;
    for (const query of [`{ ${deep} }`, `{ ${deep} __schema { queryType { name } } }`]) {
      const response = await post(harness, query);
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(
        expect.objectContaining({
          message: 'Query is 31 levels deep; the limit is 10.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        }),
      );
    }
  });

  it(`refuses introspection nested deeper than ${INTROSPECTION_MAX_DEPTH} levels: hundreds of ofType, or through fragments`, async () => {
    const ofTypes = await post(harness, `{ __type(name: "Query") { ${'ofType { '.repeat(300)} name ${'} '.repeat(300)} } }`);
    expect(ofTypes).toEqual({ status: 400, body: tooComplex('Introspection is 302 levels deep; the limit is 20.') });

    const fragments = Array.from({ length: 40 }, (_, index) => `fragment F${index} on __Type { ofType { ...F${index + 1} } }`);
    const viaFragments = await post(
      harness,
      `{ ...Root } fragment Root on Query { __type(name: "Query") { ...F0 } } ${fragments.join(' ')} fragment F40 on __Type { name }`,
    );
    expect(viaFragments).toEqual({ status: 400, body: tooComplex('Introspection is 42 levels deep; the limit is 20.') });
  });

  it('refuses introspection recursing through fields, and many aliased __schema, by graphql-js rules and the alias and token limits', async () => {
    const recursive = await post(
      harness,
      '{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }',
    );
    expect(recursive).toEqual({
      status: 400,
      body: {
        errors: [
          expect.objectContaining({
            message: 'Maximum introspection depth exceeded',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        ],
      },
    });
    const aliased = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `s${index}: __schema { types { name } }`).join(' ')} }`;
    expect(await post(harness, aliased(100))).toEqual({ status: 400, body: tooComplex('Query has more than 30 aliases.') });
    expect(await post(harness, aliased(3000))).toEqual({ status: 400, body: tooComplex('Query has more than 2000 tokens.') });
  });
});

describe('introspection under tighter limits, and turned off', () => {
  let tight: GatewayHarness;
  let off: GatewayHarness;

  beforeAll(async () => {
    tight = await startGatewayHarness({ env: { MAX_QUERY_DEPTH: '4', MAX_QUERY_ALIASES: '0' } });
    off = await startGatewayHarness({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await tight.close();
    await off.close();
  });

  it('answers the full graphql 16 introspection query even with MAX_QUERY_DEPTH 4', async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
    const response = await post(tight, query);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(graphqlSync({ schema: buildGatewaySchema(), source: query }).data);
  });

  it('with introspection off, measures __type against the ordinary limit and refuses it as before', async () => {
    const response = await post(off, `{ __type(name: "Query") { ${'ofType { '.repeat(11)} name ${'} '.repeat(11)} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'Query is 13 levels deep; the limit is 10.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        }),
        expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ]),
    );
    const standard = await post(off, getIntrospectionQuery());
    expect(standard.status).toBe(400);
    expect(standard.body.errors).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/introspection is not allowed/i) as unknown }),
    );
  });
});

function tooComplex(message: string) {
  return { errors: [expect.objectContaining({ message, extensions: { code: 'QUERY_TOO_COMPLEX' } })] };
}
