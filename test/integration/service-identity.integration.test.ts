import { ServiceIdentity } from '../../src/auth/service-identity';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS, seededServiceIdentity } from '../../src/emulator/seed';
import { createUpstreams, Upstreams } from '../../src/upstreams/create-upstreams';
import { loadConfig } from '../../src/config';
import { recordSecrets } from '../support/log-audit';
import { describeWithRealKeystone, KeystoneAdmin } from '../support/real-keystone';

/** The seeded service user logs in and may read any user's credentials, as the sweeper needs. */
function serviceIdentitySuite(keystoneUrl: () => string): void {
  let upstreams: Upstreams;
  let identity: ServiceIdentity;

  beforeAll(() => {
    upstreams = createUpstreams({ keystoneUrl: keystoneUrl() }, { akSkBackend: 'keystone', settings: loadConfig({}).upstreams });
    identity = new ServiceIdentity(upstreams.keystone, seededServiceIdentity());
  });
  afterAll(() => upstreams.close());

  it('gets a token scoped to project service with the admin role, and reuses it', async () => {
    const token = await identity.token();
    recordSecrets([token]);
    const details = await upstreams.keystone.validateToken(token);
    expect(details.user.name).toBe('aksk-service');
    expect(details.project?.name).toBe('service');
    expect(details.roles.map((role) => role.name)).toContain('admin');
    expect(await identity.token()).toBe(token);
  });

  it("may list another user's credentials", async () => {
    const admin = new KeystoneAdmin(keystoneUrl());
    const aliceToken = await admin.passwordToken(DEMO_LOGINS.alice.name, DEMO_LOGINS.alice.password, 'demo');
    recordSecrets([aliceToken]);
    const alice = await upstreams.keystone.validateToken(aliceToken);
    const aliceId = alice.user.id;
    const created = await admin.call('POST', '/credentials', aliceToken, {
      credential: {
        user_id: aliceId,
        project_id: alice.project!.id,
        type: 'ec2',
        blob: JSON.stringify({ access: `svc${Date.now()}`, secret: 'service-identity-test-secret' }),
      },
    });
    expect(created.status).toBe(201);
    try {
      const seen = await upstreams.credentials.listCredentials(await identity.token(), { userId: aliceId });
      expect(seen.map((credential) => credential.id)).toContain(created.body.credential.id);
    } finally {
      await admin.call('DELETE', `/credentials/${created.body.credential.id}`, aliceToken);
    }
  });
}

describe('service identity over the embedded emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('is offered by the emulator, seeded with it', () => {
    expect(emulator.serviceIdentity).toEqual(seededServiceIdentity());
  });
  serviceIdentitySuite(() => emulator.keystoneUrl);
});

describeWithRealKeystone('service identity against a real Keystone (seeded by scripts/keystone.sh)', (keystoneUrl) => {
  serviceIdentitySuite(() => keystoneUrl);
});
