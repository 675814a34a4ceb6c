/**
 * `lastUsedAt` through the real gateway: a successful signed request records the pair's use in
 * its Keystone credential, off the request's path, at most once per AKSK_LAST_USED_RESOLUTION_MS.
 * The gateway runs on a manual clock; the emulator counts the credential writes.
 */
import { createHash } from 'node:crypto';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { manualClock } from '../support/manual-clock';
import { AuthTokenResult, CREATE_AK_SK, LOGIN } from '../support/operations';
import { aws4Request, AkSkKeys, operation, sendSigned } from '../support/sigv4-clients';

const RESOLUTION_MS = 60_000;
const LAST_USED = 'query($userId: ID!) { akSk(userId: $userId) { accessKey lastUsedAt } }';
const VIEWER = '{ viewer { user { id } } }';

describe.each(['multicloud', 'keystone'])('lastUsedAt of a pair (%s backend)', (backend) => {
  const clock = manualClock();
  let harness: GatewayHarness;
  let alice: AuthTokenResult;
  let pair: AkSkKeys;
  /** PATCHes of the pair's credential, as the emulator received them. */
  let writes = 0;
  let pairPath = '';
  let onWrite: (() => void) | undefined;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      now: clock.now,
      env: { AKSK_BACKEND: backend, AKSK_LAST_USED_RESOLUTION_MS: String(RESOLUTION_MS) },
      onUpstreamRequest: (method, path) => {
        if (method !== 'PATCH' || path !== pairPath) return;
        writes += 1;
        onWrite?.();
      },
    });
    alice = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: DEMO_LOGINS.alice.name, password: DEMO_LOGINS.alice.password, scope: { projectName: 'demo' } },
      }),
    ).login;
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkKeys }>(CREATE_AK_SK, { input: { userId: alice.user.id } }, { token: alice.token }),
    ).createAkSk;
    recordSecrets([created.secretKey]);
    pair = { accessKey: created.accessKey, secretKey: created.secretKey };
    pairPath = `/identity/v3/credentials/${createHash('sha256').update(pair.accessKey).digest('hex')}`;
  });
  afterAll(() => harness?.close());

  /** A signed `viewer`, dated by the gateway's clock so that it stays within the skew window. */
  async function signedViewer(): Promise<void> {
    const answer = await sendSigned(
      aws4Request(`${harness.gateway.url}/graphql`, pair, operation(VIEWER), new Date(clock.now())),
    );
    expect(answer.data).toEqual({ viewer: { user: { id: alice.user.id } } });
  }

  const nextWrite = () => new Promise<void>((resolve) => (onWrite = resolve));

  async function lastUsedAt(): Promise<string | null> {
    const pairs = dataOf(
      await harness.graphql<{ akSk: { accessKey: string; lastUsedAt: string | null }[] }>(
        LAST_USED,
        { userId: alice.user.id },
        { token: alice.token },
      ),
    ).akSk;
    return pairs.find((entry) => entry.accessKey === pair.accessKey)?.lastUsedAt ?? null;
  }

  /** The pair's lastUsedAt once it reads `expected`: the write lands after the request answered. */
  async function lastUsedAtBecomes(expected: string): Promise<string | null> {
    let seen = await lastUsedAt();
    for (let attempt = 0; attempt < 50 && seen !== expected; attempt += 1) seen = await lastUsedAt();
    return seen;
  }

  it('is null until the pair signs a request, then the time of that request', async () => {
    expect(await lastUsedAt()).toBeNull();
    const written = nextWrite();
    await signedViewer();
    await written;
    expect(await lastUsedAtBecomes(new Date(clock.now()).toISOString())).toBe(new Date(clock.now()).toISOString());
    expect(writes).toBe(1);
  });

  it('is written again only once the resolution has passed', async () => {
    const first = new Date(clock.now()).toISOString();
    clock.advance(RESOLUTION_MS / 2);
    await signedViewer();
    clock.advance(RESOLUTION_MS / 2);
    const written = nextWrite();
    await signedViewer();
    await written;
    const third = new Date(clock.now()).toISOString();
    expect(await lastUsedAtBecomes(third)).toBe(third);
    // The request within the resolution wrote nothing: only the first and the last did.
    expect(writes).toBe(2);
    expect(third).not.toBe(first);
  });
});
