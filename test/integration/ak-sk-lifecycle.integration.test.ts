/**
 * Switching pairs off and on, step by step, on the embedded emulator and on a real Keystone:
 * a crash injected before each upstream write, then the next read settles the pair. The keys
 * are never lost, and the pair ends in the state the interrupted call asked for once its first
 * write (the intent marker) was stored, or untouched when it was not.
 */
import { Pool } from 'undici';
import { loadConfig } from '../../src/config';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { AkSkLifecycle } from '../../src/services/ak-sk-lifecycle';
import { ACTIVE_TYPE, INACTIVE_TYPE, parseAkSkBlob, writeAkSkBlob } from '../../src/upstreams/credentials/ak-sk-blob';
import { generateAkSkKeys } from '../../src/upstreams/credentials/ak-sk-keys';
import { CredentialsClient } from '../../src/upstreams/credentials/credentials-client';
import { CreateCredentialRequest, Credential } from '../../src/upstreams/credentials/credentials.types';
import { createUpstreams, Upstreams } from '../../src/upstreams/create-upstreams';
import { UpstreamHttp } from '../../src/upstreams/upstream-http';
import { recordSecrets } from '../support/log-audit';
import { describeWithRealKeystone, KeystoneAdmin } from '../support/real-keystone';

class InjectedCrash extends Error {}

/** A credentials client whose `failAt`-th write (1-based) crashes before reaching Keystone. */
class CrashingCredentials extends CredentialsClient {
  writes = 0;
  failAt = 0;

  private step(): void {
    this.writes += 1;
    if (this.writes === this.failAt) throw new InjectedCrash(`crash before write ${this.writes}`);
  }

  override async createCredential(token: string, request: CreateCredentialRequest): Promise<Credential> {
    this.step();
    return super.createCredential(token, request);
  }

  override async updateCredentialBlob(token: string, id: string, blob: string): Promise<Credential> {
    this.step();
    return super.updateCredentialBlob(token, id, blob);
  }

  override async deleteCredential(token: string, id: string): Promise<void> {
    this.step();
    return super.deleteCredential(token, id);
  }
}

function lifecycleSuite(keystoneUrl: () => string): void {
  let upstreams: Upstreams;
  let admin: KeystoneAdmin;
  let aliceToken: string;
  let adminToken: string;
  let alice: { id: string; projectId: string };
  let crashing: CrashingCredentials;
  let lifecycle: AkSkLifecycle;
  let healthy: AkSkLifecycle;
  let pool: Pool;

  beforeAll(async () => {
    upstreams = createUpstreams({ keystoneUrl: keystoneUrl() }, { akSkBackend: 'keystone', settings: loadConfig({}).upstreams });
    admin = new KeystoneAdmin(keystoneUrl());
    aliceToken = await admin.passwordToken(DEMO_LOGINS.alice.name, DEMO_LOGINS.alice.password, 'demo');
    adminToken = await admin.passwordToken(DEMO_LOGINS.admin.name, DEMO_LOGINS.admin.password, 'admin');
    recordSecrets([aliceToken, adminToken]);
    const details = await upstreams.keystone.validateToken(aliceToken);
    alice = { id: details.user.id, projectId: details.project!.id };
    pool = new Pool(new URL(keystoneUrl()).origin);
    crashing = new CrashingCredentials(
      new UpstreamHttp({ service: 'keystone', baseUrl: keystoneUrl(), dispatcher: pool, timeoutMs: 30_000 }),
    );
    lifecycle = new AkSkLifecycle(crashing);
    healthy = new AkSkLifecycle(upstreams.credentials);
  });
  afterAll(async () => {
    await Promise.all([upstreams.close(), pool.close()]);
  });

  async function newPair(): Promise<string> {
    const keys = generateAkSkKeys();
    recordSecrets([keys.secret]);
    await upstreams.credentials.createCredential(aliceToken, {
      userId: alice.id,
      projectId: alice.projectId,
      type: ACTIVE_TYPE,
      blob: writeAkSkBlob({ ...keys, metadata: { description: 'lifecycle test' }, others: {} }),
    });
    return keys.access;
  }

  /** Every credential of alice holding the access key, as the admin sees them. */
  async function holders(accessKey: string): Promise<Credential[]> {
    const all = await upstreams.credentials.listCredentials(adminToken, { userId: alice.id });
    return all.filter((credential) => parseAkSkBlob(credential.blob)?.access === accessKey);
  }

  /** The pairs `openstack ec2 credentials list` shows alice. */
  async function osEc2AccessKeys(): Promise<string[]> {
    const { body } = await admin.call('GET', `/users/${alice.id}/credentials/OS-EC2`, adminToken);
    return body.credentials.map((credential: { access: string }) => credential.access);
  }

  async function cleanUp(accessKey: string): Promise<void> {
    for (const credential of await holders(accessKey)) await upstreams.credentials.deleteCredential(adminToken, credential.id);
  }

  it('deactivates and activates with the same keys, seen as such by the OS-EC2 API', async () => {
    const accessKey = await newPair();
    try {
      const off = await healthy.deactivate(aliceToken, accessKey);
      expect(off.type).toBe(INACTIVE_TYPE);
      expect(parseAkSkBlob(off.blob)?.metadata).toEqual({ description: 'lifecycle test' });
      expect((await holders(accessKey)).map((credential) => credential.type)).toEqual([INACTIVE_TYPE]);
      expect(await osEc2AccessKeys()).not.toContain(accessKey);
      expect((await healthy.deactivate(aliceToken, accessKey)).id).toBe(off.id);

      const on = await healthy.activate(aliceToken, accessKey);
      expect(on.type).toBe(ACTIVE_TYPE);
      expect(parseAkSkBlob(on.blob)?.secret).toBe(parseAkSkBlob(off.blob)?.secret);
      expect((await holders(accessKey)).map((credential) => credential.type)).toEqual([ACTIVE_TYPE]);
      expect(await osEc2AccessKeys()).toContain(accessKey);
    } finally {
      await cleanUp(accessKey);
    }
  });

  it.each([
    ['deactivate', 1, ACTIVE_TYPE],
    ['deactivate', 2, INACTIVE_TYPE],
    ['deactivate', 3, INACTIVE_TYPE],
    ['activate', 1, INACTIVE_TYPE],
    ['activate', 2, ACTIVE_TYPE],
    ['activate', 3, ACTIVE_TYPE],
  ] as const)(
    '%s with a crash before write %i: the keys kept, the next read settles it as %s',
    async (operation, failAt, settled) => {
      const accessKey = await newPair();
      try {
        if (operation === 'activate') await healthy.deactivate(aliceToken, accessKey);
        const { secret } = parseAkSkBlob((await holders(accessKey))[0].blob)!;
        crashing.writes = 0;
        crashing.failAt = failAt;
        await expect(lifecycle[operation](aliceToken, accessKey)).rejects.toBeInstanceOf(InjectedCrash);
        crashing.failAt = 0;

        const between = await holders(accessKey);
        expect(between.length).toBeGreaterThanOrEqual(1);
        expect(between.every((credential) => parseAkSkBlob(credential.blob)?.secret === secret)).toBe(true);

        const read = await healthy.get(aliceToken, accessKey);
        expect(read.type).toBe(settled);
        const after = await holders(accessKey);
        expect(after.map((credential) => credential.type)).toEqual([settled]);
        expect(parseAkSkBlob(after[0].blob)).toMatchObject({ secret, metadata: { description: 'lifecycle test' } });
        expect(parseAkSkBlob(after[0].blob)?.metadata.transition).toBeUndefined();
        expect((await osEc2AccessKeys()).includes(accessKey)).toBe(settled === ACTIVE_TYPE);
      } finally {
        await cleanUp(accessKey);
      }
    },
  );

  it("NOT_FOUND for another member's pair, active or not", async () => {
    const accessKey = await newPair();
    try {
      const bobToken = await admin.passwordToken(DEMO_LOGINS.bob.name, DEMO_LOGINS.bob.password, 'demo');
      recordSecrets([bobToken]);
      await expect(healthy.deactivate(bobToken, accessKey)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      await healthy.deactivate(aliceToken, accessKey);
      await expect(healthy.activate(bobToken, accessKey)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      expect((await holders(accessKey)).map((credential) => credential.type)).toEqual([INACTIVE_TYPE]);
    } finally {
      await cleanUp(accessKey);
    }
  });
}

describe('AK/SK lifecycle over the embedded emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  lifecycleSuite(() => emulator.keystoneUrl);
});

describeWithRealKeystone('AK/SK lifecycle against a real Keystone', (keystoneUrl) => {
  lifecycleSuite(() => keystoneUrl);
});
