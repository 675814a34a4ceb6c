import { TrustedProxies } from '../../../src/server/trusted-proxy';

describe('TrustedProxies', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '::1']);

  it('believes no forwarded header by default', () => {
    const none = new TrustedProxies([]);
    expect(
      none.originOf('10.1.2.3', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'a.example' }),
    ).toEqual({ address: '10.1.2.3', publicBaseUrl: undefined });
  });

  it('reads X-Forwarded-For from the right, past trusted hops, stopping at the first untrusted one', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.5, 10.0.0.7' };
    expect(proxies.originOf('::ffff:10.0.0.2', headers).address).toBe('203.0.113.5');
    expect(proxies.originOf('::1', { 'x-forwarded-for': '10.0.0.9' }).address).toBe('10.0.0.9');
    // A peer outside the list is the client, whatever it claims.
    expect(proxies.originOf('198.51.100.1', headers).address).toBe('198.51.100.1');
    // Junk in the header is skipped, not believed.
    expect(proxies.originOf('10.0.0.2', { 'x-forwarded-for': 'not-an-ip' }).address).toBe('10.0.0.2');
  });

  it("takes the public URL from the nearest trusted proxy's proto and host, when both are sane", () => {
    const base = (headers: Record<string, string>) => proxies.originOf('10.0.0.2', headers).publicBaseUrl;
    expect(base({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'aksk.example.org' })).toBe('https://aksk.example.org');
    expect(base({ 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'evil.example, aksk.example.org:8443' })).toBe(
      'https://aksk.example.org:8443',
    );
    expect(base({ 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'aksk.example.org' })).toBeUndefined();
    expect(base({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'a.example/path' })).toBeUndefined();
    expect(base({ 'x-forwarded-proto': 'https' })).toBeUndefined();
  });
});
