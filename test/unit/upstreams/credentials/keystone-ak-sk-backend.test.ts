import { toClientError } from '../../../../src/errors/client-error';
import { MockAgent } from 'undici';
import { CredentialsClient } from '../../../../src/upstreams/credentials/credentials-client';
import { ec2CredentialId, KeystoneAkSkBackend } from '../../../../src/upstreams/credentials/keystone-ak-sk-backend';
import { KeystoneClient } from '../../../../src/upstreams/keystone/keystone-client';
import { FERNET_TOKEN } from '../keystone/keystone-fixtures';
import { JSON_HEADERS, strictMockAgent, upstreamFailure, upstreamHttp } from '../upstream-test-kit';

const ORIGIN = 'http://keystone.test';
const TARGET = { userId: 'u-0001', projectId: 'p-0001' };
const USER = { user: { id: 'u-0001', name: 'alice', domain_id: 'default', enabled: true } };
const PROJECT = { project: { id: 'p-0001', name: 'demo', domain_id: 'default', enabled: true } };

describe('KeystoneAkSkBackend', () => {
  let agent: MockAgent;
  let backend: KeystoneAkSkBackend;
  const created: Array<{ access: string; secret: string }> = [];

  beforeEach(() => {
    agent = strictMockAgent();
    const http = upstreamHttp('keystone', `${ORIGIN}/v3`, agent);
    backend = new KeystoneAkSkBackend(new CredentialsClient(http), new KeystoneClient(http));
    created.length = 0;
  });
  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  const keystone = () => agent.get(ORIGIN);
  const targetExists = () => {
    keystone().intercept({ path: '/v3/users/u-0001', method: 'GET' }).reply(200, USER, { headers: JSON_HEADERS });
    keystone().intercept({ path: '/v3/projects/p-0001', method: 'GET' }).reply(200, PROJECT, { headers: JSON_HEADERS });
  };
  /** Answers a credential POST with `status`, keeping the keys the gateway sent. */
  const credentialPost = (status: number) =>
    keystone()
      .intercept({ path: '/v3/credentials', method: 'POST' })
      .reply(
        status,
        (options) => {
          const { credential } = JSON.parse(options.body as string);
          created.push(JSON.parse(credential.blob));
          expect(credential).toMatchObject({ user_id: 'u-0001', project_id: 'p-0001', type: 'ec2' });
          return status === 201
            ? { credential: { id: 'c', ...credential } }
            : { error: { code: status, message: 'Conflict', title: 'Conflict' } };
        },
        { headers: JSON_HEADERS },
      );

  it('stores a pair as the multicloud service does: ec2, blob {"access","secret"}, 16 and 32 alphanumerics', async () => {
    targetExists();
    credentialPost(201);
    const pair = await backend.createAkSk(FERNET_TOKEN, TARGET);
    expect(created).toHaveLength(1);
    expect(Object.keys(created[0])).toEqual(['access', 'secret']);
    expect(pair).toEqual({ accessKey: created[0].access, secretKey: created[0].secret, ...TARGET, type: 'ec2', metadata: {} });
    expect(pair.accessKey).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(pair.secretKey).toMatch(/^[0-9A-Za-z]{32}$/);
  });

  it('retries an access-key collision (409) with a new key', async () => {
    targetExists();
    credentialPost(409);
    credentialPost(201);
    const pair = await backend.createAkSk(FERNET_TOKEN, TARGET);
    expect(created).toHaveLength(2);
    expect(created[0].access).not.toBe(created[1].access);
    expect(pair.accessKey).toBe(created[1].access);
  });

  it('gives up after three collisions with CONFLICT, never looping', async () => {
    targetExists();
    credentialPost(409);
    credentialPost(409);
    credentialPost(409);
    const error = await upstreamFailure(backend.createAkSk(FERNET_TOKEN, TARGET));
    expect(error.status).toBe(409);
    expect(created).toHaveLength(3);
  });

  it('refuses a user that does not exist before storing anything (Keystone would store it)', async () => {
    keystone()
      .intercept({ path: '/v3/users/u-0001', method: 'GET' })
      .reply(
        404,
        { error: { code: 404, message: 'Could not find user: u-0001.', title: 'Not Found' } },
        { headers: JSON_HEADERS },
      );
    keystone().intercept({ path: '/v3/projects/p-0001', method: 'GET' }).reply(200, PROJECT, { headers: JSON_HEADERS });
    const error = await upstreamFailure(backend.createAkSk(FERNET_TOKEN, TARGET));
    expect(error.reason).toBe('user-not-found');
    expect(toClientError(error).code).toBe('NOT_FOUND');
  });

  it('lists and deletes only AK/SK credentials, active or inactive, and says which access keys it deleted', async () => {
    const credential = (access: string, type = 'ec2', id = ec2CredentialId(access)) => ({
      id,
      user_id: 'u-0001',
      project_id: 'p-0001',
      type,
      blob: JSON.stringify({ access, secret: 's'.repeat(32) }),
    });
    keystone()
      .intercept({ path: '/v3/credentials?user_id=u-0001', method: 'GET' })
      .reply(
        200,
        {
          credentials: [
            credential('AAAAAAAAAAAAAAAA'),
            credential('0123456789abcdef0123456789abcdef'),
            credential('BBBBBBBBBBBBBBBB', 'ec2-inactive', 'c0ffee'),
            { ...credential('CCCCCCCCCCCCCCCC', 'totp', 'beef'), blob: 'JBSWY3DPEHPK3PXP' },
          ],
        },
        { headers: JSON_HEADERS },
      );
    for (const id of [ec2CredentialId('AAAAAAAAAAAAAAAA'), ec2CredentialId('0123456789abcdef0123456789abcdef'), 'c0ffee']) {
      keystone()
        .intercept({ path: `/v3/credentials/${id}`, method: 'DELETE' })
        .reply(204, '');
    }
    expect(await backend.deleteAkSks(FERNET_TOKEN, TARGET)).toEqual([
      'AAAAAAAAAAAAAAAA',
      '0123456789abcdef0123456789abcdef',
      'BBBBBBBBBBBBBBBB',
    ]);
  });

  // Keystone: `hashlib.sha256(access.encode('utf-8')).hexdigest()` (the vector is Python's).
  it("derives an ec2 credential's id from its access key, as Keystone does", () => {
    expect(ec2CredentialId('AKIAEXAMPLE')).toBe('caae15ff5d193ec5ecb4957747fe3708fe3f6fbcf607b63dae2a7b813cc0d513');
  });
});
