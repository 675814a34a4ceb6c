/**
 * A loopback upstream for fault-injection tests. It plays Keystone (`/v3/...`) and the multicloud
 * AK/SK service (`/v1/{project}/aksks...`) correctly, and misbehaves on demand: for every request,
 * or only for requests about one subject, so many faults can run in parallel against one server.
 *
 * The subject of a request is the user it is about: the user name of a password login, the owner
 * of the token being created from or validated, the user in a multicloud path or create body.
 * Users need no set-up: any name logs in with `password`, and the user id is `uid-{name}`.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * What a request can be made to suffer. `refuse` is not here: a listening port cannot refuse one
 * request, so it is a state of the whole server (`refuse()` / `accept()`).
 * "200" faults answer with the route's own success status (201 for `POST /v3/auth/tokens`, with an
 * `X-Subject-Token`), so the gateway gets past the status check and has to read the body.
 */
export const FAULTS = [
  /** Headers and part of the body, then a TCP reset. */
  'reset-mid-body',
  /** Accepts the request and never answers. */
  'hang',
  /** Answers correctly, after `delayMs`. */
  'slow',
  /** Headers and part of the body, then nothing: the connection stays open. */
  'stall-mid-body',
  /** Keystone's own 500, in plain text. */
  'plain-500',
  /** `Content-Length` of a whole answer, half of it sent, then the connection closed. */
  'truncated-json',
  /** Success status, `{"token": ` (or the multicloud equivalent). */
  'invalid-json',
  /** Success status, valid JSON of the wrong shape: an array where an object is due, or the reverse. */
  'wrong-shape',
  /** Success status, a JSON body of `hugeBytes` (20 MiB by default), streamed. */
  'huge-body',
  /** Success status, no body at all. */
  'empty-200',
  /** A reverse proxy's HTML error page, status 502. */
  'html-502',
] as const;

export type Fault = (typeof FAULTS)[number];

export interface FaultOptions {
  /** For `slow`: how long to wait before answering. Default 100 ms. */
  delayMs?: number;
}

export type Route =
  | 'createToken'
  | 'validateToken'
  | 'revokeToken'
  | 'getUser'
  | 'listCredentials'
  | 'updateCredential'
  | 'createAkSk'
  | 'listAkSks'
  | 'downloadAkSks'
  | 'deleteAkSks'
  | 'unknown';

export interface RecordedRequest {
  route: Route;
  method: string;
  path: string;
  subject: string | undefined;
  /** The fault applied, `undefined` when the request was answered correctly. */
  fault: Fault | undefined;
  /**
   * `answered`: the whole response was handed to the socket. `cut`: this server broke the
   * connection on purpose. `abandoned`: the client went away first.
   */
  outcome: 'pending' | 'answered' | 'cut' | 'abandoned';
  /** Body bytes written, for `huge-body`. */
  bodyBytesSent: number;
}

export interface RequestFilter {
  route?: Route;
  subject?: string;
  fault?: Fault;
}

export const PROJECT = { id: 'pid-faults', name: 'faults', domain: { id: 'default', name: 'Default' } };
const DOMAIN = { id: 'default', name: 'Default' };
const HUGE_BYTES = 20 * 1024 * 1024;
const TOKEN_TTL_MS = 60 * 60 * 1000;
const MAX_REQUEST_BYTES = 1024 * 1024;
const KEYSTONE_500 = 'A server error occurred.  Please contact the administrator.';
const PROXY_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface TokenRecord {
  name: string;
  scoped: boolean;
  methods: string[];
  issuedAt: Date;
  expiresAt: Date;
}

interface StoredPair {
  accessKey: string;
  secretKey: string;
  projectId: string;
  /** The Keystone credential's blob, once the gateway patched its metadata in. */
  blob?: string;
}

interface Answer {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: string;
}

interface Incoming {
  route: Route;
  method: string;
  url: URL;
  segments: string[];
  headers: IncomingMessage['headers'];
  body: string;
}

export async function startMisbehavingUpstream(
  options: { password?: string; hugeBytes?: number } = {},
): Promise<MisbehavingUpstream> {
  const upstream = new MisbehavingUpstream(
    options.password ?? `pw-${randomBytes(12).toString('hex')}`,
    options.hugeBytes ?? HUGE_BYTES,
  );
  await upstream.accept();
  return upstream;
}

export class MisbehavingUpstream {
  readonly requests: RecordedRequest[] = [];
  /** Every token this server issued, in a header or a body: none may reach a log. */
  readonly issuedTokens: string[] = [];
  /** Every secret key this server created. */
  readonly secretKeys: string[] = [];

  private readonly server: Server;
  private port = 0;
  private defaultFault: { fault: Fault; options: FaultOptions } | undefined;
  private readonly faultsBySubject = new Map<string, { fault: Fault; options: FaultOptions }>();
  private readonly tokens = new Map<string, TokenRecord>();
  private pairsByUser = new Map<string, StoredPair[]>();

  constructor(
    /** The password every user logs in with. */
    readonly password: string,
    private readonly hugeBytes: number,
  ) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
    // Broken connections are the point here; they must not surface as errors.
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** `http://127.0.0.1:{port}`: the multicloud service's base URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Keystone's base URL, as a deployment would configure it. */
  get keystoneUrl(): string {
    return `${this.url}/v3`;
  }

  get multicloudUrl(): string {
    return this.url;
  }

  /** The password, tokens and secret keys of this server: what a log must never contain. */
  get secrets(): string[] {
    return [this.password, ...this.issuedTokens, ...this.secretKeys];
  }

  /** Every request from now on suffers `fault`, unless a subject has its own. */
  misbehave(fault: Fault, options: FaultOptions = {}): void {
    this.defaultFault = { fault, options };
  }

  /** Requests about `subject` (a user name) suffer `fault`. */
  misbehaveFor(subject: string, fault: Fault, options: FaultOptions = {}): void {
    this.faultsBySubject.set(subject, { fault, options });
  }

  /** Behave again: for one subject, or for everyone. */
  behave(subject?: string): void {
    if (subject === undefined) {
      this.defaultFault = undefined;
      this.faultsBySubject.clear();
    } else {
      this.faultsBySubject.delete(subject);
    }
  }

  /** Stops listening and drops every connection: connecting to the port is refused. */
  async refuse(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens (again, on the same port once one was given). */
  async accept(): Promise<void> {
    if (this.server.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  count(filter: RequestFilter = {}): number {
    return this.matching(filter).length;
  }

  matching(filter: RequestFilter = {}): RecordedRequest[] {
    return this.requests.filter(
      (request) =>
        (filter.route === undefined || request.route === filter.route) &&
        (filter.subject === undefined || request.subject === filter.subject) &&
        (filter.fault === undefined || request.fault === filter.fault),
    );
  }

  /** Mints a project-scoped token for `name` without a login, as Keystone would issue it. */
  issueToken(name: string): string {
    return this.issue(name, true, ['password']);
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    const incoming = await this.read(request);
    const subject = this.subjectOf(incoming);
    const chosen = (subject !== undefined ? this.faultsBySubject.get(subject) : undefined) ?? this.defaultFault;
    const record: RecordedRequest = {
      route: incoming.route,
      method: incoming.method,
      path: incoming.url.pathname,
      subject,
      fault: chosen?.fault,
      outcome: 'pending',
      bodyBytesSent: 0,
    };
    this.requests.push(record);
    response.on('finish', () => {
      if (record.outcome === 'pending') record.outcome = 'answered';
    });
    response.on('close', () => {
      if (record.outcome === 'pending') record.outcome = 'abandoned';
    });

    if (!chosen) {
      send(response, this.answer(incoming));
      return;
    }
    this.misbehaveOn(incoming, response, record, chosen.fault, chosen.options);
  }

  private misbehaveOn(
    incoming: Incoming,
    response: ServerResponse,
    record: RecordedRequest,
    fault: Fault,
    options: FaultOptions,
  ): void {
    const status = incoming.route === 'createToken' ? 201 : 200;
    const headers: OutgoingHttpHeaders = { ...this.commonHeaders(incoming) };
    // A broken success still carries the token header: the failure must be the body's alone.
    if (incoming.route === 'createToken') headers['x-subject-token'] = this.decoyToken();
    const expectsList = incoming.route === 'listAkSks' || incoming.route === 'downloadAkSks';
    const whole = this.plausibleBody(incoming);
    const half = whole.slice(0, Math.floor(whole.length / 2));

    switch (fault) {
      case 'hang':
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          if (!response.destroyed) send(response, this.answer(incoming));
        }, options.delayMs ?? 100);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case 'reset-mid-body': {
        // Raw bytes on the socket, so the reset comes after real headers and a real half body.
        const socket = response.socket!;
        const head = [`HTTP/1.1 ${status} ${status === 201 ? 'Created' : 'OK'}`, 'Content-Type: application/json'];
        for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${String(value)}`);
        head.push(`Content-Length: ${Buffer.byteLength(whole)}`, '', '');
        socket.write(head.join('\r\n') + half, () => {
          setTimeout(() => {
            record.outcome = 'cut';
            socket.resetAndDestroy();
          }, 50);
        });
        return;
      }
      case 'stall-mid-body':
        response.writeHead(status, {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(whole),
        });
        response.write(half);
        return;
      case 'truncated-json':
        response.writeHead(status, {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(whole),
        });
        response.write(half, () => {
          setTimeout(() => {
            record.outcome = 'cut';
            response.socket?.destroy();
          }, 50);
        });
        return;
      case 'plain-500':
        send(response, { status: 500, headers: { ...headers, 'content-type': 'text/plain' }, body: KEYSTONE_500 });
        return;
      case 'html-502':
        send(response, { status: 502, headers: { 'content-type': 'text/html', server: 'nginx/1.22.1' }, body: PROXY_502 });
        return;
      case 'invalid-json': {
        const body = incoming.route.endsWith('AkSks') ? (expectsList ? '[{"project_id": ' : '{"access_key": ') : '{"token": ';
        send(response, { status, headers: { ...headers, 'content-type': 'application/json' }, body });
        return;
      }
      case 'wrong-shape':
        send(response, {
          status,
          headers: { ...headers, 'content-type': 'application/json' },
          body: expectsList ? '{"hello":"world"}' : '[{"hello":"world"}]',
        });
        return;
      case 'empty-200':
        send(response, { status, headers: { ...headers, 'content-length': '0' }, body: '' });
        return;
      case 'huge-body':
        this.streamHuge(response, record, status, headers, expectsList);
        return;
    }
  }

  /** Streams `hugeBytes` of one JSON string value, honouring back-pressure, until done or abandoned. */
  private streamHuge(
    response: ServerResponse,
    record: RecordedRequest,
    status: number,
    headers: OutgoingHttpHeaders,
    expectsList: boolean,
  ): void {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    response.writeHead(status, { ...headers, 'content-type': 'application/json' });
    response.write(expectsList ? '[{"padding":"' : '{"padding":"');
    const pump = (): void => {
      while (record.bodyBytesSent < this.hugeBytes) {
        if (response.destroyed) return;
        record.bodyBytesSent += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end(expectsList ? '"}]' : '"}');
    };
    pump();
  }

  private async read(request: IncomingMessage): Promise<Incoming> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) throw new RangeError('request body too large');
      chunks.push(chunk);
    }
    const url = new URL(request.url ?? '/', 'http://upstream.invalid');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = request.method ?? 'GET';
    return {
      route: routeOf(method, segments),
      method,
      url,
      segments,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
  }

  private subjectOf(incoming: Incoming): string | undefined {
    switch (incoming.route) {
      case 'createToken': {
        const identity = asObject(asObject(parseJson(incoming.body))?.auth)?.identity;
        const user = asObject(asObject(asObject(identity)?.password)?.user);
        if (user) return typeof user.name === 'string' ? user.name : nameOfUserId(user.id);
        const tokenId = asObject(asObject(identity)?.token)?.id;
        return typeof tokenId === 'string' ? this.tokens.get(tokenId)?.name : undefined;
      }
      case 'validateToken':
      case 'revokeToken':
        return this.tokens.get(header(incoming, 'x-subject-token') ?? '')?.name;
      case 'getUser':
        return nameOfUserId(incoming.segments[2]);
      case 'listCredentials':
        return nameOfUserId(incoming.url.searchParams.get('user_id'));
      case 'updateCredential':
        return this.ownerOfCredential(incoming.segments[2]);
      case 'createAkSk':
        return nameOfUserId(asObject(parseJson(incoming.body))?.user_id);
      case 'listAkSks':
      case 'downloadAkSks':
      case 'deleteAkSks':
        return nameOfUserId(incoming.segments[3]);
      case 'unknown':
        return undefined;
    }
  }

  private commonHeaders(incoming: Incoming): OutgoingHttpHeaders {
    // Keystone sends a request id on every response; the multicloud service sends none.
    return incoming.segments[0] === 'v3' ? { 'x-openstack-request-id': `req-${randomUUID()}` } : {};
  }

  /** The correct answer. */
  private answer(incoming: Incoming): Answer {
    const json = (status: number, body: unknown, extra: OutgoingHttpHeaders = {}): Answer => ({
      status,
      headers: { ...this.commonHeaders(incoming), 'content-type': 'application/json', ...extra },
      body: JSON.stringify(body),
    });
    const keystoneError = (status: number, title: string, message: string) =>
      json(status, { error: { code: status, message, title } });
    const text = (status: number, body: string): Answer => ({
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
    });
    const unauthorized = () => keystoneError(401, 'Unauthorized', 'The request you have made requires authentication.');
    const caller = this.tokens.get(header(incoming, 'x-auth-token') ?? '');

    switch (incoming.route) {
      case 'createToken': {
        const auth = asObject(asObject(parseJson(incoming.body))?.auth);
        const identity = asObject(auth?.identity);
        if (!identity) return keystoneError(400, 'Bad Request', "'identity' is a required property");
        let name: string | undefined;
        let methods: string[];
        const user = asObject(asObject(identity.password)?.user);
        if (user) {
          name = typeof user.name === 'string' ? user.name : nameOfUserId(user.id);
          if (!name || user.password !== this.password) return unauthorized();
          methods = ['password'];
        } else {
          const from = this.tokens.get(stringOr(asObject(identity.token)?.id));
          if (!from) return keystoneError(404, 'Not Found', 'Could not recognize Fernet token');
          name = from.name;
          methods = ['token'];
        }
        const scope = auth?.scope;
        const project = asObject(asObject(scope)?.project);
        if (project && project.id !== PROJECT.id && project.name !== PROJECT.name) return unauthorized();
        const token = this.issue(name, scope !== 'unscoped', methods);
        return json(201, this.tokenBody(token), { 'x-subject-token': token });
      }
      case 'validateToken': {
        const subject = header(incoming, 'x-subject-token') ?? '';
        if (!caller || !this.tokens.has(subject)) return keystoneError(404, 'Not Found', 'Failed to validate token');
        return json(200, this.tokenBody(subject));
      }
      case 'revokeToken': {
        const subject = header(incoming, 'x-subject-token') ?? '';
        if (!caller || !this.tokens.delete(subject)) return keystoneError(404, 'Not Found', 'Failed to validate token');
        return { status: 204, headers: this.commonHeaders(incoming) };
      }
      case 'getUser': {
        if (!caller) return unauthorized();
        const name = nameOfUserId(incoming.segments[2]);
        if (!name) return keystoneError(404, 'Not Found', `Could not find user: ${incoming.segments[2]}.`);
        return json(200, { user: userBody(name) });
      }
      case 'listCredentials': {
        if (!caller) return unauthorized();
        const userId = incoming.url.searchParams.get('user_id') ?? '';
        const credentials = (this.pairsByUser.get(userId) ?? []).map((pair) => credentialBody(userId, pair));
        return json(200, { credentials, links: { self: incoming.url.href, previous: null, next: null } });
      }
      case 'updateCredential': {
        if (!caller) return unauthorized();
        const id = incoming.segments[2];
        const owner = this.ownerOfCredential(id);
        const pair = owner
          ? this.pairsByUser.get(`uid-${owner}`)?.find((candidate) => credentialIdOf(candidate) === id)
          : undefined;
        const blob = asObject(asObject(parseJson(incoming.body))?.credential)?.blob;
        if (!pair || typeof blob !== 'string') return keystoneError(404, 'Not Found', `Could not find credential: ${id}.`);
        pair.blob = blob;
        return json(200, { credential: credentialBody(`uid-${owner}`, pair) });
      }
      case 'createAkSk': {
        if (!header(incoming, 'x-auth-token')) return text(401, 'token not found in header');
        if (!/^application\/json/.test(header(incoming, 'content-type') ?? '')) return text(415, 'Unsupported Media Type');
        const body = asObject(parseJson(incoming.body));
        if (!body) return text(400, 'invalid character in request body');
        const userId = typeof body.user_id === 'string' ? body.user_id : '';
        const projectId = typeof body.project_id === 'string' ? body.project_id : '';
        if (!projectId) return text(400, 'projectId is blank, provide a valid projectId');
        if (!nameOfUserId(userId) || projectId !== PROJECT.id) {
          return text(400, 'error in creating AKSK for the user, projectId or userId is invalid');
        }
        const pair = { accessKey: randomString(16), secretKey: randomString(32), projectId };
        this.secretKeys.push(pair.secretKey);
        this.pairsByUser.set(userId, [...(this.pairsByUser.get(userId) ?? []), pair]);
        return json(200, { access_key: pair.accessKey, secret_key: pair.secretKey });
      }
      case 'listAkSks':
      case 'downloadAkSks': {
        if (!header(incoming, 'x-auth-token')) return text(401, 'token not found in header');
        const userId = incoming.segments[3];
        const pairs = this.pairsByUser.get(userId) ?? [];
        const records = pairs.map((pair) => ({
          project_id: pair.projectId,
          user_id: userId,
          type: 'ec2',
          blob: { access_key: pair.accessKey, secret_key: pair.secretKey },
        }));
        const extra: OutgoingHttpHeaders =
          incoming.route === 'downloadAkSks' ? { 'content-disposition': 'attachment; filename=aksk.json' } : {};
        return json(200, records.length ? records : null, extra);
      }
      case 'deleteAkSks':
        if (!header(incoming, 'x-auth-token')) return text(401, 'token not found in header');
        this.pairsByUser.delete(incoming.segments[3]);
        return json(200, {});
      case 'unknown':
        return incoming.segments[0] === 'v3'
          ? keystoneError(404, 'Not Found', 'The resource could not be found.')
          : text(404, '404 page not found');
    }
  }

  /** A complete, well-formed answer of the route's shape, for faults that cut it short. */
  private plausibleBody(incoming: Incoming): string {
    switch (incoming.route) {
      case 'createAkSk':
        return JSON.stringify({ access_key: 'AKIAFAULTFAULT00', secret_key: 'not-a-secret-just-a-plausible-body' });
      case 'listAkSks':
      case 'downloadAkSks':
        return JSON.stringify([
          { project_id: PROJECT.id, user_id: 'uid-x', type: 'ec2', blob: { access_key: 'AKIAFAULTFAULT00' } },
        ]);
      case 'deleteAkSks':
        return '{}';
      case 'getUser':
        return JSON.stringify({ user: userBody('somebody') });
      default: {
        const now = new Date();
        return JSON.stringify({
          token: tokenDetails({
            name: 'somebody',
            scoped: true,
            methods: ['password'],
            issuedAt: now,
            expiresAt: new Date(+now + TOKEN_TTL_MS),
          }),
        });
      }
    }
  }

  /**
   * Serves the other upstream's pairs as Keystone credentials, as the real multicloud service
   * stores its pairs in Keystone: the gateway patches their metadata there.
   */
  sharePairsWith(multicloud: MisbehavingUpstream): void {
    this.pairsByUser = multicloud.pairsByUser;
  }

  private ownerOfCredential(id: string | undefined): string | undefined {
    for (const [userId, pairs] of this.pairsByUser) {
      if (pairs.some((pair) => credentialIdOf(pair) === id)) return nameOfUserId(userId);
    }
    return undefined;
  }

  private issue(name: string, scoped: boolean, methods: string[]): string {
    const token = fernetLike();
    const issuedAt = new Date();
    this.tokens.set(token, { name, scoped, methods, issuedAt, expiresAt: new Date(issuedAt.getTime() + TOKEN_TTL_MS) });
    this.issuedTokens.push(token);
    return token;
  }

  /** A token sent with a broken answer: valid-looking, never valid, and still a secret. */
  private decoyToken(): string {
    const token = fernetLike();
    this.issuedTokens.push(token);
    return token;
  }

  private tokenBody(token: string): unknown {
    return { token: tokenDetails(this.tokens.get(token)!) };
  }
}

function tokenDetails(record: TokenRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {
    methods: record.methods,
    user: { id: `uid-${record.name}`, name: record.name, domain: DOMAIN, password_expires_at: null },
    audit_ids: [randomBytes(16).toString('base64url').slice(0, 22)],
    expires_at: keystoneTime(record.expiresAt),
    issued_at: keystoneTime(record.issuedAt),
  };
  if (record.scoped) {
    Object.assign(details, { project: PROJECT, is_domain: false, roles: [{ id: 'rid-member', name: 'member' }] });
  }
  return details;
}

function credentialIdOf(pair: StoredPair): string {
  return createHash('sha256').update(pair.accessKey).digest('hex');
}

function credentialBody(userId: string, pair: StoredPair): Record<string, unknown> {
  return {
    id: credentialIdOf(pair),
    user_id: userId,
    project_id: pair.projectId,
    type: 'ec2',
    blob: pair.blob ?? JSON.stringify({ access: pair.accessKey, secret: pair.secretKey }),
  };
}

function userBody(name: string): Record<string, unknown> {
  return {
    id: `uid-${name}`,
    name,
    domain_id: DOMAIN.id,
    enabled: true,
    default_project_id: PROJECT.id,
    password_expires_at: null,
    options: {},
    links: { self: `http://keystone.invalid/v3/users/uid-${name}` },
  };
}

function routeOf(method: string, segments: string[]): Route {
  const [root, ...rest] = segments;
  if (root === 'v3') {
    if (rest.length === 2 && rest[0] === 'auth' && rest[1] === 'tokens') {
      if (method === 'POST') return 'createToken';
      if (method === 'GET') return 'validateToken';
      if (method === 'DELETE') return 'revokeToken';
    }
    if (rest.length === 2 && rest[0] === 'users' && method === 'GET') return 'getUser';
    if (rest.length === 1 && rest[0] === 'credentials' && method === 'GET') return 'listCredentials';
    if (rest.length === 2 && rest[0] === 'credentials' && method === 'PATCH') return 'updateCredential';
    return 'unknown';
  }
  if (root === 'v1' && rest[1] === 'aksks') {
    if (rest.length === 2 && method === 'POST') return 'createAkSk';
    if (rest.length === 3 && method === 'GET') return 'listAkSks';
    if (rest.length === 3 && method === 'DELETE') return 'deleteAkSks';
    if (rest.length === 4 && rest[3] === 'download' && method === 'GET') return 'downloadAkSks';
  }
  return 'unknown';
}

function send(response: ServerResponse, answer: Answer): void {
  const body = answer.body ?? '';
  response.writeHead(answer.status, { 'content-length': Buffer.byteLength(body), ...answer.headers });
  response.end(body);
}

function header(incoming: Incoming, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function nameOfUserId(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('uid-') && value.length > 4 ? value.slice(4) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Keystone's time format: microseconds, always zero. */
function keystoneTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** About 180 opaque characters, like a Fernet token. */
function fernetLike(): string {
  return `gAAAAAB${randomBytes(130).toString('base64url')}`;
}

function randomString(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

function stringOr(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
