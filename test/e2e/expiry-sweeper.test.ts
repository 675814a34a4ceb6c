/**
 * Expiry enforced in Keystone through the real gateway over the embedded emulator: the sweeper,
 * ticked by hand with the gateway's clock moved past the expiry, switches the pair off as the
 * service identity and records `aksk.expired`; without a service identity `/readyz` and the log
 * say expiry is not enforced, and the gateway stays ready.
 */
import { startEmulator } from '../../src/emulator/emulator-server';
import { Caller, loginDemoUsers } from '../support/demo-callers';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { handTimer } from '../support/hand-timer';
import { manualClock } from '../support/manual-clock';
import { AK_SK, AkSkResult, CREATE_AK_SK } from '../support/operations';

const HOUR = 3_600_000;

describe.each(['keystone', 'multicloud'])('the expiry sweeper (%s backend)', (backend) => {
  let harness: GatewayHarness;
  let alice: Caller;
  const clock = manualClock();
  const sweeps = handTimer();
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { AKSK_BACKEND: backend }, now: clock.now, sweepTimer: sweeps.timer });
    alice = (await loginDemoUsers(harness, secrets)).alice;
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  const pairsOfAlice = async () =>
    dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId: alice.userId }, { token: alice.token })).akSk;

  it('switches a pair off in Keystone once its expiry passed, as the service, and records aksk.expired', async () => {
    const create = (expiresAt: number) =>
      harness.graphql<{ createAkSk: AkSkResult }>(
        CREATE_AK_SK,
        { input: { userId: alice.userId, expiresAt: new Date(expiresAt).toISOString() } },
        { token: alice.token },
      );
    const expiring = dataOf(await create(Date.now() + HOUR)).createAkSk;
    const lasting = dataOf(await create(Date.now() + 5 * HOUR)).createAkSk;
    secrets.push(expiring.secretKey, lasting.secretKey);

    await sweeps.tick();
    expect((await pairsOfAlice()).find((pair) => pair.accessKey === expiring.accessKey)?.type).toBe('ec2');

    clock.advance(2 * HOUR);
    await sweeps.tick();
    const after = await pairsOfAlice();
    expect(after.find((pair) => pair.accessKey === expiring.accessKey)?.type).toBe('ec2-inactive');
    expect(after.find((pair) => pair.accessKey === lasting.accessKey)?.type).toBe('ec2');

    const expired = harness.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.audit === true && line.event === 'aksk.expired');
    expect(expired).toEqual([
      expect.objectContaining({
        accessKey: expiring.accessKey,
        userId: alice.userId,
        projectId: alice.projectId,
        initiator: 'service',
        outcome: 'success',
        requestId: expect.stringMatching(/^sweep-/),
      }),
    ]);
  });

  it('/readyz reports expiry as enforced', async () => {
    const response = await fetch(`${harness.gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { expiry: unknown }).expiry).toEqual({ enforced: true, sweepMs: 60_000 });
  });
});

describe('without a service identity', () => {
  it('expiry is shown but not enforced: the log and /readyz say so, and the gateway stays ready', async () => {
    // Upstreams given to the harness: it does not borrow the emulator's service user.
    const emulator = await startEmulator();
    const harness = await startGatewayHarness({ upstreams: emulator });
    try {
      const response = await fetch(`${harness.gateway.url}/readyz`);
      const body = (await response.json()) as { ready: boolean; expiry: { enforced: boolean; reason: string } };
      expect(response.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.expiry.enforced).toBe(false);
      expect(body.expiry.reason).toMatch(/KEYSTONE_SERVICE_/);
      const warnings = harness.logLines.map((line) => JSON.parse(line) as { msg: string; level: number });
      expect(warnings).toContainEqual(expect.objectContaining({ msg: 'expiry not enforced in Keystone', level: 40 }));
    } finally {
      await harness.close();
      await emulator.close();
    }
  });
});
