import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as generated from '../../client/generated/graphql';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { TrustedDocuments } from '../../src/server/trusted-documents';
import { clientDocuments, documentId, manifestOf } from '../../src/trusted-documents/manifest';
import { deadPort } from '../support/dead-port';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets, secretsIn } from '../support/log-audit';

/**
 * The differential test of the compiled path: every trusted document (the typed client's, which
 * the console sends) and its error cases, once through Apollo and once compiled by each way of
 * naming it (exact text, Apollo's persisted-query hash, `documentId`), over HTTP against one real
 * gateway; status, headers, body bytes, metrics and log lines must be the same. Apollo's path is
 * forced by a trailing newline: the text is no longer a trusted document, and nothing it
 * positions (error locations) moves.
 */

const { admin, alice } = DEMO_LOGINS;
const manifest = manifestOf(clientDocuments(generated));
/** Values fresh on every call by nature (new keys, tokens, times, links, upstream request ids): masked on both sides. */
const VOLATILE =
  /"(accessKey|secretKey|token|expiresAt|issuedAt|createdAt|url|requestId|deletedAccessKeys)":("[^"]*"|\[[^\]]*\])/g;
const SHAPES = ['text', 'persistedQuery', 'documentId'] as const;
type Shape = 'apollo' | (typeof SHAPES)[number];

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: string;
  metrics: Record<string, number>;
  logs: string[];
}

function writeManifest(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'trusted-documents-')), 'trusted-documents.json');
  writeFileSync(file, JSON.stringify(manifest));
  return file;
}

describe('trusted documents: the compiled path answers as Apollo does', () => {
  let harness: GatewayHarness;
  let compiledRuns = 0;
  const accepts = jest.spyOn(TrustedDocuments.prototype, 'variablesFor');

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { TRUSTED_DOCUMENTS_FILE: writeManifest() } });
  });
  afterAll(() => harness.close());
  beforeEach(() => accepts.mockClear());

  async function metricsOf(h: GatewayHarness): Promise<Record<string, number>> {
    const text = await (await fetch(`${h.gateway.url}/metrics`)).text();
    const counters: Record<string, number> = {};
    for (const line of text.split('\n')) {
      if (line.startsWith('gateway_graphql_requests_total{') || line.startsWith('gateway_upstream_errors_total{')) {
        const [name, value] = line.split(' ');
        counters[name] = Number(value);
      }
    }
    return counters;
  }

  async function send(
    h: GatewayHarness,
    shape: Shape,
    document: string,
    variables: Record<string, unknown> | undefined,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const id = documentId(document);
    const body =
      shape === 'apollo'
        ? { query: `${document}\n`, variables }
        : shape === 'text'
          ? { query: document, variables }
          : shape === 'persistedQuery'
            ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }
            : { documentId: `sha256:${id}`, variables };
    const metricsBefore = await metricsOf(h);
    const logsBefore = h.logLines.length;
    const response = await fetch(`${h.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    recordSecrets(secretsIn(variables, JSON.parse(text)));
    // The access line is written when the response finishes, which may be after the client has it.
    const requestId = response.headers.get('x-request-id') ?? '';
    const ownLines = () => h.logLines.slice(logsBefore).filter((line) => line.includes(`"requestId":"${requestId}"`));
    while (!ownLines().some((line) => line.includes('"msg":"request"'))) await new Promise((resolve) => setImmediate(resolve));
    const metricsAfter = await metricsOf(h);
    const metrics: Record<string, number> = {};
    for (const [name, value] of Object.entries(metricsAfter)) {
      if (value !== (metricsBefore[name] ?? 0)) metrics[name] = value - (metricsBefore[name] ?? 0);
    }
    return {
      status: response.status,
      headers: Object.fromEntries(
        ['content-type', 'cache-control', 'vary', 'set-cookie'].map((name) => [
          name,
          response.headers.get(name)?.replace(/=[^;]+;/, '=*;') ?? null,
        ]),
      ),
      body: text.replace(VOLATILE, '"$1":"*"'),
      metrics,
      logs: ownLines().map(loggedFacts),
    };
  }

  /** What a log line says, without what differs per request (time, ids, durations). */
  function loggedFacts(line: string): string {
    const { level, msg, operationName, code, codes, upstream, failures, status, path, method } = JSON.parse(line) as Record<
      string,
      unknown
    >;
    const { service, status: upstreamStatus, failure } = (upstream ?? {}) as Record<string, unknown>;
    return JSON.stringify({
      level,
      msg,
      operationName,
      code,
      codes,
      service,
      upstreamStatus,
      failure,
      failures,
      status,
      path,
      method,
    });
  }

  /**
   * Sends the document through Apollo, then compiled in each shape (a fresh `setup` before
   * each send when the operation consumes state), and compares everything.
   */
  async function compare(
    document: { toString(): string },
    options: {
      variables?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
      token?: string;
      headers?: Record<string, string>;
      /** The compiled path declines (Apollo answers): bad variables. */
      declined?: boolean;
      h?: GatewayHarness;
    } = {},
  ): Promise<Answer> {
    const h = options.h ?? harness;
    const text = document.toString();
    const headers = { ...options.headers, ...(options.token ? { 'x-auth-token': options.token } : {}) };
    // Setting up (a fresh pair) may itself run trusted documents: the spy counts the send only.
    const send1 = async (shape: Shape) => {
      const variables = await options.variables?.();
      accepts.mockClear();
      return send(h, shape, text, variables, headers);
    };
    const reference = await send1('apollo');
    expect(accepts).not.toHaveBeenCalled();
    for (const shape of SHAPES) {
      const answer = await send1(shape);
      expect({ shape, ...answer }).toEqual({ shape, ...reference });
      expect(accepts).toHaveBeenCalledTimes(1);
      expect(accepts.mock.results[0].value === undefined).toBe(Boolean(options.declined));
      if (!options.declined) compiledRuns++;
    }
    return reference;
  }

  async function login(user: { name: string; password: string }, projectName?: string): Promise<string> {
    const response = await harness.graphql<{ login: { token: string } }>(generated.LoginDocument.toString(), {
      input: { username: user.name, password: user.password, scope: projectName ? { projectName } : undefined },
    });
    const { token } = dataOf(response).login;
    recordSecrets([token]);
    return token;
  }

  let adminToken: string;
  let aliceToken: string;
  let adminId: string;
  let aliceId: string;

  async function newPair(): Promise<{ accessKey: string; secretKey: string }> {
    const response = await harness.graphql<{ createAkSk: { accessKey: string; secretKey: string } }>(
      generated.CreateAkSkDocument.toString(),
      { input: { userId: adminId } },
      { token: adminToken },
    );
    const pair = dataOf(response).createAkSk;
    recordSecrets([pair.secretKey]);
    return pair;
  }

  beforeAll(async () => {
    adminToken = await login(admin, 'admin');
    aliceToken = await login(alice);
    const viewer = async (token: string) =>
      dataOf(await harness.graphql<{ viewer: { user: { id: string } } }>(generated.ViewerDocument.toString(), {}, { token }))
        .viewer.user.id;
    adminId = await viewer(adminToken);
    aliceId = await viewer(aliceToken);
  });

  it('compiles every document of the manifest, which holds every operation of the typed client', () => {
    const operations = Object.keys(generated).filter((name) => name.endsWith('Document'));
    expect(manifest.operations.map((operation) => `${operation.name}Document`).sort()).toEqual(operations.sort());
  });

  it('Viewer, Projects, Users, UsersConnection, User, UserProjects: as Apollo, with and without a valid token', async () => {
    expect((await compare(generated.ViewerDocument, { token: adminToken })).body).toContain('"isAdmin":true');
    expect((await compare(generated.ViewerDocument)).body).toContain('UNAUTHENTICATED');
    expect((await compare(generated.ViewerDocument, { token: 'gAAAAAB-not-a-token-0123456789' })).body).toContain(
      'UNAUTHENTICATED',
    );
    expect((await compare(generated.ProjectsDocument, { token: adminToken })).body).toContain('"projects":[');
    expect((await compare(generated.UsersDocument, { token: adminToken, variables: () => ({}) })).body).toContain('alice');
    expect((await compare(generated.UsersDocument, { token: aliceToken })).body).toContain('FORBIDDEN');
    await compare(generated.UsersConnectionDocument, { token: adminToken, variables: () => ({ first: 2, search: 'a' }) });
    expect(
      (await compare(generated.UsersConnectionDocument, { token: adminToken, variables: () => ({ first: 0 }) })).body,
    ).toContain('BAD_USER_INPUT');
    await compare(generated.UserDocument, { token: adminToken, variables: () => ({ id: aliceId }) });
    expect(
      (await compare(generated.UserDocument, { token: adminToken, variables: () => ({ id: 'no-such-user-0000' }) })).body,
    ).toContain('NOT_FOUND');
    await compare(generated.UserProjectsDocument, { token: adminToken, variables: () => ({ id: adminId }) });
  });

  it('AkSk and the pair lifecycle mutations: as Apollo, including refusals and bad variables', async () => {
    await newPair();
    expect((await compare(generated.AkSkDocument, { token: adminToken, variables: () => ({ userId: adminId }) })).body).toContain(
      '"akSk":[{',
    );
    // Variables graphql-js refuses: Apollo's 400, which the compiled path leaves to Apollo.
    const missing = await compare(generated.AkSkDocument, { token: adminToken, variables: () => ({}), declined: true });
    expect(missing.status).toBe(400);
    // An ID sent as an integer is coerced to a string on both paths; any other non-string is refused.
    await compare(generated.AkSkDocument, { token: adminToken, variables: () => ({ userId: 12345 }) });
    for (const userId of [true, null, ['x'], { id: 'x' }]) {
      const refused = await compare(generated.AkSkDocument, { token: adminToken, variables: () => ({ userId }), declined: true });
      expect(refused.status).toBe(400);
    }
    expect((await compare(generated.AkSkDocument, { variables: () => ({ userId: aliceId }) })).body).toContain('UNAUTHENTICATED');
    await compare(generated.CreateAkSkDocument, { token: adminToken, variables: () => ({ input: { userId: adminId } }) });
    expect(
      (
        await compare(generated.CreateAkSkDocument, {
          token: adminToken,
          variables: () => ({ input: { userId: adminId, description: 'x'.repeat(300) } }),
        })
      ).body,
    ).toContain('BAD_USER_INPUT');
    await compare(generated.UpdateAkSkDocument, {
      token: adminToken,
      variables: async () => ({ input: { accessKey: (await newPair()).accessKey, description: 'rotated monthly' } }),
    });
    await compare(generated.DeactivateAkSkDocument, {
      token: adminToken,
      variables: async () => ({ accessKey: (await newPair()).accessKey }),
    });
    await compare(generated.ActivateAkSkDocument, {
      token: adminToken,
      variables: async () => ({ accessKey: (await newPair()).accessKey }),
    });
    await compare(generated.VerifyAkSkDocument, {
      token: adminToken,
      variables: async () => ({ ...(await newPair()) }),
    });
    await compare(generated.VerifyAkSkDocument, {
      token: adminToken,
      variables: async () => ({ accessKey: (await newPair()).accessKey, secretKey: 'not-the-secret-key' }),
    });
    await compare(generated.CreateAkSkDownloadLinkDocument, {
      token: adminToken,
      variables: () => ({ userId: adminId, format: 'CSV' }),
    });
    await compare(generated.DeleteAkSkByAccessKeyDocument, {
      token: adminToken,
      variables: async () => ({ accessKey: (await newPair()).accessKey }),
    });
    expect(
      (
        await compare(generated.DeleteAkSkByAccessKeyDocument, {
          token: adminToken,
          variables: () => ({ accessKey: 'NOSUCHKEY0000000' }),
        })
      ).body,
    ).toContain('NOT_FOUND');
    await compare(generated.DeleteAkSkDocument, {
      token: adminToken,
      // The same pairs before each path: deleteAkSk logs one audit line per pair it deletes.
      variables: async () => {
        await harness.graphql(generated.DeleteAkSkDocument.toString(), { userId: adminId }, { token: adminToken });
        await newPair();
        return { userId: adminId };
      },
    });
  });

  it('Login, ScopeToken, Logout: as Apollo, session cookies and wrong passwords included', async () => {
    recordSecrets(['wrong-password-value']);
    const ok = await compare(generated.LoginDocument, {
      variables: () => ({ input: { username: alice.name, password: alice.password } }),
    });
    expect(ok.body).toContain('"login":{');
    const session = await compare(generated.LoginDocument, {
      variables: () => ({ input: { username: alice.name, password: alice.password, session: true } }),
    });
    expect(session.headers['set-cookie']).toEqual(expect.any(String));
    expect(
      (
        await compare(generated.LoginDocument, {
          variables: () => ({ input: { username: alice.name, password: 'wrong-password-value' } }),
        })
      ).body,
    ).toContain('UNAUTHENTICATED');
    await compare(generated.ScopeTokenDocument, { token: adminToken, variables: () => ({ input: { projectName: 'admin' } }) });
    // Logout revokes the token it is sent: a fresh one each time.
    const fresh: string[] = [];
    for (let index = 0; index < 4; index++) fresh.push(await login(alice));
    let next = 0;
    const logout = async (shape: Shape) =>
      send(harness, shape, generated.LogoutDocument.toString(), undefined, { 'x-auth-token': fresh[next++] });
    const reference = await logout('apollo');
    for (const shape of SHAPES) expect({ shape, ...(await logout(shape)) }).toEqual({ shape, ...reference });
    expect(reference.body).toBe('{"data":{"logout":true}}\n');
  });

  it('answers in the content type Apollo negotiates for each Accept header', async () => {
    for (const accept of ['application/graphql-response+json, application/json', 'application/json', '*/*']) {
      await compare(generated.ViewerDocument, { token: adminToken, headers: { accept } });
    }
  });

  it('upstream failures: the same codes, logs and metrics', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const broken = await startGatewayHarness({
      upstreams: { keystoneUrl: `${dead}/v3`, multicloudUrl: dead },
      env: { TRUSTED_DOCUMENTS_FILE: writeManifest(), KEYSTONE_MAX_RETRIES: '0', MULTICLOUD_MAX_RETRIES: '0' },
    });
    try {
      const viewer = await compare(generated.ViewerDocument, { h: broken, token: adminToken });
      expect(viewer.body).toContain('UPSTREAM_UNAVAILABLE');
      expect(viewer.logs.join('\n')).toContain('upstream call failed');
      await compare(generated.LoginDocument, {
        h: broken,
        variables: () => ({ input: { username: alice.name, password: alice.password } }),
      });
    } finally {
      await broken.close();
    }
    expect(compiledRuns).toBeGreaterThan(90);
  });
});

describe('TRUSTED_DOCUMENTS_ONLY', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { TRUSTED_DOCUMENTS_FILE: writeManifest(), TRUSTED_DOCUMENTS_ONLY: 'true' } });
  });
  afterAll(() => harness.close());

  it('serves trusted documents by text or id, and refuses any other document before running it', async () => {
    const viewer = generated.ViewerDocument.toString();
    expect((await harness.graphql(viewer)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const byId = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(viewer) } } }),
    });
    expect(((await byId.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
    const other = await harness.graphql('{ viewer { user { id } } }');
    expect(other.status).toBe(400);
    expect(other.errors).toEqual([
      { message: expect.stringMatching(/trusted documents/), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } },
    ]);
    const unknownId = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` }),
    });
    expect(unknownId.status).toBe(400);
    const batch = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: viewer }, { query: '{ viewer { isAdmin } }' }]),
    });
    expect(batch.status).toBe(400);
    const get = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{ viewer { isAdmin } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
  });
});
