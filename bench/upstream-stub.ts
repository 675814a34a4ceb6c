/**
 * Keystone + multicloud stub for the benchmark, run as its own child process so its CPU is
 * measured apart: two `node:http` servers (two origins, as in a real deployment) answering
 * with precomputed bodies after a fixed delay, counting calls per route. `GET /__stats` on
 * either port reads the counters, `POST /__reset` zeroes them, `POST /__delay?ms=N` sets the delay.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ADMIN, BENCH_PAIR, DIRECTORY_SIZE, PAIRS_PER_USER, PROJECT, userIdOf } from './fixtures';
import { ChildReady, StubStats } from './protocol';

let delayMs = Number(process.env.STUB_DELAY_MS ?? '0');
const counts: Record<string, number> = {};

const issuedAt = new Date();
const expiresAt = new Date(issuedAt.getTime() + 6 * 3600_000);
/** Keystone's time format: microseconds, `Z`. */
const keystoneTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Keystone's pagination links, on a list that fits one page. */
const NO_LINKS = { self: null, next: null, previous: null };

const tokenBody = json({
  token: {
    methods: ['password'],
    user: { ...ADMIN, password_expires_at: null },
    audit_ids: ['bench-audit-id'],
    expires_at: keystoneTime(expiresAt),
    issued_at: keystoneTime(issuedAt),
    project: PROJECT,
    is_domain: false,
    roles: [
      { id: 'r-admin', name: 'admin' },
      { id: 'r-member', name: 'member' },
    ],
  },
});
const usersBody = json({
  users: Array.from({ length: DIRECTORY_SIZE }, (_, index) => ({
    id: userIdOf(index),
    name: `user${index}`,
    domain_id: 'default',
    enabled: true,
    default_project_id: PROJECT.id,
  })),
  links: NO_LINKS,
});
const adminUsersBody = json({
  users: [{ id: ADMIN.id, name: ADMIN.name, domain_id: ADMIN.domain.id, enabled: true, default_project_id: PROJECT.id }],
  links: NO_LINKS,
});
const NO_USERS = json({ users: [], links: NO_LINKS });
const domainsBody = json({ domains: [{ ...ADMIN.domain, enabled: true }], links: NO_LINKS });
const NO_DOMAINS = json({ domains: [], links: NO_LINKS });
const userBody = (id: string) => json({ user: { id, name: `user-${id.slice(0, 6)}`, domain_id: 'default', enabled: true } });
const pairsBody = (userId: string) =>
  json(
    Array.from({ length: PAIRS_PER_USER }, (_, index) => ({
      project_id: PROJECT.id,
      user_id: userId,
      type: 'ec2',
      blob: { access_key: `AK${index}${userId.slice(0, 13)}`, secret_key: `SK${index}${userId}`.slice(0, 32) },
    })),
  );
const pairsCache = new Map<string, Buffer>();
const credentialBody = (path: string) =>
  json({
    credential: {
      id: path.split('/')[3],
      user_id: ADMIN.id,
      project_id: PROJECT.id,
      type: 'ec2',
      blob: JSON.stringify({ access: BENCH_PAIR.accessKey, secret: BENCH_PAIR.secretKey }),
    },
  });

/** The same pairs as Keystone credentials (the gateway reads their metadata there). */
const credentialsOf = (userId: string) =>
  json({
    credentials: Array.from({ length: PAIRS_PER_USER }, (_, index) => ({
      id: `c${index}${userId}`,
      user_id: userId,
      project_id: PROJECT.id,
      type: 'ec2',
      blob: JSON.stringify({ access: `AK${index}${userId.slice(0, 13)}`, secret: `SK${index}${userId}`.slice(0, 32) }),
    })),
    links: NO_LINKS,
  });
const credentialsCache = new Map<string, Buffer>();
const NO_CREDENTIALS = json({ credentials: [], links: NO_LINKS });
const userProjectsBody = json({ projects: [{ id: PROJECT.id, name: PROJECT.name, domain_id: 'default', enabled: true }] });

/** One query-string parameter of a request, `null` when absent. */
function queryParam(request: IncomingMessage, name: string): string | null {
  return new URL(request.url ?? '/', 'http://stub').searchParams.get(name);
}

type Handler = (request: IncomingMessage, path: string) => { status: number; body: Buffer; headers?: Record<string, string> };

const keystoneRoutes: Array<[string, string, RegExp, Handler]> = [
  [
    'keystone.validateToken',
    'GET',
    /^\/v3\/auth\/tokens$/,
    () => ({ status: 200, body: tokenBody, headers: { 'x-subject-token': 'x' } }),
  ],
  [
    'keystone.createToken',
    'POST',
    /^\/v3\/auth\/tokens$/,
    () => ({ status: 201, body: tokenBody, headers: { 'x-subject-token': `gAAAAAB${randomBytes(90).toString('base64url')}` } }),
  ],
  [
    'keystone.ec2tokens',
    'POST',
    /^\/v3\/ec2tokens$/,
    () => ({ status: 200, body: tokenBody, headers: { 'x-subject-token': `gAAAAAB${randomBytes(90).toString('base64url')}` } }),
  ],
  [
    'keystone.getCredential',
    'GET',
    /^\/v3\/credentials\/[0-9a-f]{64}$/,
    (_request, path) => ({ status: 200, body: credentialBody(path) }),
  ],
  [
    'keystone.patchCredential',
    'PATCH',
    /^\/v3\/credentials\/[0-9a-f]{64}$/,
    (_request, path) => ({ status: 200, body: credentialBody(path) }),
  ],
  [
    'keystone.listCredentials',
    'GET',
    /^\/v3\/credentials$/,
    (request) => {
      const userId = queryParam(request, 'user_id');
      // The expiry sweeper's listing (every user's, by type): no bench pair has an expiry.
      if (userId === null) return { status: 200, body: NO_CREDENTIALS };
      let body = credentialsCache.get(userId);
      if (!body) credentialsCache.set(userId, (body = credentialsOf(userId)));
      return { status: 200, body };
    },
  ],
  ['keystone.listUserProjects', 'GET', /^\/v3\/users\/[^/]+\/projects$/, () => ({ status: 200, body: userProjectsBody })],
  [
    'keystone.listUsers',
    'GET',
    /^\/v3\/users$/,
    (request) => {
      // A login by name looks its user up by name once a minute (the failed-login limit's key).
      const name = queryParam(request, 'name');
      if (name === null) return { status: 200, body: usersBody };
      return { status: 200, body: name === ADMIN.name ? adminUsersBody : NO_USERS };
    },
  ],
  [
    'keystone.findDomain',
    'GET',
    /^\/v3\/domains$/,
    (request) => {
      const name = queryParam(request, 'name');
      return { status: 200, body: name === null || name === ADMIN.domain.name ? domainsBody : NO_DOMAINS };
    },
  ],
  [
    'keystone.getUser',
    'GET',
    /^\/v3\/users\/([^/]+)$/,
    (_request, path) => ({ status: 200, body: userBody(path.split('/')[3]) }),
  ],
];

const multicloudRoutes: Array<[string, string, RegExp, Handler]> = [
  [
    'multicloud.listAkSks',
    'GET',
    /^\/v1\/[^/]+\/aksks\/[^/]+$/,
    (_request, path) => {
      const userId = decodeURIComponent(path.split('/')[4]);
      let body = pairsCache.get(userId);
      if (!body) pairsCache.set(userId, (body = pairsBody(userId)));
      return { status: 200, body };
    },
  ],
  [
    'multicloud.createAkSk',
    'POST',
    /^\/v1\/[^/]+\/aksks$/,
    () => ({
      status: 200,
      body: json({
        access_key: randomBytes(12).toString('base64url').slice(0, 16),
        secret_key: randomBytes(24).toString('base64url').slice(0, 32),
      }),
    }),
  ],
];

function handlerFor(routes: Array<[string, string, RegExp, Handler]>) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path.startsWith('/__')) return control(request, response, path);
    const route = routes.find(([, method, pattern]) => method === request.method && pattern.test(path));
    const name = route?.[0] ?? `unmatched ${request.method} ${path}`;
    counts[name] = (counts[name] ?? 0) + 1;
    // The body is read whole before answering, as a real service would.
    request.resume();
    request.once('end', () => {
      const answer = route ? route[3](request, path) : { status: 404, body: Buffer.from('not found') };
      const send = () =>
        response
          .writeHead(answer.status, {
            'content-type': 'application/json',
            'content-length': answer.body.length,
            'x-openstack-request-id': 'req-bench',
            ...answer.headers,
          })
          .end(answer.body);
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  };
}

function control(request: IncomingMessage, response: ServerResponse, path: string): void {
  request.resume();
  const url = new URL(request.url ?? '/', 'http://stub.invalid');
  if (path === '/__stats') {
    const stats: StubStats = { delayMs, counts: { ...counts }, cpu: process.cpuUsage() };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  } else if (path === '/__reset' && request.method === 'POST') {
    for (const name of Object.keys(counts)) delete counts[name];
    response.writeHead(204).end();
  } else if (path === '/__delay' && request.method === 'POST') {
    delayMs = Number(url.searchParams.get('ms') ?? '0');
    response.writeHead(204).end();
  } else {
    response.writeHead(404).end();
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function listen(server: Server): Promise<string> {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function main(): Promise<void> {
  const keystone = createServer(handlerFor(keystoneRoutes));
  const multicloud = createServer(handlerFor(multicloudRoutes));
  const [keystoneOrigin, multicloudOrigin] = await Promise.all([listen(keystone), listen(multicloud)]);
  const ready: ChildReady = {
    type: 'ready',
    urls: { keystoneUrl: `${keystoneOrigin}/v3`, multicloudUrl: multicloudOrigin, control: keystoneOrigin },
  };
  process.send?.(ready);
}

// Leaves with the parent, however the parent ends.
process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`upstream stub failed: ${String(error)}\n`);
  process.exit(1);
});
