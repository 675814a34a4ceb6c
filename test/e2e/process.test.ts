import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { GATEWAY_MAIN, startGatewayProcess } from '../support/gateway-process';
import { LOGIN } from '../support/operations';

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LOGIN, variables: { input: { username, password } } }),
  });

describe('the gateway as a process (npm start)', () => {
  it('starts on the embedded emulator, serves the demo login, and logs JSON without secrets', async () => {
    const gateway = await startGatewayProcess({});
    try {
      const response = await login(gateway.url, DEMO_LOGINS.admin.name, DEMO_LOGINS.admin.password);
      const body = (await response.json()) as { data: { login: { token: string; user: { name: string } } } };
      expect(body.data.login.user.name).toBe('admin');
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      const entries = gateway.stdout.map((line) => JSON.parse(line) as { msg: string; requestId?: string });
      expect(entries.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining(['embedded emulator started', 'gateway listening', 'request', 'shutting down']),
      );
      expect(gateway.stdout.join('\n')).not.toContain(body.data.login.token);
      expect(gateway.stdout.join('\n')).not.toContain(DEMO_LOGINS.admin.password);
    } finally {
      gateway.child.kill('SIGKILL');
    }
  });

  it('says on start-up where the API, explorer and console are, which upstreams, and where pairs are kept', async () => {
    const emulator = await startEmulator({});
    const started = await Promise.all([
      startGatewayProcess({}),
      startGatewayProcess({ KEYSTONE_URL: emulator.keystoneUrl, MULTICLOUD_URL: emulator.multicloudUrl }),
      startGatewayProcess({ KEYSTONE_URL: emulator.keystoneUrl, NODE_ENV: 'production' }),
    ]);
    try {
      const [embedded, multicloud, keystoneOnly] = started.map((gateway) => gateway.banner.trim().split('\n'));
      const [embeddedUrl, multicloudUrl, keystoneOnlyUrl] = started.map((gateway) => gateway.url);
      expect(embedded).toEqual([
        `GraphQL endpoint: ${embeddedUrl}/graphql`,
        `GraphiQL:         open ${embeddedUrl}/graphql in a browser (works offline)`,
        `Web console:      ${embeddedUrl}/console/`,
        expect.stringMatching(/^Keystone: {9}http:\/\/127\.0\.0\.1:\d+\/identity\/v3 \(embedded emulator\)$/),
        expect.stringMatching(/^AK\/SK pairs: {6}multicloud service http:\/\/127\.0\.0\.1:\d+ \(embedded emulator\)$/),
        'Expiry:           enforced in Keystone every 60 s (service user aksk-service)',
        'Demo login:       admin / password, domain Default, project admin',
      ]);
      expect(multicloud).toEqual([
        `GraphQL endpoint: ${multicloudUrl}/graphql`,
        `GraphiQL:         open ${multicloudUrl}/graphql in a browser (works offline)`,
        `Web console:      ${multicloudUrl}/console/`,
        `Keystone:         ${emulator.keystoneUrl} (KEYSTONE_URL)`,
        `AK/SK pairs:      multicloud service ${emulator.multicloudUrl} (MULTICLOUD_URL)`,
        'Expiry:           shown, NOT enforced in Keystone (no KEYSTONE_SERVICE_* service identity)',
      ]);
      expect(keystoneOnly).toEqual([
        `GraphQL endpoint: ${keystoneOnlyUrl}/graphql`,
        'Explorer:         off (GRAPHQL_EXPLORER=graphiql to serve one)',
        'Web console:      off (CONSOLE_ENABLED=true to serve it)',
        `Keystone:         ${emulator.keystoneUrl} (KEYSTONE_URL)`,
        "AK/SK pairs:      Keystone's credentials API (no MULTICLOUD_URL)",
        'Expiry:           shown, NOT enforced in Keystone (no KEYSTONE_SERVICE_* service identity)',
      ]);
    } finally {
      for (const gateway of started) gateway.child.kill('SIGTERM');
      await Promise.all(started.map((gateway) => gateway.exited));
      await emulator.close();
    }
  });

  // `npm test` rebuilds dist/ while a developer's `npm start` may be serving from it.
  it('keeps serving the console and the explorer while `npm run build` rebuilds them', async () => {
    const gateway = await startGatewayProcess({});
    try {
      const build = promisify(execFile)(process.execPath, ['scripts/build-web.mjs'], { cwd: join(__dirname, '../..') });
      let building = true;
      void build.finally(() => (building = false));
      const statuses: number[] = [];
      while (building) {
        for (const path of ['/console/', '/console/js/console/main.js', '/graphql/explorer/explorer.js']) {
          statuses.push((await fetch(`${gateway.url}${path}`, { headers: { accept: 'text/html' } })).status);
        }
      }
      await build;
      expect(statuses.length).toBeGreaterThan(3);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    // A whole esbuild + tsc build on a busy machine.
  }, 180_000);

  it('stops with a message naming the variable when the configuration is invalid', async () => {
    const child = spawn(process.execPath, [GATEWAY_MAIN], { env: { PATH: process.env.PATH, PORT: 'eighty' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('Invalid configuration: PORT must be a whole number, got "eighty"\n');
  });

  it('writes every log line to stdout in order, the one logged in the turn that calls process.exit too', async () => {
    const logger = join(GATEWAY_MAIN, '../observability/logger.js');
    // Three lines in one turn, one in the next, then process.exit before that turn is over.
    const script = `
      const logger = require(${JSON.stringify(logger)}).createLogger('info');
      for (let n = 0; n < 3; n++) logger.info({ n }, 'line');
      setImmediate(() => { logger.info({ n: 3 }, 'last'); process.exit(0); });
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { n: number; msg: string; service: string });
    expect(lines.map((line) => line.n)).toEqual([0, 1, 2, 3]);
    expect(lines[3]).toMatchObject({ msg: 'last', service: 'soda-aksk-gateway' });
  });

  describe('on SIGTERM', () => {
    let heldKeystone: Server;
    let keystoneUrl: string;
    /** Logins the Keystone double has received and not yet answered: each is answered when released. */
    const held: Array<() => void> = [];
    let loginArrived: () => void = () => undefined;

    beforeAll(async () => {
      // A Keystone that refuses a login only when the test releases it: the login is in flight
      // for as long as the test needs, whatever the machine's speed.
      heldKeystone = createServer((request, response) => {
        request.resume();
        held.push(() => {
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
            }),
          );
        });
        loginArrived();
      });
      await new Promise<void>((resolve) => heldKeystone.listen(0, '127.0.0.1', resolve));
      keystoneUrl = `http://127.0.0.1:${(heldKeystone.address() as AddressInfo).port}/v3`;
    });
    afterAll(() => {
      for (const release of held.splice(0)) release();
      return new Promise<void>((resolve) => heldKeystone.close(() => resolve()));
    });

    it('finishes in-flight requests, refuses new ones, and exits 0', async () => {
      const gateway = await startGatewayProcess({ KEYSTONE_URL: keystoneUrl, AKSK_BACKEND: 'keystone' });
      try {
        const arrived = new Promise<void>((resolve) => (loginArrived = resolve));
        const inFlight = login(gateway.url, 'someone', 'some-password');
        await arrived;
        gateway.child.kill('SIGTERM');
        // The gateway stops listening in the same turn as it logs this.
        await gateway.logged('shutting down');
        await expect(login(gateway.url, 'someone', 'some-password')).rejects.toThrow();
        expect(held).toHaveLength(1);

        held.shift()!();
        const response = await inFlight;
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(await gateway.exited).toBe(0);
      } finally {
        gateway.child.kill('SIGKILL');
      }
    });
  });
});
