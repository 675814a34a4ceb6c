/**
 * The reference the gateway is measured against: the thinnest possible Node proxy. A plain
 * `node:http` server that reads the (GraphQL) request body without looking at it and makes the
 * same upstream call(s) the gateway must make for that operation over an undici keep-alive pool,
 * writing the upstream body back. The operation is chosen by path (`/akSk`, `/createAkSk`,
 * `/login`, `/users`), so nothing is parsed that need not be. Runs as its own child process.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Dispatcher, Pool } from 'undici';
import { BENCH_PAIR, LOGIN_PASSWORD, PROJECT, TARGET_USER_ID } from './fixtures';
import { ChildReady } from './protocol';

const keystoneUrl = new URL(required('KEYSTONE_URL'));
const multicloudUrl = new URL(required('MULTICLOUD_URL'));
// The gateway's pool settings (src/upstreams/create-upstreams.ts), so the two differ only in what runs in between.
const poolOptions = { connections: 128, keepAliveTimeout: 30_000 };
const keystone = new Pool(keystoneUrl.origin, poolOptions);
const multicloud = new Pool(multicloudUrl.origin, poolOptions);
const keystoneBase = keystoneUrl.pathname.replace(/\/+$/, '');
/** As the gateway's `users { akSks }` (src/services/ak-sk.service.ts). */
const PAIRS_CONCURRENCY = 8;
const LOGIN_BODY = JSON.stringify({
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: 'admin', domain: { name: 'Default' }, password: LOGIN_PASSWORD } },
    },
  },
});

const EC2_CHECK_BODY = JSON.stringify({
  credentials: {
    access: BENCH_PAIR.accessKey,
    signature: '0'.repeat(64),
    host: 'bench',
    verb: 'POST',
    path: '/graphql',
    params: {},
    headers: {},
    body_hash: '',
  },
});

type Operation = (token: string) => Promise<{ status: number; body: Buffer | string; headers?: Record<string, string> }>;

const operations: Record<string, Operation> = {
  '/akSk': (token) => call(multicloud, 'GET', `/v1/${PROJECT.id}/aksks/${TARGET_USER_ID}`, token),
  '/createAkSk': (token) =>
    call(
      multicloud,
      'POST',
      `/v1/${PROJECT.id}/aksks`,
      token,
      JSON.stringify({ user_id: TARGET_USER_ID, project_id: PROJECT.id }),
    ),
  // The same upstream work as a signed akSk: Keystone checks the signature, then the list.
  '/signedAkSk': async (token) => {
    const check = await call(keystone, 'POST', `${keystoneBase}/ec2tokens`, token, EC2_CHECK_BODY);
    if (check.status !== 200) return { status: 401, body: check.body };
    return call(multicloud, 'GET', `/v1/${PROJECT.id}/aksks/${TARGET_USER_ID}`, token);
  },
  '/login': async () => {
    const answer = await call(keystone, 'POST', `${keystoneBase}/auth/tokens?nocatalog`, undefined, LOGIN_BODY);
    return { ...answer, headers: { 'x-subject-token': answer.subjectToken ?? '' } };
  },
  '/users': async (token) => {
    const users = await call(keystone, 'GET', `${keystoneBase}/users`, token);
    const ids = (JSON.parse(users.body.toString()) as { users: Array<{ id: string }> }).users.map((user) => user.id);
    const lists = new Array<Buffer>(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        lists[index] = (await call(multicloud, 'GET', `/v1/${PROJECT.id}/aksks/${ids[index]}`, token)).body;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PAIRS_CONCURRENCY, ids.length) }, worker));
    return { status: 200, body: `[${lists.join(',')}]` };
  },
};

async function call(pool: Dispatcher, method: 'GET' | 'POST', path: string, token: string | undefined, body?: string) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['x-auth-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await pool.request({ method, path, headers, body });
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  const subjectToken = response.headers['x-subject-token'];
  return {
    status: response.statusCode,
    body: Buffer.concat(chunks),
    subjectToken: typeof subjectToken === 'string' ? subjectToken : undefined,
  };
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const operation = operations[(request.url ?? '/').split('?')[0]];
  const header = request.headers['x-auth-token'];
  const token = Array.isArray(header) ? header[0] : header;
  request.resume();
  request.once('end', () => {
    if (!operation) {
      response.writeHead(404).end();
      return;
    }
    operation(token ?? '').then(
      ({ status, body, headers }) => {
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
      },
    );
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const server = createServer(handle);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const ready: ChildReady = { type: 'ready', urls: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } };
  process.send?.(ready);
});
process.on('disconnect', () => process.exit(0));
