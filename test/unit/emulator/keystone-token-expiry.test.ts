import { RunningKeystoneEmulator, startKeystoneEmulator } from '../../../src/emulator/keystone';
import { DEMO_LOGINS, demoSeed } from '../../../src/emulator/seed';
import { KeystoneHttp } from '../../contract/keystone-http';

const START = Date.UTC(2026, 10, 26, 4, 41, 11, 789);
const TTL_SECONDS = 60;

describe('Keystone emulator token lifetime (injected clock)', () => {
  let now = START;
  let running: RunningKeystoneEmulator;
  let http: KeystoneHttp;

  const passwordLogin = (user: { name: string; password: string }, scope?: unknown) => ({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user.name, domain: { id: 'default' }, password: user.password } },
      },
      ...(scope === undefined ? {} : { scope }),
    },
  });

  async function issue(body: unknown) {
    const exchange = await http.send('POST', '/auth/tokens?nocatalog', { json: body });
    expect(exchange.status).toBe(201);
    return { id: exchange.headers['x-subject-token'] as string, token: exchange.json().token };
  }

  beforeEach(async () => {
    now = START;
    running = await startKeystoneEmulator({ seed: demoSeed, tokenTtlSeconds: TTL_SECONDS, now: () => now });
    http = new KeystoneHttp(running.url);
  });

  afterEach(async () => {
    await http.close();
    await running.close();
  });

  test('times are whole seconds in Keystone format, expiry is issue time plus the TTL', async () => {
    const { token } = await issue(passwordLogin(DEMO_LOGINS.alice));
    expect(token.issued_at).toBe('2026-11-26T04:41:11.000000Z');
    expect(token.expires_at).toBe('2026-11-26T04:42:11.000000Z');
  });

  test('a token is valid until its expiry and then behaves as revoked', async () => {
    const alice = await issue(passwordLogin(DEMO_LOGINS.alice));
    now = START + (TTL_SECONDS - 1) * 1000;
    expect((await http.send('GET', '/auth/tokens', { token: alice.id, subjectToken: alice.id })).status).toBe(200);

    now = Date.parse(alice.token.expires_at);
    const admin = await issue(passwordLogin(DEMO_LOGINS.admin, { project: { name: 'admin', domain: { id: 'default' } } }));
    const asCaller = await http.send('GET', '/auth/tokens', { token: alice.id, subjectToken: admin.id });
    expect(asCaller.status).toBe(401);
    const asSubject = await http.send('GET', '/auth/tokens', { token: admin.id, subjectToken: alice.id });
    expect(asSubject.status).toBe(404);
    expect(asSubject.json().error.message).toBe('Failed to validate token');
    const rescoped = await http.send('POST', '/auth/tokens', {
      json: { auth: { identity: { methods: ['token'], token: { id: alice.id } } } },
    });
    expect(rescoped.status).toBe(404);
    expect(rescoped.json().error.message).toBe('Failed to validate token');
    expect((await http.send('GET', '/credentials', { token: alice.id })).status).toBe(401);
  });

  test('a rescoped token expires with the token it came from', async () => {
    const bob = await issue(passwordLogin(DEMO_LOGINS.bob));
    now = START + 30_000;
    const scoped = await issue({
      auth: {
        identity: { methods: ['token'], token: { id: bob.id } },
        scope: { project: { name: 'demo', domain: { id: 'default' } } },
      },
    });
    expect(scoped.token.issued_at).toBe('2026-11-26T04:41:41.000000Z');
    expect(scoped.token.expires_at).toBe(bob.token.expires_at);
    now = Date.parse(bob.token.expires_at);
    expect(running.emulator.store.lookupToken(scoped.id)).toEqual({ status: 'invalid' });
  });
});
