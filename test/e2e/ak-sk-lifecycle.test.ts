/**
 * Status, metadata, switching off and on through the real gateway, on both backends of the
 * embedded emulator: through the multicloud service (metadata patched into Keystone afterwards)
 * and directly in Keystone's credentials API.
 */
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import {
  ACTIVATE_AK_SK,
  AK_SK,
  AkSkResult,
  AuthTokenResult,
  CREATE_AK_SK,
  DEACTIVATE_AK_SK,
  DELETE_AK_SK_BY_ACCESS_KEY,
  LOGIN,
  UPDATE_AK_SK,
} from '../support/operations';

const { alice, bob } = DEMO_LOGINS;
const DAY = 86_400_000;

describe.each(['multicloud', 'keystone'])('the AK/SK lifecycle through the gateway (%s backend)', (backend) => {
  let harness: GatewayHarness;
  let aliceToken: string;
  let aliceId: string;
  let bobToken: string;
  const secrets: string[] = [alice.password, bob.password];

  async function login(user: { name: string; password: string }): Promise<AuthTokenResult> {
    const result = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: user.name, password: user.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    secrets.push(result.token);
    return result;
  }

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { AKSK_BACKEND: backend } });
    const aliceLogin = await login(alice);
    aliceToken = aliceLogin.token;
    aliceId = aliceLogin.user.id;
    bobToken = (await login(bob)).token;
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  async function listed(accessKey: string): Promise<AkSkResult | undefined> {
    const pairs = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: aliceId }, { token: aliceToken })).akSk;
    return pairs.find((pair) => pair.accessKey === accessKey);
  }

  it('creates a pair with a description and an expiry, then reads them back', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const before = Date.now();
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: aliceId, description: 'CI uploader', expiresAt } },
        { token: aliceToken },
      ),
    ).createAkSk;
    secrets.push(created.secretKey);
    expect(created).toMatchObject({ status: 'ACTIVE', type: 'ec2', description: 'CI uploader', expiresAt, createdBy: aliceId });
    expect(new Date(created.createdAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await listed(created.accessKey)).toEqual(created);
  });

  it('refuses an expiry in the past and a description that is too long, creating nothing', async () => {
    const before = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: aliceId }, { token: aliceToken })).akSk;
    for (const input of [
      { userId: aliceId, expiresAt: new Date(Date.now() - 1000).toISOString() },
      { userId: aliceId, description: 'x'.repeat(256) },
    ]) {
      const response = await harness.graphql(CREATE_AK_SK, { input }, { token: aliceToken });
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const after = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: aliceId }, { token: aliceToken })).akSk;
    expect(after.map((pair) => pair.accessKey)).toEqual(before.map((pair) => pair.accessKey));
  });

  it('changes the description, clears the expiry, switches the pair off and on with the same keys, then deletes it', async () => {
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: aliceId, expiresAt: new Date(Date.now() + DAY).toISOString() } },
        { token: aliceToken },
      ),
    ).createAkSk;
    secrets.push(created.secretKey);
    const { accessKey } = created;

    const updated = dataOf(
      await harness.graphql<{ updateAkSk: AkSkResult }>(
        UPDATE_AK_SK,
        { input: { accessKey, description: 'backup job', expiresAt: null } },
        { token: aliceToken },
      ),
    ).updateAkSk;
    expect(updated).toMatchObject({ description: 'backup job', expiresAt: null, createdAt: created.createdAt, status: 'ACTIVE' });

    const off = dataOf(
      await harness.graphql<{ deactivateAkSk: AkSkResult }>(DEACTIVATE_AK_SK, { accessKey }, { token: aliceToken }),
    ).deactivateAkSk;
    expect(off).toMatchObject({
      accessKey,
      secretKey: created.secretKey,
      status: 'INACTIVE',
      type: 'ec2-inactive',
      description: 'backup job',
    });
    expect(await listed(accessKey)).toEqual(off);

    const refused = await harness.graphql(ACTIVATE_AK_SK, { accessKey }, { token: bobToken });
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const on = dataOf(
      await harness.graphql<{ activateAkSk: AkSkResult }>(ACTIVATE_AK_SK, { accessKey }, { token: aliceToken }),
    ).activateAkSk;
    expect(on).toMatchObject({
      accessKey,
      secretKey: created.secretKey,
      status: 'ACTIVE',
      type: 'ec2',
      description: 'backup job',
    });

    await harness.graphql(DEACTIVATE_AK_SK, { accessKey }, { token: aliceToken });
    const deleted = await harness.graphql(DELETE_AK_SK_BY_ACCESS_KEY, { accessKey }, { token: aliceToken });
    expect(dataOf(deleted)).toEqual({ deleteAkSkByAccessKey: { accessKey, userId: aliceId, projectId: created.projectId } });
    expect(await listed(accessKey)).toBeUndefined();
  });

  it('answers NOT_FOUND for an access key nobody has, and BAD_USER_INPUT for a malformed one', async () => {
    const missing = await harness.graphql(DEACTIVATE_AK_SK, { accessKey: 'NOSUCHKEY0000000' }, { token: aliceToken });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const malformed = await harness.graphql(UPDATE_AK_SK, { input: { accessKey: 'bad key/..' } }, { token: aliceToken });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
