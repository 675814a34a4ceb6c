/**
 * Suites against a real service the test command starts (Keystone, Redis) and exports the URL
 * of. In CI a missing URL is a failure, never a silent skip; on a laptop without the service
 * the suite is skipped with a loud warning.
 */
export function describeWithService(
  variable: 'KEYSTONE_URL' | 'REDIS_TEST_URL',
  name: string,
  body: (url: string) => void,
): void {
  const url = process.env[variable]?.trim();
  if (url) {
    describe(name, () => body(url));
    return;
  }
  if (process.env.CI) {
    throw new Error(`${variable} is not set: run the suite with \`npm test\`, which starts the service.`);
  }
  console.warn(`Skipping "${name}": ${variable} is not set (\`npm test\` starts the service).`);
  describe.skip(name, () => body('http://service.invalid'));
}
