/**
 * Rotation and the per-user limit through the gateway against a real Keystone, judged by
 * Keystone itself: `/v3/ec2tokens` (asked with an admin token, its policy being admin-or-service)
 * accepts a request signed with the new pair and refuses one signed with the previous pair.
 * The pairs belong to a throwaway member of demo: other suites work on the seeded users of the
 * shared Keystone at the same time.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_LOGINS, SERVICE_LOGIN } from '../../src/emulator/seed';
import { ec2TokensStatus } from '../support/ec2-signature';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { AK_SK, AkSkResult, AuthTokenResult, CREATE_AK_SK, LOGIN, ROTATE_AK_SK } from '../support/operations';
import { describeWithRealKeystone, KeystoneAdmin } from '../support/real-keystone';

const MAX_PER_USER = 3;

describeWithRealKeystone('rotation and the per-user limit against a real Keystone', (keystoneUrl) => {
  const keystone = new KeystoneAdmin(keystoneUrl);
  let harness: GatewayHarness;
  let adminToken: string;
  const owner = { id: '', token: '', name: `rotation-${randomUUID().slice(0, 8)}`, password: randomUUID() };
  const secrets: string[] = [owner.password];

  beforeAll(async () => {
    adminToken = await keystone.passwordToken(DEMO_LOGINS.admin.name, DEMO_LOGINS.admin.password, 'admin');
    secrets.push(adminToken);
    recordSecrets(secrets);
    const created = await keystone.call('POST', '/users', adminToken, {
      user: { name: owner.name, password: owner.password, domain_id: 'default' },
    });
    owner.id = created.body.user.id;
    const demoId = await keystone.projectId(adminToken, 'demo');
    const member = (await keystone.call('GET', '/roles?name=member', adminToken)).body.roles[0].id;
    expect((await keystone.call('PUT', `/projects/${demoId}/users/${owner.id}/roles/${member}`, adminToken)).status).toBe(204);

    harness = await startGatewayHarness({
      upstreams: { keystoneUrl },
      env: {
        AKSK_BACKEND: 'keystone',
        AKSK_MAX_PER_USER: String(MAX_PER_USER),
        KEYSTONE_SERVICE_USERNAME: SERVICE_LOGIN.name,
        KEYSTONE_SERVICE_PASSWORD: SERVICE_LOGIN.password,
        KEYSTONE_SERVICE_PROJECT: SERVICE_LOGIN.project,
      },
    });
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: owner.name, password: owner.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    owner.token = login.token;
    secrets.push(login.token);
  });
  beforeEach(async () => {
    await keystone.deleteCredentialsOf(adminToken, owner.id);
  });
  afterAll(async () => {
    if (owner.id) {
      await keystone.deleteCredentialsOf(adminToken, owner.id);
      await keystone.call('DELETE', `/users/${owner.id}`, adminToken);
    }
    if (harness) {
      expectNoSecretsIn(harness.logLines, secrets);
      await harness.close();
    }
  });

  async function create(): Promise<{ data?: { createAkSk: AkSkResult } | null; code: string }> {
    const response = await harness.graphql<{ createAkSk: AkSkResult }>(
      CREATE_AK_SK,
      { input: { userId: owner.id, description: 'rotation test' } },
      { token: owner.token },
    );
    if (response.data?.createAkSk) secrets.push(response.data.createAkSk.secretKey);
    return { data: response.data, code: response.errors ? String(response.errors[0].extensions?.code) : 'OK' };
  }

  const keysOf = (pair: AkSkResult) => ({ access: pair.accessKey, secret: pair.secretKey });

  /** The pairs `openstack ec2 credentials list` shows the owner. */
  async function osEc2AccessKeys(): Promise<string[]> {
    const { body } = await keystone.call('GET', `/users/${owner.id}/credentials/OS-EC2`, adminToken);
    return body.credentials.map((credential: { access: string }) => credential.access);
  }

  it("after rotation Keystone's ec2tokens accepts the new pair and refuses the previous one", async () => {
    const old = (await create()).data!.createAkSk;
    expect(await ec2TokensStatus(keystoneUrl, adminToken, keysOf(old))).toBe(200);

    const rotated = await harness.graphql<{ rotateAkSk: { newPair: AkSkResult; previousPair: AkSkResult } }>(
      ROTATE_AK_SK,
      { accessKey: old.accessKey },
      { token: owner.token },
    );
    const { newPair, previousPair } = dataOf(rotated).rotateAkSk;
    secrets.push(newPair.secretKey);
    expect(newPair).toMatchObject({ userId: owner.id, projectId: old.projectId, description: 'rotation test', status: 'ACTIVE' });
    expect(previousPair).toMatchObject({ accessKey: old.accessKey, secretKey: old.secretKey, status: 'INACTIVE' });

    expect(await ec2TokensStatus(keystoneUrl, adminToken, keysOf(newPair))).toBe(200);
    // Refused: no `ec2` credential has the id sha256(access key) any more, Keystone's 404 "Could not find credential".
    expect(await ec2TokensStatus(keystoneUrl, adminToken, keysOf(old))).toBe(404);
    expect(await osEc2AccessKeys()).toEqual([newPair.accessKey]);
  });

  it(`20 concurrent creates never pass AKSK_MAX_PER_USER (${MAX_PER_USER}); a rotation at the limit changes nothing`, async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => create()));
    const codes = answers.map((answer) => answer.code);
    expect(codes.filter((code) => code === 'OK')).toHaveLength(MAX_PER_USER);
    expect(codes.filter((code) => code === 'QUOTA_EXCEEDED')).toHaveLength(20 - MAX_PER_USER);
    const listed = dataOf(
      await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: owner.id }, { token: owner.token }),
    ).akSk;
    expect(listed).toHaveLength(MAX_PER_USER);

    const refused = await harness.graphql(ROTATE_AK_SK, { accessKey: listed[0].accessKey }, { token: owner.token });
    expect(refused.errors?.[0].extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(await ec2TokensStatus(keystoneUrl, adminToken, keysOf(listed[0]))).toBe(200);
    expect((await osEc2AccessKeys()).sort()).toEqual(listed.map((pair) => pair.accessKey).sort());
  });
});
