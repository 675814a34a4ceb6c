import { pairStateOf } from '../../../src/auth/pair-state';
import { SigV4Authenticator } from '../../../src/auth/sigv4-authenticator';
import { SignedRequest } from '../../../src/auth/sigv4-request';
import { MemoryStore } from '../../../src/state/memory-store';
import { Credential } from '../../../src/upstreams/credentials/credentials.types';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { TokenDetails } from '../../../src/upstreams/keystone/keystone.types';

const RECHECK_MS = 60_000;
const SETTINGS = { region: 'RegionOne', service: 'graphql', clockSkewMs: 15 * 60_000 };
const DETAILS: TokenDetails = {
  methods: ['ec2credential'],
  user: { id: 'u-alice', name: 'alice', domain: { id: 'default', name: 'Default' } },
  project: { id: 'p-demo', name: 'demo', domain: { id: 'default', name: 'Default' } },
  roles: [{ id: 'r-member', name: 'member' }],
  expiresAt: new Date(Date.UTC(2026, 11, 1, 13)),
  issuedAt: new Date(Date.UTC(2026, 11, 1, 12)),
};

function signed(signature = 'a'.repeat(64)): SignedRequest {
  return {
    accessKey: 'AK1',
    signedAt: 0,
    signature,
    credentials: { access: 'AK1', signature, host: 'h', verb: 'POST', path: '/graphql', params: {}, headers: {}, body_hash: '' },
  };
}

function setUp() {
  let now = Date.UTC(2026, 11, 1, 12);
  const blob = {
    access: 'AK1',
    secret: 'never-read-here',
    expires_at: undefined as string | undefined,
  };
  // An inactive pair is a credential of another type (ak-sk-blob.ts); the state is read from it.
  const pair = { type: 'ec2' };
  const calls = { ec2tokens: 0, credentialReads: 0 };
  let releaseRead: (() => void) | undefined;
  const keystone = {
    createEc2Token: () => {
      calls.ec2tokens += 1;
      return Promise.resolve(DETAILS);
    },
  } as unknown as KeystoneClient;
  const authenticator = new SigV4Authenticator(
    { token: () => Promise.resolve('service-token'), forget: () => undefined },
    {
      settings: SETTINGS,
      recheckMs: RECHECK_MS,
      store: new MemoryStore(1000, () => now),
      now: () => now,
      readPairState: pairStateOf,
      getCredential: async (): Promise<Credential> => {
        calls.credentialReads += 1;
        if (releaseRead) await new Promise<void>((resolve) => (releaseRead = resolve));
        return { id: 'c1', userId: 'u-alice', projectId: 'p-demo', type: pair.type, blob: JSON.stringify(blob) };
      },
    },
  );
  return {
    authenticator,
    keystone,
    calls,
    blob,
    pair,
    advance: (ms: number) => (now += ms),
    holdReads: () => (releaseRead = () => undefined),
    release: () => {
      const release = releaseRead;
      releaseRead = undefined;
      release?.();
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return [(error as { extensions?: { code?: unknown } }).extensions?.code, (error as Error).message];
  }
  return 'OK';
}

describe('SigV4Authenticator', () => {
  test('Keystone checks every signature; the pair state is read once per re-check interval', async () => {
    const { authenticator, keystone, calls, advance } = setUp();
    for (let request = 0; request < 3; request++) {
      expect(await authenticator.authenticate(signed(), keystone, false)).toMatchObject({ user: DETAILS.user, accessKey: 'AK1' });
      advance(10_000);
    }
    expect(calls).toEqual({ ec2tokens: 3, credentialReads: 1 });
    advance(RECHECK_MS);
    await authenticator.authenticate(signed(), keystone, false);
    expect(calls.credentialReads).toBe(2);
  });

  test('a pair deactivated or expired stops working within the re-check bound', async () => {
    const { authenticator, keystone, blob, pair, advance } = setUp();
    await authenticator.authenticate(signed(), keystone, false);
    pair.type = 'ec2-inactive';
    advance(RECHECK_MS - 1);
    expect(await codeOf(authenticator.authenticate(signed(), keystone, false))).toBe('OK');
    advance(1);
    expect(await codeOf(authenticator.authenticate(signed(), keystone, false))).toEqual([
      'UNAUTHENTICATED',
      'The access key is inactive: activate it, or sign with another pair.',
    ]);

    pair.type = 'ec2';
    blob.expires_at = new Date(Date.UTC(2026, 11, 1, 12, 1, 30)).toISOString();
    advance(RECHECK_MS);
    expect(await codeOf(authenticator.authenticate(signed(), keystone, false))).toEqual([
      'UNAUTHENTICATED',
      'The access key has expired: sign with another pair.',
    ]);
  });

  test('an expiry passing between re-checks refuses at once', async () => {
    const { authenticator, keystone, blob, advance } = setUp();
    blob.expires_at = new Date(Date.UTC(2026, 11, 1, 12, 0, 30)).toISOString();
    expect(await codeOf(authenticator.authenticate(signed(), keystone, false))).toBe('OK');
    advance(30_000);
    expect(await codeOf(authenticator.authenticate(signed(), keystone, false))).toEqual([
      'UNAUTHENTICATED',
      'The access key has expired: sign with another pair.',
    ]);
  });

  test('concurrent first requests share one read of the pair state', async () => {
    const { authenticator, keystone, calls, holdReads, release } = setUp();
    holdReads();
    const requests = [1, 2, 3].map(() => authenticator.authenticate(signed(), keystone, false));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all(requests);
    expect(calls.credentialReads).toBe(1);
  });

  test('a state-changing signature is accepted once; a read-only one as often as sent', async () => {
    const { authenticator, keystone } = setUp();
    expect(await codeOf(authenticator.authenticate(signed('b'.repeat(64)), keystone, false))).toBe('OK');
    expect(await codeOf(authenticator.authenticate(signed('b'.repeat(64)), keystone, false))).toBe('OK');
    expect(await codeOf(authenticator.authenticate(signed('c'.repeat(64)), keystone, true))).toBe('OK');
    expect(await codeOf(authenticator.authenticate(signed('c'.repeat(64)), keystone, true))).toEqual([
      'UNAUTHENTICATED',
      'This signed request was already used to change something: sign each request anew.',
    ]);
  });

  test('a use is recorded off the path, at most once per resolution; a failed write fails nothing and is tried again', async () => {
    let now = Date.UTC(2026, 11, 1, 12);
    const written: number[] = [];
    const failures: unknown[] = [];
    let failNext = true;
    const authenticator = new SigV4Authenticator(
      { token: () => Promise.resolve('service-token'), forget: () => undefined },
      {
        settings: SETTINGS,
        recheckMs: RECHECK_MS,
        store: new MemoryStore(1000, () => now),
        now: () => now,
        readPairState: pairStateOf,
        getCredential: async () => ({
          id: 'c1',
          userId: 'u-alice',
          projectId: 'p-demo',
          type: 'ec2',
          blob: '{"access":"AK1","secret":"s"}',
        }),
        recordUse: {
          resolutionMs: 1_000,
          write: async (_token, _accessKey, at) => {
            if (failNext) {
              failNext = false;
              throw new Error('Keystone down');
            }
            written.push(at.getTime());
          },
          onFailure: (error) => failures.push(error),
        },
      },
    );
    const keystone = { createEc2Token: () => Promise.resolve(DETAILS) } as unknown as KeystoneClient;
    const start = now;

    await expect(authenticator.authenticate(signed(), keystone, false)).resolves.toMatchObject({ accessKey: 'AK1' });
    await authenticator.settled();
    expect(failures).toHaveLength(1);
    expect(written).toEqual([]);

    await authenticator.authenticate(signed(), keystone, false);
    now += 999;
    await authenticator.authenticate(signed(), keystone, false);
    await authenticator.settled();
    expect(written).toEqual([start]);

    now += 1;
    await authenticator.authenticate(signed(), keystone, false);
    await authenticator.settled();
    expect(written).toEqual([start, start + 1_000]);
  });
});
