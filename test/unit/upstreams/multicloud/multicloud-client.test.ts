import { MockAgent } from 'undici';
import { toClientError } from '../../../../src/errors/client-error';
import { ErrorCode } from '../../../../src/errors/error-code';
import { MulticloudClient } from '../../../../src/upstreams/multicloud/multicloud-client';
import { UpstreamError } from '../../../../src/errors/upstream-error';
import { FERNET_TOKEN } from '../keystone/keystone-fixtures';
import {
  exactHeaders,
  jsonBody,
  JSON_HEADERS,
  strictMockAgent,
  TEXT_HEADERS,
  upstreamFailure,
  upstreamHttp,
} from '../upstream-test-kit';

const ORIGIN = 'http://multicloud.test:8089';
const TARGET = { userId: 'u-0001', projectId: 'p-0001' };
const ACCESS_KEY = 'AKx7Qe2Lr9Tb4Wn1';
const SECRET_KEY = 'Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls';

const record = (accessKey: string, secretKey: string, projectId = 'p-0001') => ({
  project_id: projectId,
  user_id: 'u-0001',
  type: 'ec2',
  blob: { access_key: accessKey, secret_key: secretKey },
});

function everythingShown(error: UpstreamError): string {
  return [error.message, error.detail ?? '', String(error), JSON.stringify(toClientError(error)), error.stack ?? ''].join('\n');
}

describe('MulticloudClient', () => {
  let agent: MockAgent;
  let multicloud: MulticloudClient;
  beforeEach(() => {
    agent = strictMockAgent();
    multicloud = new MulticloudClient(upstreamHttp('multicloud', ORIGIN, agent));
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
  const mock = () => agent.get(ORIGIN);

  describe('createAkSk', () => {
    it('POSTs the flat body with X-Auth-Token and a JSON content-type', async () => {
      mock()
        .intercept({
          path: '/v1/p-0001/aksks',
          method: 'POST',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'content-type': 'application/json' }),
          body: jsonBody({ user_id: 'u-0001', project_id: 'p-0001' }),
        })
        .reply(200, { access_key: ACCESS_KEY, secret_key: SECRET_KEY }, { headers: JSON_HEADERS });

      await expect(multicloud.createAkSk(FERNET_TOKEN, TARGET)).resolves.toEqual({
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY,
        userId: 'u-0001',
        projectId: 'p-0001',
        type: 'ec2',
      });
    });

    it('accepts a 201 as well', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks', method: 'POST' })
        .reply(201, { access_key: ACCESS_KEY, secret_key: SECRET_KEY });
      await expect(multicloud.createAkSk(FERNET_TOKEN, TARGET)).resolves.toMatchObject({ accessKey: ACCESS_KEY });
    });

    it('maps the plain-text 400 for an unknown user or project to NOT_FOUND', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks', method: 'POST' })
        .reply(400, 'error in creating AKSK for the user, projectId or userId is invalid', { headers: TEXT_HEADERS });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(error.detail).toBe('error in creating AKSK for the user, projectId or userId is invalid');
      expect(toClientError(error)).toEqual({
        code: ErrorCode.NotFound,
        message: 'The user or project does not exist.',
        upstream: { service: 'multicloud', status: 400, requestId: null },
      });
    });

    it('maps the plain-text 401 to UNAUTHENTICATED', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks', method: 'POST' })
        .reply(401, 'get token failed,Resource not found', { headers: TEXT_HEADERS });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(toClientError(error)).toMatchObject({
        code: ErrorCode.Unauthenticated,
        message: 'The token is unknown, expired or revoked.',
      });
    });

    it('maps a 403 policy refusal to FORBIDDEN', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks', method: 'POST' }).reply(403, 'Forbidden', { headers: TEXT_HEADERS });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(toClientError(error).code).toBe(ErrorCode.Forbidden);
    });

    it('maps the go-micro 500 to UPSTREAM_UNAVAILABLE', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks', method: 'POST' })
        .reply(500, '{"id":"go.micro.client","code":408,"detail":"context deadline exceeded","status":"Request Timeout"}', {
          headers: TEXT_HEADERS,
        });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(error.detail).toContain('context deadline exceeded');
      expect(toClientError(error)).toMatchObject({ code: ErrorCode.UpstreamUnavailable, upstream: { status: 500 } });
    });

    it.each([
      ['without secret_key', JSON.stringify({ access_key: ACCESS_KEY })],
      ['with invalid JSON', '{"access_key": "AK'],
      ['that is empty', ''],
      ['that is a list', JSON.stringify([{ access_key: ACCESS_KEY, secret_key: SECRET_KEY }])],
    ])('refuses a 200 %s as UPSTREAM_ERROR', async (_what, body) => {
      mock().intercept({ path: '/v1/p-0001/aksks', method: 'POST' }).reply(200, body, { headers: JSON_HEADERS });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(error).toMatchObject({ failure: 'invalid-response', status: 200, detail: 'no access_key or secret_key' });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
    });

    it('never shows the token or a secret key the service echoes in an error', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks', method: 'POST' })
        .reply(500, `failed for token=${FERNET_TOKEN} with secret_key ${SECRET_KEY}`, { headers: TEXT_HEADERS });
      const error = await upstreamFailure(multicloud.createAkSk(FERNET_TOKEN, TARGET));
      expect(everythingShown(error)).not.toContain(FERNET_TOKEN);
      expect(everythingShown(error)).not.toContain(SECRET_KEY);
    });
  });

  describe('listAkSks', () => {
    it('GETs the user path with X-Auth-Token and reads every pair', async () => {
      mock()
        .intercept({
          path: '/v1/p-0001/aksks/u-0001',
          method: 'GET',
          headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN, 'content-type': undefined }),
        })
        .reply(200, [record(ACCESS_KEY, SECRET_KEY), record('0123456789abcdef0123456789abcdef', 'f'.repeat(32), 'p-other')], {
          headers: JSON_HEADERS,
        });

      await expect(multicloud.listAkSks(FERNET_TOKEN, TARGET)).resolves.toEqual([
        { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, userId: 'u-0001', projectId: 'p-0001', type: 'ec2' },
        // Pairs made through Keystone's EC2 extension: 32 hex characters each.
        {
          accessKey: '0123456789abcdef0123456789abcdef',
          secretKey: 'f'.repeat(32),
          userId: 'u-0001',
          projectId: 'p-other',
          type: 'ec2',
        },
      ]);
    });

    it('reads the body null (no pairs, or an unknown user) as []', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(200, 'null', { headers: JSON_HEADERS });
      await expect(multicloud.listAkSks(FERNET_TOKEN, TARGET)).resolves.toEqual([]);
    });

    // Regression: an empty 200 used to read as "no pairs", so a broken proxy made keys look gone.
    it('refuses an empty body: the service says "none" with null', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(200, '');
      await expect(multicloud.listAkSks(FERNET_TOKEN, TARGET)).rejects.toMatchObject({ failure: 'invalid-response' });
    });

    it('drops credentials that hold no key pair, and fills missing fields', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' })
        .reply(200, [
          { project_id: 'p-0001', user_id: 'u-0001', type: 'totp', blob: {} },
          { project_id: 'p-0001', user_id: 'u-0001', type: 'cert', blob: 'not an object' },
          { project_id: 'p-0001', user_id: 'u-0001', type: 'ec2', blob: { access_key: ACCESS_KEY } },
          { project_id: 'p-0001', user_id: 'u-0001', type: 'ec2' },
          null,
          'garbage',
          { blob: { access_key: ACCESS_KEY, secret_key: SECRET_KEY } },
        ]);
      await expect(multicloud.listAkSks(FERNET_TOKEN, TARGET)).resolves.toEqual([
        { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, userId: 'u-0001', projectId: '', type: 'ec2' },
      ]);
    });

    it.each([
      ['an object', JSON.stringify({ aksks: [] })],
      ['plain text', 'hello'],
      ['invalid JSON', '[{"blob": '],
    ])('refuses a 200 with %s as UPSTREAM_ERROR', async (_what, body) => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(200, body);
      const error = await upstreamFailure(multicloud.listAkSks(FERNET_TOKEN, TARGET));
      expect(error).toMatchObject({ failure: 'invalid-response', detail: 'not a list' });
      expect(toClientError(error).code).toBe(ErrorCode.UpstreamError);
    });

    it('maps the plain-text 401 to UNAUTHENTICATED and 403 to FORBIDDEN', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(401, 'token not found in header');
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(403, 'policy check failed');
      expect(toClientError(await upstreamFailure(multicloud.listAkSks(FERNET_TOKEN, TARGET))).code).toBe(
        ErrorCode.Unauthenticated,
      );
      expect(toClientError(await upstreamFailure(multicloud.listAkSks(FERNET_TOKEN, TARGET))).code).toBe(ErrorCode.Forbidden);
    });

    it('leaves a 400 on list as BAD_USER_INPUT (only create reads it as not found)', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(400, 'bad');
      expect(toClientError(await upstreamFailure(multicloud.listAkSks(FERNET_TOKEN, TARGET))).code).toBe(ErrorCode.BadUserInput);
    });
  });

  describe('deleteAkSks', () => {
    it('DELETEs the user path and accepts 200 {}', async () => {
      mock()
        .intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'DELETE', headers: exactHeaders({ 'x-auth-token': FERNET_TOKEN }) })
        .reply(200, {});
      await expect(multicloud.deleteAkSks(FERNET_TOKEN, TARGET)).resolves.toBeUndefined();
    });

    it('accepts a 204', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'DELETE' }).reply(204, '');
      await expect(multicloud.deleteAkSks(FERNET_TOKEN, TARGET)).resolves.toBeUndefined();
    });

    it('maps the plain-text 401 to UNAUTHENTICATED', async () => {
      mock().intercept({ path: '/v1/p-0001/aksks/u-0001', method: 'DELETE' }).reply(401, 'get token failed,Resource not found');
      const error = await upstreamFailure(multicloud.deleteAkSks(FERNET_TOKEN, TARGET));
      expect(toClientError(error).code).toBe(ErrorCode.Unauthenticated);
    });
  });

  describe('ids in the path', () => {
    it('encodes /, %2F, ? and # so they cannot change the route', async () => {
      mock().intercept({ path: '/v1/p%2F..%2Fadmin/aksks', method: 'POST' }).reply(200, { access_key: 'a', secret_key: 's' });
      mock().intercept({ path: '/v1/p-0001/aksks/u%252F1', method: 'GET' }).reply(200, []);
      mock().intercept({ path: '/v1/p-0001/aksks/u%3Fall%3D1%23x', method: 'DELETE' }).reply(200, {});

      await multicloud.createAkSk(FERNET_TOKEN, { userId: 'u', projectId: 'p/../admin' });
      await multicloud.listAkSks(FERNET_TOKEN, { userId: 'u%2F1', projectId: 'p-0001' });
      await multicloud.deleteAkSks(FERNET_TOKEN, { userId: 'u?all=1#x', projectId: 'p-0001' });
    });

    it.each(['..', '.', ''])('refuses the id %j before any call', async (id) => {
      // No interceptor: a call would fail as "unreachable", not as a TypeError.
      await expect(multicloud.listAkSks(FERNET_TOKEN, { userId: id, projectId: 'p-0001' })).rejects.toThrow(TypeError);
      await expect(multicloud.deleteAkSks(FERNET_TOKEN, { userId: 'u', projectId: id })).rejects.toThrow(TypeError);
      await expect(multicloud.createAkSk(FERNET_TOKEN, { userId: 'u', projectId: id })).rejects.toThrow(TypeError);
    });
  });

  it('forwards the gateway request id', async () => {
    mock()
      .intercept({
        path: '/v1/p-0001/aksks/u-0001',
        method: 'GET',
        headers: exactHeaders({ 'x-openstack-request-id': 'req-gw-2' }),
      })
      .reply(200, []);
    await multicloud.withRequestId('req-gw-2').listAkSks(FERNET_TOKEN, TARGET);
  });

  it('honours a base URL with a path prefix', async () => {
    const prefixed = new MulticloudClient(upstreamHttp('multicloud', 'http://gateway.test/multicloud/', agent));
    agent.get('http://gateway.test').intercept({ path: '/multicloud/v1/p-0001/aksks/u-0001', method: 'GET' }).reply(200, 'null');
    await expect(prefixed.listAkSks(FERNET_TOKEN, TARGET)).resolves.toEqual([]);
  });
});
