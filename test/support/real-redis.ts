/**
 * The private Redis started by `scripts/redis.sh up` (the test command exports its URL as
 * REDIS_TEST_URL). In CI its absence is a failure, never a silent skip.
 */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  const url = process.env.REDIS_TEST_URL?.trim();
  if (url) {
    describe(name, () => body(url));
    return;
  }
  if (process.env.CI) throw new Error('REDIS_TEST_URL is not set: run the suite with `npm test`, which starts Redis.');
  console.warn(`Skipping "${name}": REDIS_TEST_URL is not set (npm test starts a private Redis).`);
  describe.skip(name, () => body('redis://127.0.0.1:1'));
}
