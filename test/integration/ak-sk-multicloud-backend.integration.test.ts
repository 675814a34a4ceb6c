import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS } from '../../src/emulator/seed';
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

const { admin, alice, bob } = DEMO_LOGINS;

// The multicloud emulator sits on the real Keystone, as the real service does: the gateway's
// multicloud path is then proven end to end against real token validation and storage.
// Pairs of bob only: other files work on other users of the shared Keystone.
describeWithRealKeystone('AK/SK pairs through the multicloud service on a real Keystone', (keystoneUrl) => {
  const keystone = new KeystoneAdmin(keystoneUrl);
  let multicloud: RunningEmulator;
  let harness: GatewayHarness;
  let adminToken: string;
  let bobToken: AuthTokenResult;
  let aliceId: string;
  let demoId: string;
  const secrets: string[] = [admin.password, bob.password];

  beforeAll(async () => {
    multicloud = await startEmulator({ keystoneUrl });
    harness = await startGatewayHarness({
      upstreams: { keystoneUrl, multicloudUrl: multicloud.multicloudUrl },
      env: { AKSK_BACKEND: 'multicloud' },
    });
    adminToken = await keystone.passwordToken(admin.name, admin.password, 'admin');
    secrets.push(adminToken);
    bobToken = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: bob.name, password: bob.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    secrets.push(bobToken.token);
    aliceId = await keystone.userId(adminToken, alice.name);
    demoId = bobToken.project!.id;
    await keystone.deleteCredentialsOf(adminToken, bobToken.user.id);
  });
  afterAll(async () => {
    await keystone.deleteCredentialsOf(adminToken, bobToken.user.id);
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
    await multicloud.close();
  });

  const asBob = () => ({ token: bobToken.token });

  it('runs the whole lifecycle, and the pair is a Keystone ec2 credential', async () => {
    const userId = bobToken.user.id;
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, asBob()),
    ).createAkSk;
    secrets.push(created.secretKey);
    expect(created).toMatchObject({ userId, projectId: demoId, type: 'ec2' });

    const stored = await keystone.call('GET', `/credentials?user_id=${userId}`, adminToken);
    expect(JSON.parse(stored.body.credentials[0].blob)).toEqual({
      access: created.accessKey,
      secret: created.secretKey,
      // The gateway's metadata rides in the same blob; Keystone and the multicloud service ignore it.
      created_at: created.createdAt,
      created_by: created.createdBy,
    });

    expect(dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, asBob())).akSk).toEqual([created]);

    const link = dataOf(
      await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(CREATE_DOWNLOAD_LINK, { userId }, asBob()),
    ).createAkSkDownloadLink;
    const file = await fetch(new URL(link.url, harness.gateway.url));
    expect(await file.json()).toEqual([
      {
        project_id: demoId,
        user_id: userId,
        type: 'ec2',
        blob: { access_key: created.accessKey, secret_key: created.secretKey },
      },
    ]);

    const deleted = dataOf(
      await harness.graphql<{ deleteAkSk: Record<string, unknown> }>(DELETE_AK_SK, { userId }, asBob()),
    ).deleteAkSk;
    expect(deleted).toEqual({ userId, projectId: demoId, deletedAccessKeys: null });
    expect(dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, asBob())).akSk).toEqual([]);
  });

  it('deletes one pair by access key through Keystone, leaving the others', async () => {
    const userId = bobToken.user.id;
    const first = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, asBob()),
    ).createAkSk;
    const second = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, asBob()),
    ).createAkSk;
    secrets.push(first.secretKey, second.secretKey);
    const deleted = dataOf(
      await harness.graphql<{ deleteAkSkByAccessKey: Record<string, unknown> }>(
        DELETE_AK_SK_BY_ACCESS_KEY,
        { accessKey: first.accessKey },
        asBob(),
      ),
    ).deleteAkSkByAccessKey;
    expect(deleted).toEqual({ accessKey: first.accessKey, userId, projectId: demoId });
    expect(dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, asBob())).akSk).toEqual([second]);
  });

  // Refused by the gateway's question to Keystone (GET /users/{id}/projects), before the multicloud service is asked.
  it('a member creating a pair for another user: FORBIDDEN, from Keystone', async () => {
    const response = await harness.graphql(CREATE_AK_SK, { input: { userId: aliceId } }, asBob());
    expect(response.errors?.[0]).toMatchObject({
      message: "Only an admin may manage another user's AK/SK pairs.",
      extensions: { code: 'FORBIDDEN', upstream: { service: 'keystone', status: 403 } },
    });
  });

  it("a member reading another user's pairs: FORBIDDEN", async () => {
    const response = await harness.graphql(AK_SK, { userId: aliceId }, asBob());
    expect(response.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('an unknown user: NOT_FOUND for an admin; FORBIDDEN for a member, who may only manage itself', async () => {
    const unknownUser = { input: { userId: '0123456789abcdef0123456789abcdef' } };
    const byAdmin = await harness.graphql(CREATE_AK_SK, unknownUser, { token: adminToken });
    expect(byAdmin.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', upstream: { service: 'keystone', status: 404 } });
    const byMember = await harness.graphql(CREATE_AK_SK, unknownUser, asBob());
    expect(byMember.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: { service: 'keystone', status: 403 },
    });
  });
});
