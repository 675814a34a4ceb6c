import { MockAgent } from 'undici';
import { toClientError } from '../../../../src/errors/client-error';
import { ErrorCode } from '../../../../src/errors/error-code';
import { KeystoneClient, parseTokenBody } from '../../../../src/upstreams/keystone/keystone-client';
import { UpstreamError } from '../../../../src/errors/upstream-error';
import {
  exactHeaders,
  jsonBody,
  JSON_HEADERS,
  strictMockAgent,
  TEXT_HEADERS,
  upstreamFailure,
  upstreamHttp,
} from '../upstream-test-kit';
import {
  EXPIRES_AT,
  FAILED_TO_VALIDATE_BODY,
  FERNET_TOKEN,
  FERNET_UNKNOWN_BODY,
  ISSUED_AT,
  OTHER_TOKEN,
  PROJECT,
  scopedTokenBody,
  SERVER_ERROR_TEXT,
  UNAUTHORIZED_BODY,
  unscopedTokenBody,
  USER,
} from './keystone-fixtures';

const ORIGIN = 'http://keystone.test';
const BASE_URL = `${ORIGIN}/identity/v3`;
const TOKENS_PATH = '/identity/v3/auth/tokens?nocatalog=';
const PASSWORD = 'Tr0ub4dor&3';

const passwordLogin = (password = PASSWORD) =>
  ({ method: 'password', user: { name: 'alice', domainName: 'Default', password } }) as const;

const loginBody = (password = PASSWORD, extra: Record<string, unknown> = {}) => ({
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: 'alice', domain: { name: 'Default' }, password } },
    },
    ...extra,
  },
});

/** Every place a failure could show a client or a log line. */
function everythingShown(error: UpstreamError): string {
  return [error.message, error.detail ?? '', String(error), JSON.stringify(toClientError(error)), error.stack ?? ''].join('\n');
}

describe('KeystoneClient', () => {
  let agent: MockAgent;
  let keystone: KeystoneClient;
  beforeEach(() => {
    agent = strictMockAgent();
    keystone = new KeystoneClient(upstreamHttp('keystone', BASE_URL, agent));
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
  const keystoneMock = () => agent.get(ORIGIN);

  describe('createToken with a password', () => {
    it('posts the password body without a scope and reads the token from X-Subject-Token', async () => {
      keystoneMock()
        .intercept({
          path: TOKENS_PATH,
          method: 'POST',
          headers: exactHeaders({ 'content-type': 'application/json', 'x-auth-token': undefined }),
          body: jsonBody(loginBody()),
        })
        .reply(201, unscopedTokenBody(), {
          headers: { ...JSON_HEADERS, 'x-subject-token': FERNET_TOKEN, 'x-openstack-request-id': 'req-1' },
        });

      const issued = await keystone.createToken({ auth: passwordLogin() });

      expect(issued.token).toBe(FERNET_TOKEN);
      expect(issued.details).toEqual({
        methods: ['password'],
        user: { id: USER.id, name: 'alice', domain: { id: 'default', name: 'Default' } },
        project: undefined,
        roles: [],
        expiresAt: new Date('2026-11-26T04:41:11.000Z'),
        issuedAt: new Date('2026-11-26T03:41:11.000Z'),
      });
      expect(issued.details.expiresAt).toBeInstanceOf(Date);
    });

    it('logs in by user id and scopes to a project by name in the same call', async () => {
      keystoneMock()
        .intercept({
          path: TOKENS_PATH,
          method: 'POST',
          body: jsonBody({
            auth: {
              identity: { methods: ['password'], password: { user: { id: 'u-0001', password: PASSWORD } } },
              scope: { project: { name: 'demo', domain: { name: 'Default' } } },
            },
          }),
        })
        .reply(201, scopedTokenBody(), { headers: { 'x-subject-token': FERNET_TOKEN } });

      const issued = await keystone.createToken({
        auth: { method: 'password', user: { id: 'u-0001', password: PASSWORD } },
        scope: { name: 'demo', domainName: 'Default' },
      });

      expect(issued.details.project).toEqual({ id: PROJECT.id, name: 'demo', domain: { id: 'default', name: 'Default' } });
      expect(issued.details.roles).toEqual([
        { id: 'r-member', name: 'member' },
        { id: 'r-reader', name: 'reader' },
      ]);
    });

    it('asks for an unscoped token explicitly with "scope": "unscoped"', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST', body: jsonBody(loginBody(PASSWORD, { scope: 'unscoped' })) })
        .reply(201, unscopedTokenBody(), { headers: { 'x-subject-token': FERNET_TOKEN } });
      const issued = await keystone.createToken({ auth: passwordLogin(), scope: 'unscoped' });
      expect(issued.details.project).toBeUndefined();
    });

    it('maps a 401 to UNAUTHENTICATED without saying which part was wrong', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(401, UNAUTHORIZED_BODY, { headers: { ...JSON_HEADERS, 'x-openstack-request-id': 'req-401' } });

      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));

      expect(error).toMatchObject({ status: 401, failure: 'status', requestId: 'req-401' });
      expect(toClientError(error)).toEqual({
        code: ErrorCode.Unauthenticated,
        message:
          'Login failed: wrong user, password or domain, or no role on the requested project (Keystone does not say which).',
        upstream: { service: 'keystone', status: 401, requestId: 'req-401' },
      });
    });

    it('maps the plain-text 500 to UPSTREAM_UNAVAILABLE', async () => {
      keystoneMock().intercept({ path: TOKENS_PATH, method: 'POST' }).reply(500, SERVER_ERROR_TEXT, { headers: TEXT_HEADERS });
      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));
      expect(error.detail).toBe('A server error occurred. Please contact the administrator.');
      expect(toClientError(error)).toMatchObject({ code: ErrorCode.UpstreamUnavailable, upstream: { status: 500 } });
    });

    it('maps a 400 to BAD_USER_INPUT', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(400, { error: { code: 400, message: "Invalid input for field 'identity': bad", title: 'Bad Request' } });
      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));
      expect(toClientError(error).code).toBe(ErrorCode.BadUserInput);
    });

    // Regression: Keystone's schema errors quote the request in Python notation
    // (`'password': '...'`), which the key-based redaction did not recognise.
    it('never shows the password a short Keystone 400 echoes back in Python notation', async () => {
      const message =
        "Invalid input for field 'identity/password/user': " +
        `{'name': 'alice', 'password': '${PASSWORD}', 'domain': 'Default'} is not valid under any of the given schemas`;
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(400, { error: { code: 400, message, title: 'Bad Request' } }, { headers: JSON_HEADERS });

      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));

      expect(error.detail).toContain("Invalid input for field 'identity/password/user'");
      expect(error.detail).toContain("'name': 'alice'");
      expect(everythingShown(error)).not.toContain(PASSWORD);
    });

    it('never shows the password a long Keystone 400 echoes back', async () => {
      const message =
        "Invalid input for field 'identity/password/user': Additional properties are not allowed ('pasword' was unexpected)\n\n" +
        "Failed validating 'additionalProperties' in schema['properties']['identity']['properties']['password']['properties']['user']:\n" +
        "    {'additionalProperties': False, 'properties': {'password': {'type': 'string'}}, 'type': 'object'}\n\n" +
        "On instance['identity']['password']['user']:\n" +
        `    {'domain': {'name': 'Default'}, 'name': 'alice', 'password': '${PASSWORD}', 'pasword': 'x'}`;
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(400, { error: { code: 400, message, title: 'Bad Request' } }, { headers: JSON_HEADERS });

      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));

      expect(error.detail).toContain('Invalid input for field');
      expect(everythingShown(error)).not.toContain(PASSWORD);
    });

    it('never shows a password echoed without its key, nor in a JSON error body', async () => {
      const password = 'correct horse';
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(400, { error: { code: 400, message: `'${password}' is too long`, title: 'Bad Request' } });
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(400, JSON.stringify({ detail: { password } }), { headers: JSON_HEADERS });

      for (let attempt = 0; attempt < 2; attempt += 1) {
        const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin(password) }));
        expect(everythingShown(error)).not.toContain(password);
        expect(everythingShown(error)).not.toContain('horse');
      }
    });

    it('refuses a 201 without X-Subject-Token as UPSTREAM_ERROR', async () => {
      keystoneMock().intercept({ path: TOKENS_PATH, method: 'POST' }).reply(201, unscopedTokenBody(), { headers: JSON_HEADERS });
      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));
      expect(error).toMatchObject({ failure: 'invalid-response', status: 201, detail: 'no X-Subject-Token header' });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
    });

    it.each([
      ['invalid JSON', '{"token": {"user": '],
      ['an empty body', ''],
      ['a token without user', JSON.stringify({ token: { expires_at: EXPIRES_AT, issued_at: ISSUED_AT } })],
      ['a token with an unreadable expiry', JSON.stringify(unscopedTokenBody({ expires_at: 'tomorrow-ish' }))],
      ['a token with a malformed project', JSON.stringify(unscopedTokenBody({ project: { id: 'p' } }))],
      ['a list instead of an object', '[]'],
    ])('refuses a 201 with %s as UPSTREAM_ERROR', async (_what, body) => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(201, body, { headers: { ...JSON_HEADERS, 'x-subject-token': FERNET_TOKEN } });
      const error = await upstreamFailure(keystone.createToken({ auth: passwordLogin() }));
      expect(error).toMatchObject({ failure: 'invalid-response', status: 201 });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
    });
  });

  describe('createToken with a token (scoping)', () => {
    const scopeCall = () => keystone.createToken({ auth: { method: 'token', token: FERNET_TOKEN }, scope: { id: 'p-0001' } });

    it('sends the token as X-Auth-Token and in the body, with the project scope', async () => {
      keystoneMock()
        .intercept({
          path: TOKENS_PATH,
          method: 'POST',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'content-type': 'application/json' }),
          body: jsonBody({
            auth: { identity: { methods: ['token'], token: { id: FERNET_TOKEN } }, scope: { project: { id: 'p-0001' } } },
          }),
        })
        .reply(201, scopedTokenBody({ methods: ['token', 'password'] }), { headers: { 'x-subject-token': OTHER_TOKEN } });

      const issued = await scopeCall();

      expect(issued.token).toBe(OTHER_TOKEN);
      expect(issued.details.methods).toEqual(['token', 'password']);
      expect(issued.details.project?.id).toBe('p-0001');
    });

    it('maps 404 "Could not recognize Fernet token" to UNAUTHENTICATED, token unknown', async () => {
      keystoneMock().intercept({ path: TOKENS_PATH, method: 'POST' }).reply(404, FERNET_UNKNOWN_BODY, { headers: JSON_HEADERS });
      const error = await upstreamFailure(scopeCall());
      expect(error.detail).toBe('Could not recognize Fernet token');
      expect(toClientError(error)).toMatchObject({
        code: ErrorCode.Unauthenticated,
        message: 'The token is unknown, expired or revoked.',
        upstream: { service: 'keystone', status: 404 },
      });
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
    });

    it('maps 401 to UNAUTHENTICATED: project unknown or no role on it', async () => {
      keystoneMock().intercept({ path: TOKENS_PATH, method: 'POST' }).reply(401, UNAUTHORIZED_BODY, { headers: JSON_HEADERS });
      const error = await upstreamFailure(scopeCall());
      expect(toClientError(error)).toMatchObject({
        code: ErrorCode.Unauthenticated,
        message: 'The token cannot be scoped to that project: it does not exist or the user has no role on it.',
      });
    });

    it('leaves a 403 as FORBIDDEN', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(403, {
          error: { code: 403, message: 'You are not authorized to perform the requested action.', title: 'Forbidden' },
        });
      const error = await upstreamFailure(scopeCall());
      expect(toClientError(error).code).toBe(ErrorCode.Forbidden);
    });

    it('never shows a token the upstream echoes back', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'POST' })
        .reply(500, `token ${FERNET_TOKEN} broke us; X-Auth-Token: ${FERNET_TOKEN}`, { headers: TEXT_HEADERS });
      const error = await upstreamFailure(scopeCall());
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN.slice(0, 40));
    });
  });

  describe('validateToken', () => {
    it('GETs /auth/tokens with the token as both X-Auth-Token and X-Subject-Token', async () => {
      keystoneMock()
        .intercept({
          path: TOKENS_PATH,
          method: 'GET',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'x-subject-token': FERNET_TOKEN, 'content-type': undefined }),
        })
        .reply(200, scopedTokenBody(), { headers: JSON_HEADERS });

      const details = await keystone.validateToken(FERNET_TOKEN);

      expect(details.user.name).toBe('alice');
      expect(details.project?.name).toBe('demo');
      expect(details.expiresAt.toISOString()).toBe('2026-11-26T04:41:11.000Z');
    });

    it.each([
      [404, FAILED_TO_VALIDATE_BODY],
      [401, UNAUTHORIZED_BODY],
    ])('maps %i to UNAUTHENTICATED', async (status, body) => {
      keystoneMock().intercept({ path: TOKENS_PATH, method: 'GET' }).reply(status, body, { headers: JSON_HEADERS });
      const error = await upstreamFailure(keystone.validateToken(FERNET_TOKEN));
      expect(toClientError(error)).toMatchObject({
        code: ErrorCode.Unauthenticated,
        message: 'The token is unknown, expired or revoked.',
      });
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
    });

    it('refuses a 200 with the wrong shape as UPSTREAM_ERROR', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'GET' })
        .reply(200, { token: { user: USER } });
      const error = await upstreamFailure(keystone.validateToken(FERNET_TOKEN));
      expect(error).toMatchObject({ failure: 'invalid-response', detail: 'token body without user or times' });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
    });

    it('forwards the gateway request id', async () => {
      keystoneMock()
        .intercept({ path: TOKENS_PATH, method: 'GET', headers: exactHeaders({ 'x-openstack-request-id': 'req-gw-9' }) })
        .reply(200, unscopedTokenBody());
      await keystone.withRequestId('req-gw-9').validateToken(FERNET_TOKEN);
    });
  });

  describe('revokeToken', () => {
    it('DELETEs /auth/tokens with both headers', async () => {
      keystoneMock()
        .intercept({
          path: '/identity/v3/auth/tokens',
          method: 'DELETE',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'x-subject-token': FERNET_TOKEN }),
        })
        .reply(204, '');
      await expect(keystone.revokeToken(FERNET_TOKEN)).resolves.toBeUndefined();
    });

    it('maps 404 to UNAUTHENTICATED', async () => {
      keystoneMock().intercept({ path: '/identity/v3/auth/tokens', method: 'DELETE' }).reply(404, FAILED_TO_VALIDATE_BODY);
      const error = await upstreamFailure(keystone.revokeToken(FERNET_TOKEN));
      expect(toClientError(error).code).toBe(ErrorCode.Unauthenticated);
    });
  });

  describe('listAuthProjects', () => {
    it('GETs /auth/projects with X-Auth-Token and reads each project', async () => {
      keystoneMock()
        .intercept({ path: '/identity/v3/auth/projects', method: 'GET', headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN }) })
        .reply(200, {
          projects: [
            { id: 'p1', name: 'demo', domain_id: 'default', enabled: true, links: {} },
            { id: 'p2', name: 'old', domain_id: 'default', enabled: false },
            { id: 'p3', name: 'bare' },
          ],
          links: {},
        });
      await expect(keystone.listAuthProjects(FERNET_TOKEN)).resolves.toEqual([
        { id: 'p1', name: 'demo', domainId: 'default', enabled: true },
        { id: 'p2', name: 'old', domainId: 'default', enabled: false },
        { id: 'p3', name: 'bare', domainId: '', enabled: true },
      ]);
    });

    it('refuses a body without a projects list, or a project without id', async () => {
      keystoneMock().intercept({ path: '/identity/v3/auth/projects', method: 'GET' }).reply(200, { projects: null });
      keystoneMock()
        .intercept({ path: '/identity/v3/auth/projects', method: 'GET' })
        .reply(200, { projects: [{ name: 'x' }] });
      expect(await upstreamFailure(keystone.listAuthProjects(FERNET_TOKEN))).toMatchObject({ detail: 'no projects list' });
      expect(await upstreamFailure(keystone.listAuthProjects(FERNET_TOKEN))).toMatchObject({
        detail: 'project without id or name',
      });
    });

    it('maps 401 to UNAUTHENTICATED', async () => {
      keystoneMock().intercept({ path: '/identity/v3/auth/projects', method: 'GET' }).reply(401, UNAUTHORIZED_BODY);
      const error = await upstreamFailure(keystone.listAuthProjects(FERNET_TOKEN));
      expect(toClientError(error).code).toBe(ErrorCode.Unauthenticated);
    });
  });

  it('works with a base URL without path prefix (plain Keystone on :5000)', async () => {
    const plainAgent = strictMockAgent();
    plainAgent
      .get('http://keystone.test:5000')
      .intercept({ path: '/v3/auth/tokens?nocatalog=', method: 'GET' })
      .reply(200, unscopedTokenBody());
    const plain = new KeystoneClient(upstreamHttp('keystone', 'http://keystone.test:5000/v3/', plainAgent));
    await plain.validateToken(FERNET_TOKEN);
    plainAgent.assertNoPendingInterceptors();
    await plainAgent.close();
  });
});

describe('parseTokenBody', () => {
  it('drops roles it cannot read and keeps string methods only', () => {
    const details = parseTokenBody(
      scopedTokenBody({ roles: [{ id: 'r1', name: 'member' }, { id: 'r2' }, 'admin'], methods: ['password', 7] }),
    );
    expect(details?.roles).toEqual([{ id: 'r1', name: 'member' }]);
    expect(details?.methods).toEqual(['password']);
  });

  it('gives undefined for anything that is not a token body', () => {
    expect(parseTokenBody(undefined)).toBeUndefined();
    expect(parseTokenBody('A server error occurred.')).toBeUndefined();
    expect(parseTokenBody({ token: null })).toBeUndefined();
    expect(parseTokenBody(unscopedTokenBody({ issued_at: undefined }))).toBeUndefined();
    expect(parseTokenBody(unscopedTokenBody({ user: { id: 'u', name: 'n' } }))).toBeUndefined();
  });
});
