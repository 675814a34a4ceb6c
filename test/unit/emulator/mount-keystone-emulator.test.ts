import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKeystoneEmulator, KeystoneEmulator } from '../../../src/emulator/keystone';
import { DEMO_LOGINS, demoSeed } from '../../../src/emulator/seed';
import { KeystoneHttp } from '../../contract/keystone-http';

/** The lead's shared emulator server mounts Keystone beside other emulators; this mimics it. */
describe('Keystone emulator mounted under a base path of a shared server', () => {
  const BASE = '/identity/v3';
  let emulator: KeystoneEmulator;
  let server: Server;
  let origin: string;
  let http: KeystoneHttp;

  beforeAll(async () => {
    emulator = createKeystoneEmulator(demoSeed);
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path.startsWith(`${BASE}/`) || path === BASE) {
        emulator.handle(req, res, path.slice(BASE.length));
        return;
      }
      res.writeHead(418).end('another emulator');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = new KeystoneHttp(`${origin}${BASE}`);
  });

  afterAll(async () => {
    await http.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  async function loginAlice() {
    const exchange = await http.send('POST', '/auth/tokens', {
      json: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'alice', domain: { name: 'Default' }, password: DEMO_LOGINS.alice.password } },
          },
        },
      },
    });
    expect(exchange.status).toBe(201);
    return { id: exchange.headers['x-subject-token'] as string, token: exchange.json().token };
  }

  test('links, catalog and WWW-Authenticate name the mount point the client used', async () => {
    const alice = await loginAlice();
    expect(alice.token.catalog[0].endpoints[0].url).toBe(`${origin}${BASE}`);
    const projects = (await http.send('GET', '/auth/projects', { token: alice.id })).json();
    expect(projects.links.self).toBe(`${origin}${BASE}/auth/projects`);
    const refused = await http.send('GET', '/auth/projects');
    expect(refused.headers['www-authenticate']).toBe(`Keystone uri="${origin}${BASE}"`);
  });

  test('the store is shared: credentials made over HTTP are visible in memory, and back', async () => {
    const alice = await loginAlice();
    const userId = alice.token.user.id;
    const created = await http.send('POST', '/credentials', {
      token: alice.id,
      json: {
        credential: { user_id: userId, project_id: alice.token.project.id, type: 'ec2', blob: '{"access":"AK1","secret":"SK1"}' },
      },
    });
    expect(created.status).toBe(201);
    expect(emulator.store.listCredentials({ userId }).map((credential) => credential.blob)).toEqual([
      '{"access":"AK1","secret":"SK1"}',
    ]);
    expect(emulator.store.lookupToken(alice.id)).toMatchObject({ status: 'valid', token: { userId } });

    emulator.store.deleteCredential(created.json().credential.id);
    const listed = (await http.send('GET', `/credentials?user_id=${userId}`, { token: alice.id })).json();
    expect(listed.credentials).toEqual([]);
  });

  test('other paths of the shared server are left alone', async () => {
    const response = await fetch(`${origin}/elsewhere`);
    expect(response.status).toBe(418);
  });
});
