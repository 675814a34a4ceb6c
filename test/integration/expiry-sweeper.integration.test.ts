/**
 * Expiry enforced by a real Keystone: a pair made through the gateway with an expiry a little
 * ahead is accepted by Keystone's own `/v3/ec2tokens`; once the gateway's clock passes the
 * expiry and the sweeper ticks, Keystone refuses it.
 */
import { signProbe } from '../../src/auth/sigv4-signer';
import { loadConfig } from '../../src/config';
import { DEMO_LOGINS, seededServiceIdentity } from '../../src/emulator/seed';
import { UpstreamError } from '../../src/errors/upstream-error';
import { createUpstreams, Upstreams } from '../../src/upstreams/create-upstreams';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { handTimer } from '../support/hand-timer';
import { recordSecrets } from '../support/log-audit';
import { manualClock } from '../support/manual-clock';
import { AkSkResult, AuthTokenResult, CREATE_AK_SK, DELETE_AK_SK_BY_ACCESS_KEY, LOGIN } from '../support/operations';
import { describeWithRealKeystone, KeystoneAdmin } from '../support/real-keystone';

const MINUTE = 60_000;

describeWithRealKeystone('the expiry sweeper against a real Keystone', (keystoneUrl) => {
  let harness: GatewayHarness;
  let upstreams: Upstreams;
  let adminToken: string;
  let alice: AuthTokenResult;
  const clock = manualClock();
  const sweeps = handTimer();
  const secrets: string[] = [];

  beforeAll(async () => {
    const service = seededServiceIdentity();
    harness = await startGatewayHarness({
      upstreams: { keystoneUrl },
      env: {
        AKSK_BACKEND: 'keystone',
        KEYSTONE_SERVICE_USERNAME: service.username,
        KEYSTONE_SERVICE_PASSWORD: service.password,
        KEYSTONE_SERVICE_PROJECT: service.projectName,
      },
      now: clock.now,
      sweepTimer: sweeps.timer,
    });
    upstreams = createUpstreams({ keystoneUrl }, { akSkBackend: 'keystone', settings: loadConfig({}).upstreams });
    // ec2tokens is admin-or-service by Keystone's policy.
    adminToken = await new KeystoneAdmin(keystoneUrl).passwordToken(DEMO_LOGINS.admin.name, DEMO_LOGINS.admin.password, 'admin');
    alice = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: DEMO_LOGINS.alice.name, password: DEMO_LOGINS.alice.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    secrets.push(adminToken, alice.token, DEMO_LOGINS.alice.password, service.password);
    recordSecrets([adminToken]);
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
    await upstreams.close();
  });

  /** Keystone's own verdict on a request signed with the pair. */
  async function keystoneAccepts(pair: AkSkResult): Promise<boolean> {
    const probe = signProbe(pair.accessKey, pair.secretKey, { region: 'RegionOne', service: 's3' }, Date.now());
    try {
      await upstreams.keystone.createEc2Token(adminToken, probe);
      return true;
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(401, 404)) return false;
      throw error;
    }
  }

  it('Keystone accepts the pair until its expiry passes and the sweeper ticks, then refuses it', async () => {
    // Just ahead: a sweep moved only a little past it touches no other test's pairs on this shared Keystone.
    const expiresAt = new Date(Date.now() + 2 * MINUTE);
    const pair = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: alice.user.id, expiresAt: expiresAt.toISOString() } },
        { token: alice.token },
      ),
    ).createAkSk;
    secrets.push(pair.secretKey);
    try {
      await sweeps.tick();
      expect(await keystoneAccepts(pair)).toBe(true);

      clock.advance(3 * MINUTE);
      await sweeps.tick();
      expect(await keystoneAccepts(pair)).toBe(false);
      const line = harness.logLines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.audit === true && entry.event === 'aksk.expired' && entry.accessKey === pair.accessKey);
      expect(line).toMatchObject({ initiator: 'service', outcome: 'success', userId: alice.user.id });
    } finally {
      await harness.graphql(DELETE_AK_SK_BY_ACCESS_KEY, { accessKey: pair.accessKey }, { token: alice.token });
    }
  });
});
