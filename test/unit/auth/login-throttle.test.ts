import { LoginThrottle } from '../../../src/auth/login-throttle';
import { MemoryStore } from '../../../src/state/memory-store';

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () =>
    new LoginThrottle(new MemoryStore(1_000, () => now), { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 60_000 });

  beforeEach(() => {
    now = 0;
  });

  it('refuses a user name at its limit, with the wait, until the window ends', async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 3; failure += 1) {
      await limiter.check('Alice', '10.0.0.1');
      await limiter.recordFailure('Alice', '10.0.0.1');
    }
    now = 15_000;
    await expect(limiter.check('alice', '10.0.0.2')).rejects.toMatchObject({
      message: 'Too many failed logins. Try again in 45 s.',
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 45 },
    });
    await expect(limiter.check('bob', '10.0.0.1')).resolves.toBeUndefined();
    now = 60_000;
    await expect(limiter.check('alice', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('refuses an address at its limit, whatever the user name', async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 5; failure += 1) await limiter.recordFailure(`user-${failure}`, '10.0.0.9');
    await expect(limiter.check('someone-else', '10.0.0.9')).rejects.toMatchObject({ extensions: { code: 'TOO_MANY_REQUESTS' } });
    await expect(limiter.check('someone-else', '10.0.0.8')).resolves.toBeUndefined();
  });

  it("clears a user's count on success, but not the address's", async () => {
    const limiter = throttle();
    for (let failure = 0; failure < 2; failure += 1) await limiter.recordFailure('alice', '10.0.0.1');
    await limiter.recordSuccess('alice');
    for (let failure = 0; failure < 2; failure += 1) await limiter.recordFailure('alice', '10.0.0.1');
    await expect(limiter.check('alice', '10.0.0.3')).resolves.toBeUndefined();
    await limiter.recordFailure('mallory', '10.0.0.1');
    await expect(limiter.check('anyone', '10.0.0.1')).rejects.toMatchObject({ extensions: { code: 'TOO_MANY_REQUESTS' } });
  });
});
