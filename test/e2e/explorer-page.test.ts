import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';

/**
 * The explorer page is served from `dist/explorer`, which `npm run build` makes (and `npm test`
 * runs): this file is in jest's `services` project, beside the other tests that need the build.
 * test/browser/explorer.test.ts drives the page in Chromium.
 */
describe('the GraphiQL explorer page on GET /graphql', () => {
  let development: GatewayHarness;
  let production: GatewayHarness;

  beforeAll(async () => {
    [development, production] = await Promise.all([
      startGatewayHarness(),
      startGatewayHarness({ env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_EXPLORER: 'graphiql' } }),
    ]);
  });
  afterAll(async () => {
    await development?.close();
    await production?.close();
  });

  it('is served to a browser in development, with its own assets and nothing from Apollo', async () => {
    const response = await fetch(`${development.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const page = await response.text();
    expect(page).toMatch(/graphql\/explorer\/explorer\.js/);
    expect(page).not.toMatch(/apollographql\.com/);
  });

  it('comes back in production with GRAPHQL_EXPLORER=graphiql', async () => {
    const response = await fetch(`${production.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphql\/explorer\/explorer\.js/);
  });
});
