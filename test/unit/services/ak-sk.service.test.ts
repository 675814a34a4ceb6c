import { createHash } from 'node:crypto';
import { DownloadLinkStore } from '../../../src/downloads/download-link-store';
import { AkSkFileFormat } from '../../../src/downloads/ak-sk-file';
import { AuditEvent, AuditEventStore, AuditRecord } from '../../../src/observability/audit-trail';
import { AkSkService } from '../../../src/services/ak-sk.service';
import { MemoryStore } from '../../../src/state/memory-store';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../../../src/upstreams/ak-sk-backend';
import { CredentialsClient } from '../../../src/upstreams/credentials/credentials-client';
import { Credential } from '../../../src/upstreams/credentials/credentials.types';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { TokenDetails } from '../../../src/upstreams/keystone/keystone.types';
import { authRig, codeOf, fakeOf, refusalOf, tokenDetails, upstreamStatus } from './service-fakes';

const pair = (userId: string, projectId: string, accessKey = 'AK0000000000001'): AkSkPair => ({
  accessKey,
  secretKey: 'secret-of-' + accessKey,
  userId,
  projectId,
  type: 'ec2',
});

interface Rig {
  service: AkSkService;
  downloads: DownloadLinkStore;
  /** Every backend call, as `method userId@projectId`. */
  calls: string[];
  introspected: string[];
  /** What the service gave its audit trail. */
  audited: AuditRecord[];
}

function rig(
  options: {
    token?: string;
    details?: TokenDetails;
    backend?: Partial<AkSkBackend>;
    keystone?: Partial<KeystoneClient>;
    credentials?: Partial<CredentialsClient>;
    auditEvents?: AuditEventStore;
  } = {},
): Rig {
  const calls: string[] = [];
  const record =
    <T>(method: string, answer: (target: AkSkTarget) => Promise<T>) =>
    (_token: string, target: AkSkTarget) => {
      calls.push(`${method} ${target.userId}@${target.projectId}`);
      return answer(target);
    };
  const backend = fakeOf<AkSkBackend>({
    reportsDeletedKeys: true,
    listAkSks: record('list', async () => []),
    createAkSk: record('create', async (target) => pair(target.userId, target.projectId)),
    deleteAkSks: record('delete', async () => ['AK0000000000001']),
    ...options.backend,
  });
  const { auth, introspected } = authRig({
    token: 'token' in options ? options.token : 'caller-token',
    details: options.details,
  });
  const audited: AuditRecord[] = [];
  const downloads = new DownloadLinkStore(new MemoryStore(), { ttlMs: 60_000, maxPerToken: 20, counters: new MemoryStore() });
  const service = new AkSkService({
    backend,
    keystone: fakeOf<KeystoneClient>(options.keystone ?? {}),
    credentials: fakeOf<CredentialsClient>(options.credentials ?? {}),
    auth,
    downloads,
    publicBaseUrl: 'https://aksk.example.org',
    audit: { record: (event) => audited.push(event) },
    requestId: 'req-unit',
    auditEvents: options.auditEvents,
  });
  return { service, downloads, calls, introspected, audited };
}

describe('AkSkService', () => {
  describe('the target of a call', () => {
    const projectsOfBob = (...ids: string[]) => ({
      listUserProjects: async (_token: string, userId: string) => (userId === 'u-bob' ? ids.map((id) => ({ id, name: id })) : []),
    });

    it('an explicit project is used as given, once Keystone says the user has a role there', async () => {
      const { service, calls } = rig({ keystone: projectsOfBob('p-other') as Partial<KeystoneClient> });
      await service.create('u-bob', 'p-other');
      expect(calls).toEqual(['create u-bob@p-other']);
    });

    it('a project the user has no role on is BAD_USER_INPUT, and nothing is created', async () => {
      const { service, calls } = rig({ keystone: projectsOfBob('p-demo') as Partial<KeystoneClient> });
      expect(await codeOf(service.create('u-bob', 'p-other'))).toBe('BAD_USER_INPUT');
      expect(calls).toEqual([]);
    });

    it('else the project of the caller token', async () => {
      const { service, calls, introspected } = rig({ keystone: projectsOfBob('p-demo') as Partial<KeystoneClient> });
      await service.create('u-bob');
      expect(calls).toEqual(['create u-bob@p-demo']);
      expect(introspected).toEqual(['caller-token']);
    });

    it('an unscoped token without a project is BAD_USER_INPUT, and nothing is created', async () => {
      const { service, calls } = rig({ details: tokenDetails({ project: undefined }) });
      expect(await codeOf(service.create('u-bob'))).toBe('BAD_USER_INPUT');
      expect(calls).toEqual([]);
    });

    it.each([
      ['a user id with a slash', '../etc', undefined],
      ['an empty user id', '', undefined],
      ['a project id with a slash', 'u-bob', 'a/b'],
    ])('refuses %s before any upstream call', async (_case, userId, projectId) => {
      const { service, calls, introspected } = rig();
      expect(await codeOf(service.list(userId, projectId))).toBe('BAD_USER_INPUT');
      expect(calls).toEqual([]);
      expect(introspected).toEqual([]);
    });

    it('no token: UNAUTHENTICATED before any upstream call', async () => {
      const { service, calls } = rig({ token: undefined });
      expect(await codeOf(service.list('u-bob', 'p-demo'))).toBe('UNAUTHENTICATED');
      expect(calls).toEqual([]);
    });
  });

  describe('an empty list, explained', () => {
    const listing = (getUser: KeystoneClient['getUser']) => {
      const users: string[] = [];
      const r = rig({
        keystone: {
          getUser: (token, userId) => {
            users.push(userId);
            return getUser(token, userId);
          },
        },
      });
      return { ...r, users };
    };

    it('a user Keystone may not show the caller: FORBIDDEN, not an empty list', async () => {
      const { service, users } = listing(() => Promise.reject(upstreamStatus(403)));
      expect(await refusalOf(service.list('u-bob', 'p-demo'))).toEqual({
        code: 'FORBIDDEN',
        message: "Only an admin may list another user's AK/SK pairs.",
      });
      expect(users).toEqual(['u-bob']);
    });

    it('no such user: the 404 goes on, told as NOT_FOUND naming Keystone', async () => {
      const { service } = listing(() => Promise.reject(upstreamStatus(404)));
      expect(await refusalOf(service.list('u-ghost', 'p-demo'))).toMatchObject({
        code: 'NOT_FOUND',
        upstream: { service: 'keystone', status: 404 },
      });
    });

    it('a visible user, or a look-up that failed otherwise: the empty list stands', async () => {
      expect(
        await listing(async () => ({
          id: 'u-bob',
          name: 'bob',
          domainId: 'default',
          enabled: true,
          defaultProjectId: undefined,
        })).service.list('u-bob', 'p-demo'),
      ).toEqual([]);
      expect(await listing(() => Promise.reject(upstreamStatus(503))).service.list('u-bob', 'p-demo')).toEqual([]);
    });

    it('a list with pairs needs no explaining', async () => {
      const { service } = rig({ backend: { listAkSks: async (_token, target) => [pair(target.userId, target.projectId)] } });
      expect(await service.list('u-bob', 'p-demo')).toHaveLength(1);
    });
  });

  it('pairsOf: one backend call per user and project per request, however often asked', async () => {
    const { service, calls } = rig({ backend: undefined });
    const results = await Promise.all([
      service.pairsOf('u-a', 'p-1'),
      service.pairsOf('u-b', 'p-1'),
      service.pairsOf('u-a', 'p-1'),
      service.pairsOf('u-a', 'p-2'),
    ]);
    expect(results).toEqual([[], [], [], []]);
    expect(calls.sort()).toEqual(['list u-a@p-1', 'list u-a@p-2', 'list u-b@p-1']);
    await service.pairsOf('u-a', 'p-1');
    expect(calls).toHaveLength(3);
  });

  describe('what a list reads on the multicloud backend (pairs there, metadata in Keystone)', () => {
    const listing = () => {
      const metadataReads: string[] = [];
      const listed: string[] = [];
      const r = rig({
        backend: {
          storesMetadata: false,
          listAkSks: async (_token, target) => {
            listed.push(`list ${target.userId}@${target.projectId}`);
            return [pair(target.userId, target.projectId)];
          },
        },
        credentials: {
          listCredentials: async (_token, filter) => {
            metadataReads.push(String(filter?.userId));
            return [];
          },
        },
      });
      return { ...r, calls: listed, metadataReads };
    };

    it('keys: the pair list only, status from the credential type', async () => {
      const { service, calls, metadataReads } = listing();
      const [view] = await service.list('u-bob', 'p-demo', 'keys');
      expect(view).toMatchObject({ accessKey: 'AK0000000000001', secretKey: 'secret-of-AK0000000000001', type: 'ec2' });
      expect(calls).toEqual(['list u-bob@p-demo']);
      expect(metadataReads).toEqual([]);
    });

    it("lifecycle (the default): the pair list and the user's Keystone credentials, once each", async () => {
      const { service, calls, metadataReads } = listing();
      await service.list('u-bob', 'p-demo');
      await service.pairsOf('u-carol', 'p-demo', 'lifecycle');
      expect(calls).toEqual(['list u-bob@p-demo', 'list u-carol@p-demo']);
      expect(metadataReads).toEqual(['u-bob', 'u-carol']);
    });

    it('pairsOf keeps keys and lifecycle reads of one user apart', async () => {
      const { service, calls, metadataReads } = listing();
      await Promise.all([service.pairsOf('u-bob', 'p-demo', 'keys'), service.pairsOf('u-bob', 'p-demo', 'lifecycle')]);
      expect(calls).toEqual(['list u-bob@p-demo', 'list u-bob@p-demo']);
      expect(metadataReads).toEqual(['u-bob']);
    });
  });

  it('delete reports the target and the access keys the backend removed', async () => {
    const { service, calls } = rig({
      keystone: { getUser: async () => ({ id: 'u-bob', name: 'bob', domainId: 'default' }) } as never,
    });
    expect(await service.delete('u-bob', 'p-demo')).toEqual({
      userId: 'u-bob',
      projectId: 'p-demo',
      deletedAccessKeys: ['AK0000000000001'],
    });
    expect(calls).toEqual(['delete u-bob@p-demo']);
  });

  describe('deleteByAccessKey', () => {
    const accessKey = 'AKbob00000000001';
    const credentialId = createHash('sha256').update(accessKey).digest('hex');
    const credential = (overrides: Partial<Credential> = {}): Credential => ({
      id: credentialId,
      userId: 'u-bob',
      projectId: 'p-demo',
      type: 'ec2',
      blob: JSON.stringify({ access: accessKey, secret: 'bob-secret' }),
      ...overrides,
    });

    const deleting = (getCredential: CredentialsClient['getCredential']) => {
      const deleted: string[] = [];
      const r = rig({
        credentials: {
          getCredential,
          // No inactive copy of the pair (`ec2-inactive`) to delete with it.
          listCredentials: async () => [],
          deleteCredential: async (_token, id) => void deleted.push(id),
        },
      });
      return { ...r, deleted };
    };

    it('finds the credential by the hash of the access key and deletes it', async () => {
      const asked: string[] = [];
      const { service, deleted } = deleting(async (_token, id) => (asked.push(id), credential()));
      expect(await service.deleteByAccessKey(accessKey)).toEqual({ accessKey, userId: 'u-bob', projectId: 'p-demo' });
      expect(asked).toEqual([credentialId]);
      expect(deleted).toEqual([credentialId]);
    });

    it.each([
      ['the credential is not ec2', async () => credential({ type: 'totp' })],
      ['its blob holds another access key', async () => credential({ blob: '{"access":"other","secret":"s"}' })],
      ['its blob is not JSON', async () => credential({ blob: 'not json' })],
    ])('NOT_FOUND when %s, and nothing is deleted', async (_case, getCredential: () => Promise<Credential>) => {
      const { service, deleted } = deleting(getCredential);
      expect(await refusalOf(service.deleteByAccessKey(accessKey))).toEqual({
        code: 'NOT_FOUND',
        message: 'No AK/SK pair with this access key that you may manage.',
      });
      expect(deleted).toEqual([]);
    });

    // Reading Keystone's 403/404 on the look-up is the credentials client's job (its reason).
    it('a failed look-up goes on as it came, and nothing is deleted', async () => {
      const failure = upstreamStatus(503);
      const { service, deleted } = deleting(() => Promise.reject(failure));
      await expect(service.deleteByAccessKey(accessKey)).rejects.toBe(failure);
      expect(deleted).toEqual([]);
    });

    it('refuses a malformed access key before any call', async () => {
      const { service, deleted } = deleting(() => Promise.reject(new Error('must not be called')));
      expect(await codeOf(service.deleteByAccessKey('AK/../x'))).toBe('BAD_USER_INPUT');
      expect(deleted).toEqual([]);
    });
  });

  it('a download link: an absolute URL on the public base, whose grant carries the caller token and target', async () => {
    // u-bob is not the caller: Keystone must show him to the caller first (an admin here).
    const { service, downloads, introspected } = rig({
      keystone: { getUser: async () => ({ id: 'u-bob', name: 'bob', domainId: 'default' }) } as never,
    });
    const link = await service.createDownloadLink('u-bob', null, AkSkFileFormat.CSV);
    const id = /^https:\/\/aksk\.example\.org\/downloads\/([A-Za-z0-9_-]+)$/.exec(link.url)?.[1];
    expect(id).toBeDefined();
    expect(link.format).toBe(AkSkFileFormat.CSV);
    // The token was checked now, so a bad one fails here, not when the link is opened.
    expect(introspected).toEqual(['caller-token']);
    expect(await downloads.redeem(id!)).toEqual({
      token: 'caller-token',
      userId: 'u-bob',
      projectId: 'p-demo',
      format: 'csv',
      issuedBy: { userId: 'u-alice', projectId: 'p-demo' },
    });
  });

  describe('the audit trail', () => {
    const alice = { userId: 'u-alice', projectId: 'p-demo' };

    it('a create records one success, owner and project of the pair, the caller as initiator', async () => {
      const { service, audited } = rig({ keystone: { listUserProjects: async () => [{ id: 'p-demo', name: 'demo' }] } as never });
      await service.create('u-bob', 'p-demo');
      expect(audited).toEqual([
        {
          event: 'aksk.created',
          accessKey: 'AK0000000000001',
          userId: 'u-bob',
          projectId: 'p-demo',
          initiator: alice,
          outcome: 'success',
          requestId: 'req-unit',
        },
      ]);
    });

    it('a refused create records the failure with its code and what was known of the target', async () => {
      const { service, audited } = rig({ keystone: { listUserProjects: async () => [] } });
      expect(await codeOf(service.create('u-bob', 'p-other'))).toBe('BAD_USER_INPUT');
      expect(audited).toEqual([
        expect.objectContaining({
          event: 'aksk.created',
          accessKey: null,
          userId: 'u-bob',
          projectId: 'p-other',
          initiator: alice,
          outcome: { failure: 'BAD_USER_INPUT' },
        }),
      ]);
    });

    it('a caller without a token changed nothing and is left to the request log', async () => {
      const { service, audited } = rig({ token: undefined });
      expect(await codeOf(service.deactivate('AK0000000000001'))).toBe('UNAUTHENTICATED');
      expect(audited).toEqual([]);
    });

    it('deleteAkSk records one event per deleted pair, listing first when the backend will not say which', async () => {
      const listed = [pair('u-bob', 'p-demo', 'AKbob1'), pair('u-bob', 'p-demo', 'AKbob2')];
      const { service, audited, calls } = rig({
        keystone: { getUser: async () => ({ id: 'u-bob', name: 'bob', domainId: 'default' }) } as never,
        backend: { reportsDeletedKeys: false, listAkSks: async () => listed, deleteAkSks: async () => undefined },
      });
      expect((await service.delete('u-bob', 'p-demo')).deletedAccessKeys).toBeUndefined();
      expect(calls).toEqual([]);
      expect(audited.map(({ event, accessKey, userId, outcome }) => ({ event, accessKey, userId, outcome }))).toEqual([
        { event: 'aksk.deleted', accessKey: 'AKbob1', userId: 'u-bob', outcome: 'success' },
        { event: 'aksk.deleted', accessKey: 'AKbob2', userId: 'u-bob', outcome: 'success' },
      ]);
    });

    describe('akSkEvents', () => {
      const event: AuditEvent = {
        event: 'aksk.created',
        accessKey: 'AK1',
        userId: 'u-bob',
        projectId: 'p-demo',
        initiator: 'service',
        outcome: 'success',
        requestId: null,
        time: '2030-01-01T00:00:00.000Z',
      };
      const store = (asked: string[]): AuditEventStore => ({
        append: async () => undefined,
        latest: async (userId, limit) => {
          asked.push(`${userId}:${limit}`);
          return [event];
        },
        close: async () => undefined,
      });

      it("a member reads its own events; another user's are FORBIDDEN without asking the store", async () => {
        const asked: string[] = [];
        const { service } = rig({ auditEvents: store(asked) });
        expect(await service.events('u-alice', 5)).toEqual([
          {
            event: 'aksk.created',
            accessKey: 'AK1',
            userId: 'u-bob',
            projectId: 'p-demo',
            initiator: { service: true, userId: null, projectId: null },
            outcome: 'SUCCESS',
            errorCode: null,
            requestId: null,
            time: new Date('2030-01-01T00:00:00.000Z'),
          },
        ]);
        expect(await codeOf(service.events('u-bob', 5))).toBe('FORBIDDEN');
        expect(asked).toEqual(['u-alice:5']);
      });

      it("an admin reads anyone's", async () => {
        const asked: string[] = [];
        const { service } = rig({
          auditEvents: store(asked),
          details: tokenDetails({ roles: [{ id: 'r-admin', name: 'admin' }] }),
        });
        expect(await service.events('u-bob', 50)).toHaveLength(1);
        expect(asked).toEqual(['u-bob:50']);
      });

      it('without a store: AUDIT_TRAIL_UNAVAILABLE, saying where the trail is', async () => {
        const { service } = rig();
        await expect(service.events('u-alice', 50)).rejects.toMatchObject({
          extensions: { code: 'AUDIT_TRAIL_UNAVAILABLE' },
          message: expect.stringContaining('logs'),
        });
      });

      it.each([0, -1, 1001, 1.5])('first: %s is BAD_USER_INPUT', async (first) => {
        const { service } = rig({ auditEvents: store([]) });
        expect(await codeOf(service.events('u-alice', first))).toBe('BAD_USER_INPUT');
      });
    });
  });
});
