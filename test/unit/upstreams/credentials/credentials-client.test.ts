import { MockAgent } from 'undici';
import { toClientError } from '../../../../src/errors/client-error';
import { ErrorCode } from '../../../../src/errors/error-code';
import { CredentialsClient, ec2Blob, parseEc2Blob } from '../../../../src/upstreams/credentials/credentials-client';
import { UpstreamError } from '../../../../src/errors/upstream-error';
import { FERNET_TOKEN, SERVER_ERROR_TEXT } from '../keystone/keystone-fixtures';
import {
  exactHeaders,
  jsonBody,
  JSON_HEADERS,
  strictMockAgent,
  TEXT_HEADERS,
  upstreamFailure,
  upstreamHttp,
} from '../upstream-test-kit';

const ORIGIN = 'http://keystone.test';
const BASE_URL = `${ORIGIN}/identity/v3`;
const ACCESS_KEY = 'AKx7Qe2Lr9Tb4Wn1';
const SECRET_KEY = 'Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls';
const BLOB = ec2Blob({ access: ACCESS_KEY, secret: SECRET_KEY });
const CREATE = { userId: 'u-0001', projectId: 'p-0001', type: 'ec2', blob: BLOB };

const credentialRecord = (overrides: Record<string, unknown> = {}) => ({
  id: 'c0ffee',
  user_id: 'u-0001',
  project_id: 'p-0001',
  type: 'ec2',
  blob: BLOB,
  links: { self: `${BASE_URL}/credentials/c0ffee` },
  ...overrides,
});

function everythingShown(error: UpstreamError): string {
  return [error.message, error.detail ?? '', String(error), JSON.stringify(toClientError(error)), error.stack ?? ''].join('\n');
}

describe('CredentialsClient', () => {
  let agent: MockAgent;
  let credentials: CredentialsClient;
  beforeEach(() => {
    agent = strictMockAgent();
    credentials = new CredentialsClient(upstreamHttp('keystone', BASE_URL, agent));
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
  const mock = () => agent.get(ORIGIN);

  describe('createCredential', () => {
    it('POSTs the credential with the blob as a JSON string', async () => {
      mock()
        .intercept({
          path: '/identity/v3/credentials',
          method: 'POST',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'content-type': 'application/json' }),
          body: jsonBody({ credential: { user_id: 'u-0001', project_id: 'p-0001', type: 'ec2', blob: BLOB } }),
        })
        .reply(201, { credential: credentialRecord() }, { headers: JSON_HEADERS });

      await expect(credentials.createCredential(FERNET_TOKEN, CREATE)).resolves.toEqual({
        id: 'c0ffee',
        userId: 'u-0001',
        projectId: 'p-0001',
        type: 'ec2',
        blob: BLOB,
      });
    });

    it('reads the plain-text 500 as UPSTREAM_UNAVAILABLE, keeping the text as detail', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(500, SERVER_ERROR_TEXT, { headers: TEXT_HEADERS });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(error.detail).toBe('A server error occurred. Please contact the administrator.');
      expect(toClientError(error)).toEqual({
        code: ErrorCode.UpstreamUnavailable,
        message: 'Keystone failed (status 500).',
        upstream: { service: 'keystone', status: 500, requestId: null },
      });
    });

    it('maps 403 identity:create_credential to FORBIDDEN', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(403, {
          error: {
            code: 403,
            message: 'You are not authorized to perform the requested action: identity:create_credential.',
            title: 'Forbidden',
          },
        });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(toClientError(error).code).toBe(ErrorCode.Forbidden);
      expect(error.detail).toContain('identity:create_credential');
    });

    it('maps 409 (same access key twice) to CONFLICT', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(409, {
          error: { code: 409, message: 'Conflict occurred attempting to store credential - Duplicate entry.', title: 'Conflict' },
        });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(toClientError(error)).toMatchObject({ code: ErrorCode.Conflict, upstream: { status: 409 } });
    });

    it('maps 401 to UNAUTHENTICATED', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(401, {
          error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
        });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(toClientError(error).code).toBe(ErrorCode.Unauthenticated);
    });

    it('never shows the secret key or the token a 400 echoes back', async () => {
      const message = `Invalid input for field 'blob': {'user_id': 'u-0001', 'blob': '${BLOB}'} is not valid (token ${FERNET_TOKEN})`;
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(400, { error: { code: 400, message, title: 'Bad Request' } });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(everythingShown(error)).not.toContain(SECRET_KEY);
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
    });

    it('refuses a 201 without a readable credential as UPSTREAM_ERROR', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials', method: 'POST' })
        .reply(201, { credential: { id: 'c', type: 'ec2' } });
      const error = await upstreamFailure(credentials.createCredential(FERNET_TOKEN, CREATE));
      expect(error).toMatchObject({ failure: 'invalid-response', detail: 'credential without id, user_id, type or blob' });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
    });
  });

  describe('listCredentials', () => {
    it('GETs with the user_id filter and reads each credential', async () => {
      mock()
        .intercept({
          path: '/identity/v3/credentials?user_id=u-0001',
          method: 'GET',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN }),
        })
        .reply(200, {
          credentials: [credentialRecord(), credentialRecord({ id: 'c2', type: 'totp', blob: 'abc', project_id: null })],
          links: { self: `${BASE_URL}/credentials`, previous: null, next: null },
        });

      await expect(credentials.listCredentials(FERNET_TOKEN, { userId: 'u-0001' })).resolves.toEqual([
        { id: 'c0ffee', userId: 'u-0001', projectId: 'p-0001', type: 'ec2', blob: BLOB },
        { id: 'c2', userId: 'u-0001', projectId: undefined, type: 'totp', blob: 'abc' },
      ]);
    });

    it('adds the type filter', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials?user_id=u%2F1&type=ec2', method: 'GET' })
        .reply(200, { credentials: [] });
      await expect(credentials.listCredentials(FERNET_TOKEN, { userId: 'u/1', type: 'ec2' })).resolves.toEqual([]);
    });

    it('refuses a body without a credentials list, or an unreadable entry', async () => {
      mock().intercept({ path: '/identity/v3/credentials?user_id=u-0001', method: 'GET' }).reply(200, { credentials: null });
      mock()
        .intercept({ path: '/identity/v3/credentials?user_id=u-0001', method: 'GET' })
        .reply(200, { credentials: [{ id: 'c' }] });
      expect(await upstreamFailure(credentials.listCredentials(FERNET_TOKEN, { userId: 'u-0001' }))).toMatchObject({
        failure: 'invalid-response',
        detail: 'no credentials list',
      });
      expect(await upstreamFailure(credentials.listCredentials(FERNET_TOKEN, { userId: 'u-0001' }))).toMatchObject({
        failure: 'invalid-response',
      });
    });

    it('maps 403 to FORBIDDEN', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials?user_id=u-0001', method: 'GET' })
        .reply(403, { error: { code: 403, message: 'no' } });
      const error = await upstreamFailure(credentials.listCredentials(FERNET_TOKEN, { userId: 'u-0001' }));
      expect(toClientError(error).code).toBe(ErrorCode.Forbidden);
    });
  });

  describe('getCredential', () => {
    it.each([403, 404])('names %i credential-not-visible: NOT_FOUND with nothing of the upstream status', async (status) => {
      mock()
        .intercept({ path: '/identity/v3/credentials/c0ffee', method: 'GET' })
        .reply(status, { error: { code: status, message: 'no', title: 'No' } });
      const error = await upstreamFailure(credentials.getCredential(FERNET_TOKEN, 'c0ffee'));
      expect(error.reason).toBe('credential-not-visible');
      expect(toClientError(error)).toEqual({
        code: ErrorCode.NotFound,
        message: 'No AK/SK pair with this access key that you may manage.',
      });
    });

    it('leaves an outage an outage', async () => {
      mock().intercept({ path: '/identity/v3/credentials/c0ffee', method: 'GET' }).reply(503, 'down');
      const error = await upstreamFailure(credentials.getCredential(FERNET_TOKEN, 'c0ffee'));
      expect(error.reason).toBeUndefined();
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamUnavailable);
    });
  });

  describe('deleteCredential', () => {
    it('DELETEs the credential by id', async () => {
      mock()
        .intercept({
          path: '/identity/v3/credentials/c0ffee',
          method: 'DELETE',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN }),
        })
        .reply(204, '');
      await expect(credentials.deleteCredential(FERNET_TOKEN, 'c0ffee')).resolves.toBeUndefined();
    });

    it('encodes the id as one segment and refuses ..', async () => {
      mock().intercept({ path: '/identity/v3/credentials/..%2Fusers%2Fadmin', method: 'DELETE' }).reply(204, '');
      await credentials.deleteCredential(FERNET_TOKEN, '../users/admin');
      await expect(credentials.deleteCredential(FERNET_TOKEN, '..')).rejects.toThrow(TypeError);
    });

    it('maps 404 to NOT_FOUND', async () => {
      mock()
        .intercept({ path: '/identity/v3/credentials/gone', method: 'DELETE' })
        .reply(404, { error: { code: 404, message: 'Could not find credential: gone.', title: 'Not Found' } });
      const error = await upstreamFailure(credentials.deleteCredential(FERNET_TOKEN, 'gone'));
      expect(toClientError(error).code).toBe(ErrorCode.NotFound);
      expect(error.detail).toBe('Could not find credential: gone.');
    });
  });
});

describe('ec2 blobs', () => {
  it('round-trips the keys', () => {
    expect(JSON.parse(BLOB)).toEqual({ access: ACCESS_KEY, secret: SECRET_KEY });
    expect(parseEc2Blob(BLOB)).toEqual({ access: ACCESS_KEY, secret: SECRET_KEY });
  });

  it("reads blobs made by Keystone's EC2 extension (with trust_id)", () => {
    const blob = JSON.stringify({ access: 'a'.repeat(32), secret: 'b'.repeat(32), trust_id: null });
    expect(parseEc2Blob(blob)).toEqual({ access: 'a'.repeat(32), secret: 'b'.repeat(32) });
  });

  it.each(['not json', '[]', 'null', '{"access":"a"}', '{"access":"","secret":"s"}', '{"access":1,"secret":"s"}'])(
    'gives undefined for %s',
    (blob) => {
      expect(parseEc2Blob(blob)).toBeUndefined();
    },
  );
});
