import { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { CredentialsClient, ec2Blob, parseEc2Blob } from '../../upstreams/credentials/credentials-client';
import { generateAkSkKeys } from '../../upstreams/credentials/ak-sk-keys';
import { KeystoneClient } from '../../upstreams/keystone/keystone-client';
import { TokenDetails } from '../../upstreams/keystone/keystone.types';
import { UpstreamError } from '../../errors/upstream-error';
import { UpstreamHttp } from '../../upstreams/upstream-http';
import { readRequestBody } from '../../server/http-io';

/**
 * An emulator of the SODA multicloud AK/SK API (see shared/UPSTREAM.md). Like the real
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
  const pool = new Pool(new URL(options.keystoneUrl).origin, { connections: 32 });
  const http = new UpstreamHttp({
    service: 'keystone',
    baseUrl: options.keystoneUrl,
    dispatcher: pool,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const keystone = new KeystoneClient(http);
  const credentials = new CredentialsClient(http);

  async function route(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const match = ROUTE.exec(path);
    if (!match) return sendText(response, 404, '404 page not found');
    const projectId = decodeURIComponent(match[1]);
    const userId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const download = match[3] !== undefined;

    const token = request.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') return sendText(response, 401, 'token not found in header');
    let caller: TokenDetails;
    try {
      caller = await keystone.validateToken(token);
    } catch (error) {
      if (error instanceof UpstreamError && error.status !== undefined && error.status < 500) {
        return sendText(response, 401, 'get token failed,Resource not found');
      }
      return sendUpstreamTrouble(response);
    }
    if (!caller.project) return sendText(response, 403, 'policy check failed: a project-scoped token is required');

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
      body = JSON.parse(await readRequestBody(request, MAX_BODY_BYTES)) as Record<string, unknown>;
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
      if (lookup.status === 'fulfilled') continue;
      const error: unknown = lookup.reason;
      if (error instanceof UpstreamError && error.hasStatus(404)) {
        return sendText(response, 400, 'error in creating AKSK for the user, projectId or userId is invalid');
      }
      if (!(error instanceof UpstreamError && error.hasStatus(403))) return sendUpstreamTrouble(response);
    }

    const keys = generateAkSkKeys();
    try {
      await credentials.createCredential(token, { userId, projectId, type: 'ec2', blob: ec2Blob(keys) });
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(403)) return sendText(response, 403, 'forbidden');
      if (error instanceof UpstreamError && error.status !== undefined && (error.status < 500 || error.hasStatus(500))) {
        return sendText(response, 400, 'error in creating AKSK for the user, projectId or userId is invalid');
      }
      return sendUpstreamTrouble(response);
    }
    sendJson(response, 200, { access_key: keys.access, secret_key: keys.secret });
  }

  async function listAkSks(response: ServerResponse, token: string, userId: string, download: boolean) {
    let records;
    try {
      records = await credentials.listCredentials(token, { userId });
    } catch {
      return sendUpstreamTrouble(response);
    }
    const body = records.map((credential) => {
      const keys = parseEc2Blob(credential.blob);
      return {
        project_id: credential.projectId ?? '',
        user_id: credential.userId,
        type: credential.type,
        blob: { access_key: keys?.access ?? '', secret_key: keys?.secret ?? '' },
      };
    });
    const headers: Record<string, string> = download ? { 'content-disposition': 'attachment; filename=aksk.json' } : {};
    sendJson(response, 200, body.length === 0 ? null : body, headers);
  }

  async function deleteAkSks(response: ServerResponse, token: string, userId: string) {
    try {
      const records = await credentials.listCredentials(token, { userId });
      // Like the real service: every credential of the user, not only ec2 ones.
      for (const credential of records) await credentials.deleteCredential(token, credential.id);
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(403)) return sendText(response, 403, 'forbidden');
      return sendUpstreamTrouble(response);
    }
    sendJson(response, 200, {});
  }

  return {
    handle(request, response, path) {
      route(request, response, path).catch(() => {
        if (!response.headersSent) sendUpstreamTrouble(response);
      });
    },
    close: () => pool.close(),
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
