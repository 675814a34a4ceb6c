import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';

describe('the HTTP surface', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(() => harness.close());

  it('serves Apollo Sandbox instead with GRAPHQL_EXPLORER=sandbox, and no explorer with off', async () => {
    const sandbox = await startGatewayHarness({ env: { GRAPHQL_EXPLORER: 'sandbox' } });
    const off = await startGatewayHarness({ env: { GRAPHQL_EXPLORER: 'off' } });
    try {
      const page = await fetch(`${sandbox.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toMatch(/embeddable-sandbox\.cdn\.apollographql\.com/);
      expect((await fetch(`${sandbox.gateway.url}/graphql/explorer/explorer.js`)).status).toBe(404);
      const none = await fetch(`${off.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(none.status).toBe(400);
      expect(none.headers.get('content-type')).not.toMatch(/html/);
    } finally {
      await sandbox.close();
      await off.close();
    }
  });

  it("lets Apollo Sandbox's origins call the gateway in development, token header included", async () => {
    for (const origin of ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com']) {
      const preflight = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-auth-token',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/x-auth-token/);
      const response = await fetch(`${harness.gateway.url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('keeps CSRF prevention: a text/plain POST is refused', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('answers invalid JSON with a 400, and stays up', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect((await harness.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('refuses bodies over the limit with a 413', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });

  it('answers CORS preflights for browser frontends and Sandbox', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sandbox.embed.apollographql.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-auth-token',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://sandbox.embed.apollographql.com');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/x-auth-token/);
  });

  it('returns a request id on every response', async () => {
    const response = await harness.graphql('{ __typename }');
    expect(response.headers.get('x-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it('answers /healthz and unknown paths', async () => {
    expect(await (await fetch(`${harness.gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${harness.gateway.url}/nope`)).status).toBe(404);
  });
});
