import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';

describe('NODE_ENV=production', () => {
  let production: GatewayHarness;
  let enabled: GatewayHarness;

  beforeAll(async () => {
    production = await startGatewayHarness({ env: { NODE_ENV: 'production' } });
    enabled = await startGatewayHarness({
      env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' },
    });
  });
  afterAll(async () => {
    await production.close();
    await enabled.close();
  });

  it('refuses introspection', async () => {
    const response = await production.graphql('{ __schema { queryType { name } } }');
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/introspection is not allowed/i);
  });

  it('serves no explorer, and no landing page at all, on GET /graphql', async () => {
    const response = await fetch(`${production.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).not.toMatch(/html/);
  });

  it('gives no field suggestions that would map the schema', async () => {
    const response = await production.graphql('{ akS(userId: "u") { accessKey } }');
    expect(response.errors?.[0].message).toBe('Cannot query field "akS" on type "Query".');
  });

  it('serves no console unless enabled', async () => {
    expect((await fetch(`${production.gateway.url}/console/`)).status).toBe(404);
  });

  // The explorer page it then serves is built by `npm run build`: test/e2e/explorer-page.test.ts.
  it('turns introspection back on when asked to', async () => {
    const response = await enabled.graphql('{ __schema { queryType { name } } }');
    expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('suggests fields in development only', async () => {
    const development = await startGatewayHarness();
    try {
      const response = await development.graphql('{ akS(userId: "u") { accessKey } }');
      expect(response.errors?.[0].message).toBe('Cannot query field "akS" on type "Query". Did you mean "akSk"?');
    } finally {
      await development.close();
    }
  });
});
