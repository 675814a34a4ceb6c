import { createHash } from 'node:crypto';
import { AuditRecord } from '../../../src/observability/audit-trail';
import { createLogger } from '../../../src/observability/logger';
import { ExpirySweeper, SweepTimer } from '../../../src/services/expiry-sweeper';
import { MemoryStore } from '../../../src/state/memory-store';
import { CredentialsClient } from '../../../src/upstreams/credentials/credentials-client';
import { CreateCredentialRequest, Credential } from '../../../src/upstreams/credentials/credentials.types';
import { handTimer } from '../../support/hand-timer';
import { manualClock } from '../../support/manual-clock';
import { fakeOf } from './service-fakes';

const HOUR = 3_600_000;
const INTERVAL = 60_000;

/** Keystone's credentials, in memory: ids of ec2 ones derived from the access key, as Keystone does. */
function credentialsStore(failDeleteOf?: string) {
  const credentials = new Map<string, Credential>();
  let next = 0;
  const idOf = (request: CreateCredentialRequest) =>
    request.type === 'ec2'
      ? createHash('sha256')
          .update((JSON.parse(request.blob) as { access: string }).access)
          .digest('hex')
      : `c-${(next += 1)}`;
  const client: CredentialsClient = fakeOf<CredentialsClient>({
    withRequestId: (): CredentialsClient => client,
    listCredentials: async (_token, filter) =>
      [...credentials.values()].filter((credential) => !filter.type || credential.type === filter.type),
    getCredential: async (_token, id) => {
      const found = credentials.get(id);
      if (!found) throw new Error(`no credential ${id}`);
      return found;
    },
    createCredential: async (_token, request) => {
      const credential = {
        id: idOf(request),
        userId: request.userId,
        projectId: request.projectId,
        type: request.type,
        blob: request.blob,
      };
      credentials.set(credential.id, credential);
      return credential;
    },
    updateCredentialBlob: async (_token, id, blob) => {
      const updated = { ...credentials.get(id)!, blob };
      credentials.set(id, updated);
      return updated;
    },
    deleteCredential: async (_token, id) => {
      if (failDeleteOf && credentials.get(id)?.blob.includes(failDeleteOf)) throw new Error('Keystone failed');
      credentials.delete(id);
    },
  });
  const add = (access: string, expiresAt?: Date) =>
    client.createCredential('t', {
      userId: `u-${access}`,
      projectId: 'p-demo',
      type: 'ec2',
      blob: JSON.stringify({ access, secret: `secret-${access}`, ...(expiresAt ? { expires_at: expiresAt.toISOString() } : {}) }),
    });
  const typeOf = (access: string) =>
    [...credentials.values()].find((credential) => credential.blob.includes(`"${access}"`))?.type;
  return { client, add, typeOf };
}

function sweeperOver(
  store: ReturnType<typeof credentialsStore>,
  options: { clock: ReturnType<typeof manualClock>; lockStore?: MemoryStore; timer?: SweepTimer },
) {
  const audited: AuditRecord[] = [];
  const sweeper = new ExpirySweeper({
    intervalMs: INTERVAL,
    serviceToken: async () => 'service-token',
    credentials: store.client,
    audit: { record: (event) => audited.push(event) },
    lockStore: options.lockStore ?? new MemoryStore(undefined, options.clock.now),
    logger: createLogger('silent'),
    now: options.clock.now,
    timer: options.timer,
  });
  return { sweeper, audited };
}

describe('ExpirySweeper', () => {
  it('switches off, once its expiry passed by its clock, exactly the pairs that expired, as the service', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const store = credentialsStore();
    await store.add('AKsoon', new Date(clock.now() + HOUR));
    await store.add('AKlater', new Date(clock.now() + 3 * HOUR));
    await store.add('AKnever');
    const { sweeper, audited } = sweeperOver(store, { clock });

    expect(await sweeper.sweep()).toEqual({ swept: true, deactivated: [], failed: [] });
    clock.advance(2 * HOUR);
    expect(await sweeper.sweep()).toEqual({ swept: true, deactivated: ['AKsoon'], failed: [] });
    expect([store.typeOf('AKsoon'), store.typeOf('AKlater'), store.typeOf('AKnever')]).toEqual(['ec2-inactive', 'ec2', 'ec2']);
    expect(audited).toEqual([
      {
        event: 'aksk.expired',
        accessKey: 'AKsoon',
        userId: 'u-AKsoon',
        projectId: 'p-demo',
        initiator: 'service',
        outcome: 'success',
        requestId: expect.stringMatching(/^sweep-/),
      },
    ]);
    // Already off: the next round has nothing to do and records nothing.
    clock.advance(INTERVAL);
    expect((await sweeper.sweep()).deactivated).toEqual([]);
    expect(audited).toHaveLength(1);
  });

  it('two sweepers on one lock store: only one acts per round, either may in the next', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const store = credentialsStore();
    await store.add('AKone', new Date(clock.now() - 1));
    const lockStore = new MemoryStore(undefined, clock.now);
    const first = sweeperOver(store, { clock, lockStore });
    const second = sweeperOver(store, { clock, lockStore });
    const results = await Promise.all([first.sweeper.sweep(), second.sweeper.sweep()]);
    expect(results.map((result) => result.swept).sort()).toEqual([false, true]);
    expect(results.flatMap((result) => result.deactivated)).toEqual(['AKone']);
    expect((await second.sweeper.sweep()).swept).toBe(false);
    clock.advance(INTERVAL);
    expect((await second.sweeper.sweep()).swept).toBe(true);
  });

  it('a pair that fails is recorded as a failure and left to the next round; the others are still switched off', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const store = credentialsStore('AKstuck');
    await store.add('AKstuck', new Date(clock.now() - 1));
    await store.add('AKfine', new Date(clock.now() - 1));
    const { sweeper, audited } = sweeperOver(store, { clock });
    expect(await sweeper.sweep()).toEqual({ swept: true, deactivated: ['AKfine'], failed: ['AKstuck'] });
    expect(audited.map((event) => [event.accessKey, event.outcome])).toEqual([
      ['AKstuck', { failure: 'INTERNAL_SERVER_ERROR' }],
      ['AKfine', 'success'],
    ]);
  });

  it('runs on its timer until stopped', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const store = credentialsStore();
    await store.add('AKticked', new Date(clock.now() + 1));
    const hand = handTimer();
    const { sweeper } = sweeperOver(store, { clock, timer: hand.timer });
    sweeper.start();
    clock.advance(INTERVAL);
    await hand.tick();
    expect(store.typeOf('AKticked')).toBe('ec2-inactive');
    await sweeper.stop();
    expect(hand.scheduled()).toBe(0);
  });
});
