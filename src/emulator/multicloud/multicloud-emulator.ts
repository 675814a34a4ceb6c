import { randomInt } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../keystone/request-body';
import { KeystoneAnswer, KeystoneCalls } from './keystone-calls';

/**
 * An emulator of the SODA multicloud AK/SK API (the real service's behaviour is pinned by the contract tests). Like the real
 * service it keeps nothing itself: it validates the caller's token with Keystone and stores
 * pairs as Keystone `ec2` credentials, so it runs on the embedded Keystone emulator or on a
 * real Keystone alike. Unlike the real one it uses a CSPRNG and logs nothing.
 */
export interface MulticloudEmulator {
  handle(request: IncomingMessage, response: ServerResponse, path: string): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v1\/([^/]+)\/aksks(?:\/([^/]+)(\/download)?)?$/;
const MAX_BODY_BYTES = 64 * 1024;

export function createMulticloudEmulator(options: { keystoneUrl: string; timeoutMs?: number }): MulticloudEmulator {
  const keystone = new KeystoneCalls(options.keystoneUrl, options.timeoutMs ?? 10_000);

  async function route(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const match = ROUTE.exec(path);
    if (!match) return sendText(response, 404, '404 page not found');
    const projectId = decodeURIComponent(match[1]);
    const userId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const download = match[3] !== undefined;

    const token = request.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') return sendText(response, 401, 'token not found in header');
    const caller = await keystone.validateToken(token);
    if (caller.status >= 500) return sendUpstreamTrouble(response);
    if (caller.status !== 200) return sendText(response, 401, 'get token failed,Resource not found');
    if (!caller.projectId) return sendText(response, 403, 'policy check failed: a project-scoped token is required');

    if (userId === undefined) {
      if (request.method !== 'POST') return sendText(response, 405, 'method not allowed');
      return createAkSk(request, response, token, projectId);
    }
    if (request.method === 'GET') return listAkSks(response, token, userId, download);
    if (request.method === 'DELETE' && !download) return deleteAkSks(response, token, userId);
    return sendText(response, 405, 'method not allowed');
  }

  async function createAkSk(request: IncomingMessage, response: ServerResponse, token: string, pathProjectId: string) {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return sendText(response, 415, 'unsupported media type');
    }
    let body: Record<string, unknown>;
    try {
      const raw = await readRequestBody(request, MAX_BODY_BYTES);
      if (raw.kind === 'too-large') throw new RangeError('body too large');
      body = JSON.parse(raw.bytes.toString('utf8')) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new TypeError('not an object');
    } catch {
      return sendText(response, 400, 'invalid request body');
    }
    // The real service reads only the flat fields; the how-to's `credential` wrapper is ignored.
    const projectId = typeof body.project_id === 'string' ? body.project_id : '';
    const userId = typeof body.user_id === 'string' ? body.user_id : '';
    if (!projectId) return sendText(response, 400, 'projectId is blank, provide a valid projectId');
    if (!userId) return sendText(response, 400, 'userId is blank, provide a valid userId');
    void pathProjectId; // Not checked against the body, as in the real service.

    // Keystone stores credentials for users and projects that do not exist; the real service
    // checks first. A 403 (a member asking about someone else) leaves the decision to Keystone.
    const lookups = await Promise.allSettled([keystone.getUser(token, userId), keystone.getProject(token, projectId)]);
    for (const lookup of lookups) {
      const status = lookup.status === 'fulfilled' ? lookup.value.status : undefined;
      if (status === 200 || status === 403) continue;
      if (status === 404) return sendText(response, 400, 'error in creating AKSK for the user, projectId or userId is invalid');
      return sendUpstreamTrouble(response);
    }

    const access = randomString(ACCESS_KEY_LENGTH);
    const secret = randomString(SECRET_KEY_LENGTH);
    const blob = JSON.stringify({ access, secret });
    const created = await keystone.createCredential(token, { userId, projectId, type: 'ec2', blob });
    if (created.status === 403) return sendText(response, 403, 'forbidden');
    if (created.status !== 201 && created.status <= 500) {
      return sendText(response, 400, 'error in creating AKSK for the user, projectId or userId is invalid');
    }
    if (created.status !== 201) return sendUpstreamTrouble(response);
    sendJson(response, 200, { access_key: access, secret_key: secret });
  }

  async function listAkSks(response: ServerResponse, token: string, userId: string, download: boolean) {
    const records = await keystone.listCredentials(token, userId);
    if (!Array.isArray(records)) return sendUpstreamTrouble(response);
    // The real service decodes every blob and fails the whole call on one that is not JSON.
    if (records.some((credential) => !isJson(credential.blob))) return sendUpstreamTrouble(response);
    const body = records.map((credential) => {
      const keys = ec2KeysOf(credential.blob);
      return {
        project_id: credential.projectId,
        user_id: credential.userId,
        type: credential.type,
        blob: { access_key: keys.access, secret_key: keys.secret },
      };
    });
    const headers: Record<string, string> = download ? { 'content-disposition': 'attachment; filename=aksk.json' } : {};
    sendJson(response, 200, body.length === 0 ? null : body, headers);
  }

  async function deleteAkSks(response: ServerResponse, token: string, userId: string) {
    const records = await keystone.listCredentials(token, userId);
    if (!Array.isArray(records)) return refusedOrTrouble(response, records);
    // Like the real service: every credential of the user, not only ec2 ones.
    for (const credential of records) {
      const deleted = await keystone.deleteCredential(token, credential.id);
      if (deleted.status !== 204) return refusedOrTrouble(response, deleted);
    }
    sendJson(response, 200, {});
  }

  return {
    handle(request, response, path) {
      route(request, response, path).catch(() => {
        if (!response.headersSent) sendUpstreamTrouble(response);
      });
    },
    close: () => keystone.close(),
  };
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function sendUpstreamTrouble(response: ServerResponse): void {
  sendText(
    response,
    500,
    '{"id":"go.micro.client","code":500,"detail":"keystone request failed","status":"Internal Server Error"}',
  );
}

function refusedOrTrouble(response: ServerResponse, answer: KeystoneAnswer): void {
  if (answer.status === 403) sendText(response, 403, 'forbidden');
  else sendUpstreamTrouble(response);
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCESS_KEY_LENGTH = 16;
const SECRET_KEY_LENGTH = 32;

function randomString(length: number): string {
  let result = '';
  for (let index = 0; index < length; index += 1) result += ALPHABET[randomInt(ALPHABET.length)];
  return result;
}

/** The keys of an `ec2` blob; empty strings for a blob that holds none, as the real service shows them. */
function ec2KeysOf(blob: string): { access: string; secret: string } {
  try {
    const parsed = JSON.parse(blob) as { access?: unknown; secret?: unknown } | null;
    if (typeof parsed?.access === 'string' && parsed.access && typeof parsed.secret === 'string' && parsed.secret)
      return { access: parsed.access, secret: parsed.secret };
  } catch {
    // Not JSON: no keys.
  }
  return { access: '', secret: '' };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
