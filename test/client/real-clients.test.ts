/**
 * Real GraphQL clients against the real gateway process (`node dist/main.js`, embedded emulator),
 * each with its defaults: @apollo/client (POST), @urql/core (GET for queries), graphql-request
 * (POST) and the project's typed client. Each runs the seed flow (login with scope, createAkSk,
 * akSk, a download link and its file, deleteAkSk) and a bad-token query; all must see the same
 * data and the same `extensions.code`s. The schema GraphQL Code Generator loads by introspection is schema.graphql.
 */
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { cacheExchange, Client as UrqlClient, fetchExchange } from '@urql/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UrlLoader } from '@graphql-tools/url-loader';
import { buildSchema, GraphQLSchema, lexicographicSortSchema, parse, printSchema } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { createGatewayClient, GatewayClientError, GatewayDocument } from '../../client/gateway-client';
import {
  AkSkDocument,
  CreateAkSkDocument,
  CreateAkSkDownloadLinkDocument,
  DeleteAkSkDocument,
  LoginDocument,
} from '../../client/generated/graphql';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { recordSecrets, secretsIn } from '../support/log-audit';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';

const { admin } = DEMO_LOGINS;

/** The operations, as text: every client gets the same documents. */
const OPERATIONS = {
  login: LoginDocument.toString(),
  createAkSk: CreateAkSkDocument.toString(),
  akSk: AkSkDocument.toString(),
  createAkSkDownloadLink: CreateAkSkDownloadLinkDocument.toString(),
  deleteAkSk: DeleteAkSkDocument.toString(),
};
type Operation = keyof typeof OPERATIONS;
const MUTATIONS: ReadonlySet<Operation> = new Set(['login', 'createAkSk', 'createAkSkDownloadLink', 'deleteAkSk']);

/** What a client got: data, or the error codes; never both asserted loosely. */
interface Outcome {
  data?: Record<string, any> | null;
  codes: string[];
}

/** One client library, reduced to "run this operation with these variables and this token". */
interface Driver {
  name: string;
  run(operation: Operation, variables: Record<string, unknown>, token?: string): Promise<Outcome>;
}

const codesOf = (errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string[] =>
  (errors ?? []).map((error) => String(error.extensions?.code));

/** fetch that records the method of each GraphQL request and hands every secret it sees to the log audit. */
function recordingFetch(methods: string[]): typeof fetch {
  return async (input, init) => {
    methods.push(init?.method ?? 'GET');
    const response = await fetch(input, init);
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const sent = typeof init?.body === 'string' ? (JSON.parse(init.body) as { variables?: unknown }).variables : undefined;
    recordSecrets(secretsIn(sent, body));
    return response;
  };
}

function apolloDriver(endpoint: string, methods: string[]): Driver {
  const client = new ApolloClient({
    link: new HttpLink({ uri: endpoint, fetch: recordingFetch(methods) }),
    cache: new InMemoryCache(),
  });
  return {
    name: '@apollo/client',
    async run(operation, variables, token) {
      const options = {
        variables,
        errorPolicy: 'all' as const,
        context: { headers: token ? { 'x-auth-token': token } : {} },
      };
      const document = parse(OPERATIONS[operation]);
      const result = MUTATIONS.has(operation)
        ? await client.mutate({ mutation: document, ...options })
        : await client.query({ query: document, fetchPolicy: 'no-cache', ...options });
      const errors = CombinedGraphQLErrors.is(result.error) ? result.error.errors : [];
      if (result.error && !CombinedGraphQLErrors.is(result.error)) throw new Error(`network: ${result.error.message}`);
      return { data: errors.length ? undefined : (result.data as Record<string, any>), codes: codesOf(errors) };
    },
  };
}

function urqlDriver(endpoint: string, methods: string[]): Driver {
  // urql's defaults: the standard exchanges, and GET for queries that fit in a URL.
  const client = new UrqlClient({ url: endpoint, exchanges: [cacheExchange, fetchExchange], fetch: recordingFetch(methods) });
  return {
    name: '@urql/core',
    async run(operation, variables, token) {
      const context = {
        fetchOptions: { headers: (token ? { 'x-auth-token': token } : {}) as Record<string, string> },
        requestPolicy: 'network-only' as const,
      };
      const document = parse(OPERATIONS[operation]);
      const result = MUTATIONS.has(operation)
        ? await client.mutation(document, variables, context).toPromise()
        : await client.query(document, variables, context).toPromise();
      if (result.error?.networkError) throw result.error.networkError;
      const errors = result.error?.graphQLErrors ?? [];
      return { data: errors.length ? undefined : result.data, codes: codesOf(errors) };
    },
  };
}

function graphqlRequestDriver(endpoint: string, methods: string[]): Driver {
  const client = new GraphQLClient(endpoint, { fetch: recordingFetch(methods) });
  return {
    name: 'graphql-request',
    async run(operation, variables, token) {
      try {
        const data = await client.request<Record<string, any>>(
          OPERATIONS[operation],
          variables,
          token ? { 'x-auth-token': token } : {},
        );
        return { data, codes: [] };
      } catch (error) {
        if (!(error instanceof ClientError)) throw error;
        return { codes: codesOf(error.response.errors) };
      }
    },
  };
}

function typedClientDriver(endpoint: string, methods: string[]): Driver {
  const documents = {
    login: LoginDocument,
    createAkSk: CreateAkSkDocument,
    akSk: AkSkDocument,
    createAkSkDownloadLink: CreateAkSkDownloadLinkDocument,
    deleteAkSk: DeleteAkSkDocument,
  };
  return {
    name: 'typed client (client/gateway-client.ts)',
    async run(operation, variables, token) {
      const client = createGatewayClient({ endpoint, token: () => token, fetch: recordingFetch(methods) });
      try {
        // The typed documents' variables differ per operation; the flow passes the right ones.
        const document = documents[operation] as unknown as GatewayDocument<Record<string, any>, Record<string, unknown>>;
        const data = await client.execute(document, variables);
        return { data, codes: [] };
      } catch (error) {
        if (!(error instanceof GatewayClientError)) throw error;
        return { codes: codesOf(error.errors) };
      }
    },
  };
}

const DRIVERS = [
  ['@apollo/client', apolloDriver],
  ['@urql/core', urqlDriver],
  ['graphql-request', graphqlRequestDriver],
  ['typed client', typedClientDriver],
] as const;

describe('real GraphQL clients against the gateway process', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    recordSecrets([admin.password]);
    gateway = await startGatewayProcess({});
  });
  afterAll(async () => {
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it.each(DRIVERS)('%s runs the seed flow and gets UNAUTHENTICATED for a bad token', async (_name, makeDriver) => {
    const methods: string[] = [];
    const driver = makeDriver(`${gateway.url}/graphql`, methods);

    const login = await driver.run('login', {
      input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
    });
    expect(login.codes).toEqual([]);
    const { token, user, project } = login.data!.login as {
      token: string;
      user: { id: string; name: string };
      project: { name: string };
    };
    recordSecrets([token]);
    expect({ user: user.name, project: project.name }).toEqual({ user: admin.name, project: 'admin' });

    const created = await driver.run('createAkSk', { input: { userId: user.id } }, token);
    expect(created.codes).toEqual([]);
    const pair = created.data!.createAkSk as { accessKey: string; secretKey: string; userId: string };
    recordSecrets([pair.secretKey]);
    expect(pair.userId).toBe(user.id);

    const listed = await driver.run('akSk', { userId: user.id }, token);
    expect(listed.codes).toEqual([]);
    expect(
      (listed.data!.akSk as Array<{ accessKey: string; secretKey: string }>).find((each) => each.accessKey === pair.accessKey),
    ).toMatchObject({ secretKey: pair.secretKey });

    const link = await driver.run('createAkSkDownloadLink', { userId: user.id, format: 'JSON' }, token);
    expect(link.codes).toEqual([]);
    // Without PUBLIC_URL the link is relative to the gateway (never built from a Host header).
    const file = await fetch(new URL((link.data!.createAkSkDownloadLink as { url: string }).url, gateway.url));
    expect(file.status).toBe(200);
    const rows = (await file.json()) as Array<{ blob: { access_key: string; secret_key: string } }>;
    expect(rows.map((row) => row.blob.access_key)).toContain(pair.accessKey);

    const deleted = await driver.run('deleteAkSk', { userId: user.id }, token);
    expect(deleted.codes).toEqual([]);
    expect((deleted.data!.deleteAkSk as { userId: string }).userId).toBe(user.id);
    expect((await driver.run('akSk', { userId: user.id }, token)).data).toEqual({ akSk: [] });

    const badToken = await driver.run('akSk', { userId: user.id }, 'not-a-token');
    expect(badToken).toEqual({ data: undefined, codes: ['UNAUTHENTICATED'] });
    const noToken = await driver.run('createAkSk', { input: { userId: user.id } });
    expect(noToken).toEqual({ data: undefined, codes: ['UNAUTHENTICATED'] });

    // urql sends its queries as GET, the others POST everything: both work.
    const queries = _name === '@urql/core' ? 'GET' : 'POST';
    expect(methods).toEqual(['POST', 'POST', queries, 'POST', 'POST', queries, queries, 'POST']);
  });

  it("GraphQL Code Generator's URL loader loads, by introspection, exactly schema.graphql", async () => {
    const [source] = await new UrlLoader().load(`${gateway.url}/graphql`, {});
    const printed = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));
    const committed = buildSchema(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));
    expect(source.schema).toBeDefined();
    expect(printed(source.schema!)).toBe(printed(committed));
  });
});
