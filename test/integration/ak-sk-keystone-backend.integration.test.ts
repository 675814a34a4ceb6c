import { DEMO_LOGINS } from '../../src/emulator/seed';
import { generateAkSkKeys } from '../../src/upstreams/credentials/ak-sk-keys';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import {
  AK_SK,
  AkSkResult,
  AuthTokenResult,
  CREATE_AK_SK,
  CREATE_DOWNLOAD_LINK,
  DELETE_AK_SK,
  DELETE_AK_SK_BY_ACCESS_KEY,
  LOGIN,
} from '../support/operations';
import { describeWithRealKeystone, KeystoneAdmin } from '../support/real-keystone';

const { admin, alice, bob, carol } = DEMO_LOGINS;

// Pairs of alice and carol only: other files work on other users of the shared Keystone.
describeWithRealKeystone('AK/SK pairs kept directly in a real Keystone (AKSK_BACKEND=keystone)', (keystoneUrl) => {
  const keystone = new KeystoneAdmin(keystoneUrl);
  let harness: GatewayHarness;
  let adminToken: string;
  let aliceToken: AuthTokenResult;
  let bobId: string;
  let carolId: string;
  let demoId: string;
  const secrets: string[] = [admin.password, alice.password];

  beforeAll(async () => {
    harness = await startGatewayHarness({ upstreams: { keystoneUrl }, env: { AKSK_BACKEND: 'keystone' } });
    adminToken = await keystone.passwordToken(admin.name, admin.password, 'admin');
    secrets.push(adminToken);
    aliceToken = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, { input: { username: alice.name, password: alice.password } }),
    ).login;
    secrets.push(aliceToken.token);
    bobId = await keystone.userId(adminToken, bob.name);
    carolId = await keystone.userId(adminToken, carol.name);
    demoId = await keystone.projectId(adminToken, 'demo');
    await keystone.deleteCredentialsOf(adminToken, aliceToken.user.id);
    await keystone.deleteCredentialsOf(adminToken, carolId);
  });
  afterAll(async () => {
    await keystone.deleteCredentialsOf(adminToken, aliceToken.user.id);
    await keystone.deleteCredentialsOf(adminToken, carolId);
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  const as = (token: string) => ({ token });

  it('runs the whole lifecycle for a member on her own pairs, stored as the multicloud service stores them', async () => {
    const userId = aliceToken.user.id;
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, as(aliceToken.token)),
    ).createAkSk;
    secrets.push(created.secretKey);
    expect(created).toMatchObject({ userId, projectId: demoId, type: 'ec2' });
    expect(created.accessKey).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(created.secretKey).toMatch(/^[0-9A-Za-z]{32}$/);

    // Exactly the multicloud service's storage format, as Keystone itself shows it.
    const stored = await keystone.call('GET', `/credentials?user_id=${userId}`, adminToken);
    expect(stored.body.credentials).toHaveLength(1);
    expect(stored.body.credentials[0]).toMatchObject({ user_id: userId, project_id: demoId, type: 'ec2' });
    expect(JSON.parse(stored.body.credentials[0].blob)).toEqual({
      access: created.accessKey,
      secret: created.secretKey,
      // The gateway's metadata rides in the same blob; Keystone and the multicloud service ignore it.
      created_at: created.createdAt,
      created_by: created.createdBy,
    });

    const listed = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, as(aliceToken.token))).akSk;
    expect(listed).toEqual([created]);

    const link = dataOf(
      await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
        CREATE_DOWNLOAD_LINK,
        { userId, format: 'CSV' },
        as(aliceToken.token),
      ),
    ).createAkSkDownloadLink;
    const file = await fetch(new URL(link.url, harness.gateway.url));
    expect(file.status).toBe(200);
    expect(await file.text()).toContain(`${userId},${demoId},ec2,${created.accessKey},${created.secretKey}`);

    const deleted = dataOf(
      await harness.graphql<{ deleteAkSk: { deletedAccessKeys: string[] } }>(DELETE_AK_SK, { userId }, as(aliceToken.token)),
    ).deleteAkSk;
    expect(deleted.deletedAccessKeys).toEqual([created.accessKey]);
    expect(dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, as(aliceToken.token))).akSk).toEqual([]);
  });

  it("deletes only AK/SK (ec2) credentials, not the user's other ones", async () => {
    const userId = aliceToken.user.id;
    const other = await keystone.call('POST', '/credentials', adminToken, {
      credential: { user_id: userId, type: 'totp', blob: 'GEZDGNBVGY3TQOJQ' },
    });
    expect(other.status).toBe(201);
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, as(aliceToken.token)),
    ).createAkSk;
    secrets.push(created.secretKey);
    await harness.graphql(DELETE_AK_SK, { userId }, as(aliceToken.token));
    const left = await keystone.call('GET', `/credentials?user_id=${userId}`, adminToken);
    expect(left.body.credentials.map((credential: { type: string }) => credential.type)).toEqual(['totp']);
  });

  it('lists, downloads and deletes pairs made by `openstack ec2 credentials create` (32-hex keys)', async () => {
    const userId = aliceToken.user.id;
    const ec2 = await keystone.call('POST', `/users/${userId}/credentials/OS-EC2`, aliceToken.token, { tenant_id: demoId });
    expect(ec2.status).toBe(201);
    const { access, secret } = ec2.body.credential;
    secrets.push(secret);
    expect(access).toMatch(/^[0-9a-f]{32}$/);

    const listed = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, as(aliceToken.token))).akSk;
    // Made outside the gateway: no metadata, and active.
    expect(listed).toEqual([
      {
        accessKey: access,
        secretKey: secret,
        userId,
        projectId: demoId,
        type: 'ec2',
        status: 'ACTIVE',
        description: null,
        createdAt: null,
        createdBy: null,
        expiresAt: null,
      },
    ]);

    const deleted = dataOf(
      await harness.graphql<{ deleteAkSkByAccessKey: Record<string, unknown> }>(
        DELETE_AK_SK_BY_ACCESS_KEY,
        { accessKey: access },
        as(aliceToken.token),
      ),
    ).deleteAkSkByAccessKey;
    expect(deleted).toEqual({ accessKey: access, userId, projectId: demoId });
    expect(dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, as(aliceToken.token))).akSk).toEqual([]);

    const again = await harness.graphql(DELETE_AK_SK_BY_ACCESS_KEY, { accessKey: access }, as(aliceToken.token));
    expect(again.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it("deleting someone else's pair by access key is NOT_FOUND for a member: no oracle of whose keys exist", async () => {
    // Straight into Keystone: carol has no role anywhere, so the gateway would not bind her a pair.
    const keys = generateAkSkKeys();
    const blob = JSON.stringify({ access: keys.access, secret: keys.secret });
    const stored = await keystone.call('POST', '/credentials', adminToken, {
      credential: { user_id: carolId, project_id: demoId, type: 'ec2', blob },
    });
    expect(stored.status).toBe(201);
    secrets.push(keys.secret);
    const created = { accessKey: keys.access };
    const response = await harness.graphql(DELETE_AK_SK_BY_ACCESS_KEY, { accessKey: created.accessKey }, as(aliceToken.token));
    expect(response.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND' });
    const stillThere = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: carolId }, as(adminToken))).akSk;
    expect(stillThere.map((pair) => pair.accessKey)).toContain(created.accessKey);
  });

  it('a member creating a pair for another user: FORBIDDEN', async () => {
    const response = await harness.graphql(CREATE_AK_SK, { input: { userId: bobId } }, as(aliceToken.token));
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', upstream: { service: 'keystone', status: 403 } });
  });

  it("a member reading another user's pairs: FORBIDDEN, not a misleading empty list", async () => {
    const response = await harness.graphql(AK_SK, { userId: bobId }, as(aliceToken.token));
    expect(response.data).toBeNull();
    expect(response.errors?.[0]).toMatchObject({
      message: "Only an admin may list another user's AK/SK pairs.",
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it("an admin manages another user's pairs; an unknown user is NOT_FOUND", async () => {
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: aliceToken.user.id, projectId: demoId } },
        as(adminToken),
      ),
    ).createAkSk;
    secrets.push(created.secretKey);
    expect(created).toMatchObject({ userId: aliceToken.user.id, projectId: demoId });
    const alicePairs = dataOf(
      await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: aliceToken.user.id }, as(adminToken)),
    ).akSk;
    expect(alicePairs).toContainEqual(created);

    const unknown = await harness.graphql(
      CREATE_AK_SK,
      { input: { userId: '0123456789abcdef0123456789abcdef' } },
      as(adminToken),
    );
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', upstream: { service: 'keystone', status: 404 } });
    const unknownList = await harness.graphql(AK_SK, { userId: '0123456789abcdef0123456789abcdef' }, as(adminToken));
    expect(unknownList.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  // Regression (security review, finding 4): Keystone stores a credential for any project; the
  // gateway asks GET /users/{id}/projects first, which a member may ask about itself only.
  it('refuses a pair in a project its user has no role on: BAD_USER_INPUT for the member and for an admin', async () => {
    const noRole = {
      message: 'The user has no role on that project: a pair must belong to a project its user works in.',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    const adminProject = await keystone.projectId(adminToken, 'admin');
    const own = await harness.graphql(
      CREATE_AK_SK,
      { input: { userId: aliceToken.user.id, projectId: adminProject } },
      as(aliceToken.token),
    );
    expect(own.errors?.[0]).toMatchObject(noRole);
    const forCarol = await harness.graphql(CREATE_AK_SK, { input: { userId: carolId, projectId: demoId } }, as(adminToken));
    expect(forCarol.errors?.[0]).toMatchObject(noRole);
    const carolPairs = await keystone.call('GET', `/credentials?user_id=${carolId}&type=ec2`, adminToken);
    expect(
      carolPairs.body.credentials.filter((credential: { project_id: string }) => credential.project_id === adminProject),
    ).toEqual([]);
  });
});
