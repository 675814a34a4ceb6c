/** How the benchmarks start a gateway: `npm run bench` and `npm run bench:compare` alike. */
import { SERVICE_ENV } from './fixtures';

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
