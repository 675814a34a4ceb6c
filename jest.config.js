/**
 * Jest runs the TypeScript sources directly; `npm run typecheck` is the type gate.
 *
 * Two projects: `self-contained` needs nothing but this process (the gateway over its embedded
 * emulator, in-process doubles) and is what `npm run test:unit` runs; `services` needs a real
 * Keystone, Redis, Chromium or the built `dist/` that `npm test` prepares. `npm test` runs both.
 */
const NEEDS_SERVICES = [
  '/test/integration/.*\\.test\\.ts$',
  '/test/browser/.*\\.test\\.ts$',
  '/test/contract/keystone-real\\.contract\\.test\\.ts$',
  '/test/e2e/replicas\\.test\\.ts$',
  '/test/e2e/process\\.test\\.ts$',
  '/test/e2e/explorer-page\\.test\\.ts$',
  '/test/client/real-clients\\.test\\.ts$',
];

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'self-contained',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...NEEDS_SERVICES],
    },
    { ...common, displayName: 'services', testRegex: NEEDS_SERVICES },
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
};
