/** How the benchmarks start their targets: `npm run bench`, `bench:compare` and `bench:instructions` alike. */
import { writeFileSync } from 'node:fs';
import { manifestOf } from '../src/trusted-documents/manifest';
import { SERVICE_ENV } from './fixtures';
import { TRUSTED_AK_SK_DOCUMENT } from './operations';

/** The bench's own manifest: it is a client too, whose `trustedAkSk` the gateway runs compiled. */
export function writeBenchManifest(file: string): void {
  writeFileSync(file, JSON.stringify(manifestOf([TRUSTED_AK_SK_DOCUMENT])));
}

/** The references' environments: pointed at the stub, the Apollo reference in production mode as the gateway is. */
export function referenceEnvs(stubUrls: Record<string, string>): {
  bare: Record<string, string>;
  apollo: Record<string, string>;
} {
  const upstreams = { KEYSTONE_URL: stubUrls.keystoneUrl, MULTICLOUD_URL: stubUrls.multicloudUrl };
  return { bare: upstreams, apollo: { ...upstreams, NODE_ENV: 'production' } };
}

/** The gateway child's environment: production settings, logging at `logLevel`, pointed at the stub. */
export function gatewayEnv(
  stubUrls: Record<string, string>,
  logLevel: string,
  trustedDocumentsFile: string,
): Record<string, string> {
  return {
    TRUSTED_DOCUMENTS_FILE: trustedDocumentsFile,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    KEYSTONE_URL: stubUrls.keystoneUrl,
    MULTICLOUD_URL: stubUrls.multicloudUrl,
    AKSK_BACKEND: 'multicloud',
    LOG_LEVEL: logLevel,
    // Login attempts in flight count against the per-account limit (a guesser must not run 50 at
    // once); the login cell is one account at 50 concurrent clients, so the limits are lifted.
    LOGIN_MAX_FAILURES_PER_USER: '1000000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    ...SERVICE_ENV,
  };
}
