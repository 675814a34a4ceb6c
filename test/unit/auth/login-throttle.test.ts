import { LoginThrottle } from '../../../src/auth/login-throttle';
import { MemoryStore } from '../../../src/state/memory-store';

const ALICE = { id: 'a11ce', name: 'alice', domainName: 'Default' };
const byName = (name: string) => ({ name, domainName: 'Default' });

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = (limits: { perUser?: number; perAddress?: number } = {}) =>
    new LoginThrottle(new MemoryStore(1_000, () => now), {
      maxFailuresPerUser: limits.perUser ?? 3,
      maxFailuresPerAddress: limits.perAddress ?? 5,
      windowMs: 60_000,
    });
  const fail = async (limiter: LoginThrottle, login: { id: string } | { name: string; domainName: string }, address: string) =>
    (await limiter.begin(login, address)).failed();

  beforeEach(() => {
    now = 0;
  });

  it('refuses a user name at its limit, with the wait, until the window ends', async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 3; failure += 1) await fail(limiter, byName('Alice'), '10.0.0.1');
    now = 15_000;
    await expect(limiter.begin(byName('alice'), '10.0.0.2')).rejects.toMatchObject({
      message: 'Too many failed logins. Try again in 45 s.',
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 45 },
    });
    await expect(limiter.begin(byName('bob'), '10.0.0.1')).resolves.toBeDefined();
    now = 60_000;
    await expect(limiter.begin(byName('alice'), '10.0.0.1')).resolves.toBeDefined();
  });

  it('refuses an address at its limit, whatever the user name', async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 5; failure += 1) await fail(limiter, byName(`user-${failure}`), '10.0.0.9');
    await expect(limiter.begin(byName('someone-else'), '10.0.0.9')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
    await expect(limiter.begin(byName('someone-else'), '10.0.0.8')).resolves.toBeDefined();
  });

  it("clears a user's count on success, but not the address's", async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 2; failure += 1) await fail(limiter, byName('alice'), '10.0.0.1');
    await (await limiter.begin(byName('alice'), '10.0.0.1')).succeeded(ALICE);
    for (let failure = 0; failure < 2; failure += 1) await fail(limiter, byName('alice'), '10.0.0.3');
    await expect(limiter.begin(byName('alice'), '10.0.0.3')).resolves.toBeDefined();
    for (let failure = 0; failure < 3; failure += 1) await fail(limiter, byName(`mallory-${failure}`), '10.0.0.1');
    await expect(limiter.begin(byName('anyone'), '10.0.0.1')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
  });

  // Regression: the throttle checked, called Keystone, then counted, so 50 concurrent guesses all went through.
  it('never lets more attempts than the limit be in flight at once', async () => {
    const limiter = throttle({ perUser: 5, perAddress: 1_000 });
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => limiter.begin(byName('alice'), '10.0.0.1')));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
  });

  it('gives back the reservation of an attempt without a verdict', async () => {
    const limiter = throttle({ perUser: 1 });
    await (await limiter.begin(byName('alice'), '10.0.0.1')).abandoned();
    await expect(limiter.begin(byName('alice'), '10.0.0.1')).resolves.toBeDefined();
  });

  // Regression: failures by name and by id counted apart, so each way had its own five guesses.
  it('counts an account once whichever way it is named, once its name is known', async () => {
    const limiter = throttle({ perUser: 3 });
    await (await limiter.begin(byName('alice'), '10.0.0.1')).succeeded(ALICE);
    await fail(limiter, byName('ALICE'), '10.0.0.2');
    await fail(limiter, { id: ALICE.id }, '10.0.0.2');
    await fail(limiter, byName('alice'), '10.0.0.3');
    await expect(limiter.begin({ id: ALICE.id }, '10.0.0.4')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
    await expect(limiter.begin(byName('alice'), '10.0.0.4')).rejects.toMatchObject({ extensions: { code: 'TOO_MANY_REQUESTS' } });
  });

  describe('with names resolved to user ids (a service identity)', () => {
    let lookups: string[];
    const directory: Record<string, string> = { alice: ALICE.id };
    const resolving = (limits: { perUser: number; perAddress: number }) =>
      new LoginThrottle(new MemoryStore(1_000, () => now), {
        maxFailuresPerUser: limits.perUser,
        maxFailuresPerAddress: limits.perAddress,
        windowMs: 60_000,
        userIdOf: async (name) => {
          lookups.push(name);
          return directory[name.toLowerCase()];
        },
      });
    beforeEach(() => {
      lookups = [];
    });

    // Regression: a name never seen to log in was counted apart from its id.
    it('counts a name never seen before and its id as one account', async () => {
      const limiter = resolving({ perUser: 4, perAddress: 1_000 });
      await fail(limiter, byName('alice'), '10.0.0.1');
      await fail(limiter, { id: ALICE.id }, '10.0.0.2');
      await fail(limiter, byName('Alice'), '10.0.0.3');
      await fail(limiter, { id: ALICE.id.toUpperCase() }, '10.0.0.4');
      await expect(limiter.begin(byName('alice'), '10.0.0.5')).rejects.toMatchObject({
        extensions: { code: 'TOO_MANY_REQUESTS' },
      });
      await expect(limiter.begin({ id: ALICE.id }, '10.0.0.5')).rejects.toMatchObject({
        extensions: { code: 'TOO_MANY_REQUESTS' },
      });
    });

    it('answers an unknown name exactly as a known one, attempt after attempt', async () => {
      const answers = async (login: { name: string; domainName: string }) => {
        const limiter = resolving({ perUser: 3, perAddress: 1_000 });
        const seen: unknown[] = [];
        for (let attempt = 0; attempt < 5; attempt += 1) {
          seen.push(
            await limiter.begin(login, '10.0.0.1').then(
              (reserved) => reserved.failed(),
              (error: unknown) => error,
            ),
          );
        }
        return seen;
      };
      const known = await answers(byName('alice'));
      expect(known.filter((answer) => answer !== undefined)).toHaveLength(2);
      expect(await answers(byName('no-such-user'))).toEqual(known);
    });

    it('refuses a locked address before looking the name up', async () => {
      const limiter = resolving({ perUser: 10, perAddress: 2 });
      await fail(limiter, byName('alice'), '10.0.0.9');
      await fail(limiter, byName('nobody'), '10.0.0.9');
      await expect(limiter.begin(byName('someone'), '10.0.0.9')).rejects.toMatchObject({
        extensions: { code: 'TOO_MANY_REQUESTS' },
      });
      expect(lookups).toEqual(['alice', 'nobody']);
    });

    it('lets an account that logged in from an address in by name or id, while the address is locked', async () => {
      const limiter = resolving({ perUser: 10, perAddress: 1 });
      await (await limiter.begin(byName('alice'), '192.0.2.7')).succeeded(ALICE);
      await fail(limiter, byName('mallory'), '192.0.2.7');
      await expect(limiter.begin(byName('carol'), '192.0.2.7')).rejects.toMatchObject({
        extensions: { code: 'TOO_MANY_REQUESTS' },
      });
      await expect(limiter.begin(byName('ALICE'), '192.0.2.7')).resolves.toBeDefined();
      await expect(limiter.begin({ id: ALICE.id }, '192.0.2.7')).resolves.toBeDefined();
    });

    it('gives the address its slot back when the lookup throws', async () => {
      const limiter = new LoginThrottle(new MemoryStore(1_000, () => now), {
        maxFailuresPerUser: 5,
        maxFailuresPerAddress: 1,
        windowMs: 60_000,
        userIdOf: async () => {
          throw new Error('keystone down');
        },
      });
      await expect(limiter.begin(byName('alice'), '10.0.0.1')).rejects.toThrow('keystone down');
      await expect(limiter.begin({ id: ALICE.id }, '10.0.0.1')).resolves.toBeDefined();
    });
  });

  // Regression: 20 failures from one address locked the right password out for everyone behind it.
  it('lets an account that logged in from an address in, whatever others guessed from there', async () => {
    const limiter = throttle({ perUser: 3, perAddress: 5 });
    await (await limiter.begin(byName('alice'), '192.0.2.7')).succeeded(ALICE);
    for (let failure = 0; failure < 5; failure += 1) await fail(limiter, byName(`sprayed-${failure}`), '192.0.2.7');
    await expect(limiter.begin(byName('carol'), '192.0.2.7')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
    const attempt = await limiter.begin(byName('alice'), '192.0.2.7');
    await attempt.succeeded(ALICE);
    // Guessing at alice from there is still bounded by her own limit.
    for (let failure = 0; failure < 3; failure += 1) await fail(limiter, byName('alice'), '192.0.2.7');
    await expect(limiter.begin(byName('alice'), '192.0.2.7')).rejects.toMatchObject({
      extensions: { code: 'TOO_MANY_REQUESTS' },
    });
  });
});
