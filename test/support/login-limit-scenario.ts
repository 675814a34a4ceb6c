import { seededServiceIdentity } from '../../src/emulator/seed';
import { countingProxy, CountingProxy, PasswordAttempt } from './counting-proxy';
import { GatewayHarness, startGatewayHarness } from './gateway-harness';
import { recordSecrets } from './log-audit';
import { manualClock } from './manual-clock';
import { LOGIN } from './operations';
import { KeystoneAdmin } from './real-keystone';

const LIMIT = 5;
const WRONG = 'wrong-password-for-the-account-limit';

/** A Keystone to guess against, and an account on it nobody logs in to through this gateway. */
export interface LoginLimitTarget {
  /** Keystone's base URL, e.g. `http://127.0.0.1:15000/v3`. */
  keystoneUrl: string;
  victim: { name: string; password: string };
  /** Another account, guessed at beside a name that does not exist. */
  other: { name: string };
  admin: { name: string; password: string };
  /** Stops what `target` started, if anything. */
  close?: () => Promise<void>;
}

/**
 * Issue 10, finding 8, against any Keystone: guesses at one account by its name (never seen to
 * log in through this gateway) and by its user id share one limit, counted at the Keystone end
 * by a pass-through proxy; and a name Keystone does not know gets exactly the same answers.
 */
export function describeLoginLimitPerAccount(name: string, target: () => Promise<LoginLimitTarget>): void {
  describe(name, () => {
    let proxy: CountingProxy;
    let harness: GatewayHarness;
    let victim: LoginLimitTarget['victim'] & { id: string };
    let other: LoginLimitTarget['other'];
    let closeTarget: LoginLimitTarget['close'];

    beforeAll(async () => {
      const { keystoneUrl, victim: account, admin, ...rest } = await target();
      other = rest.other;
      closeTarget = rest.close;
      const keystone = new KeystoneAdmin(keystoneUrl);
      victim = {
        ...account,
        id: await keystone.userId(await keystone.passwordToken(admin.name, admin.password, 'admin'), account.name),
      };
      const base = new URL(keystoneUrl);
      proxy = await countingProxy(base.origin);
      const service = seededServiceIdentity();
      recordSecrets([WRONG, service.password]);
      harness = await startGatewayHarness({
        upstreams: { keystoneUrl: `${proxy.url}${base.pathname}`, multicloudUrl: undefined },
        env: {
          AKSK_BACKEND: 'keystone',
          KEYSTONE_SERVICE_USERNAME: service.username,
          KEYSTONE_SERVICE_PASSWORD: service.password,
          KEYSTONE_SERVICE_PROJECT: service.projectName,
          LOGIN_MAX_FAILURES_PER_USER: String(LIMIT),
          // Only the per-account rule may stop a guess here.
          LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
        },
        // Stopped, so every refusal names the same wait.
        now: manualClock().now,
      });
    });
    afterAll(async () => {
      await harness?.close();
      await proxy?.close();
      await closeTarget?.();
    });

    const guess = async (input: Record<string, unknown>) => {
      const answer = await harness.graphql(LOGIN, { input: { ...input, password: WRONG } });
      const error = answer.errors?.[0];
      return { code: error?.extensions?.code, message: error?.message, retryAfterSeconds: error?.extensions?.retryAfterSeconds };
    };
    const aimedAt = (names: string[], id?: string) => (attempt: PasswordAttempt) =>
      'id' in attempt ? attempt.id === id : names.includes(attempt.name);

    it(`lets ${LIMIT} guesses in all reach Keystone, ${LIMIT} by a name seen for the first time then ${LIMIT} by user id`, async () => {
      const answers = [];
      for (let attempt = 0; attempt < LIMIT; attempt += 1) answers.push(await guess({ username: victim.name }));
      for (let attempt = 0; attempt < LIMIT; attempt += 1) answers.push(await guess({ userId: victim.id }));
      expect(answers.map((answer) => answer.code)).toEqual([
        ...Array<string>(LIMIT).fill('UNAUTHENTICATED'),
        ...Array<string>(LIMIT).fill('TOO_MANY_REQUESTS'),
      ]);
      expect(proxy.passwordLogins.filter(aimedAt([victim.name], victim.id))).toHaveLength(LIMIT);
      // The right password is held back too, by either name, until the window ends.
      const right = await harness.graphql(LOGIN, { input: { username: victim.name, password: victim.password } });
      expect(right.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect(proxy.passwordLogins.filter(aimedAt([victim.name], victim.id))).toHaveLength(LIMIT);
    });

    it('answers guesses at a name Keystone does not know exactly as at a known one', async () => {
      const unknown = `no-such-user-${victim.id.slice(0, 8)}`;
      const sequence = async (username: string) => {
        const answers = [];
        for (let attempt = 0; attempt < LIMIT + 2; attempt += 1) answers.push(await guess({ username }));
        return answers;
      };
      const forKnown = await sequence(other.name);
      const forUnknown = await sequence(unknown);
      expect(forKnown.map((answer) => answer.code)).toEqual([
        ...Array<string>(LIMIT).fill('UNAUTHENTICATED'),
        'TOO_MANY_REQUESTS',
        'TOO_MANY_REQUESTS',
      ]);
      expect(forUnknown).toEqual(forKnown);
      expect(proxy.passwordLogins.filter(aimedAt([unknown]))).toHaveLength(LIMIT);
      expect(proxy.passwordLogins.filter(aimedAt([other.name]))).toHaveLength(LIMIT);
    });
  });
}
