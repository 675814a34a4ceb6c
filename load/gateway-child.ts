/**
 * Child process: the gateway as `npm start` runs it, configured from the environment the
 * runner gives it (the emulator's URLs, `NODE_ENV=production`, `LOG_LEVEL=info`, port 0).
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { startGateway } from '../src/server/gateway';
import { exitWithParent, reportReady } from './child-ipc';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.keystoneUrl || !config.multicloudUrl) throw new Error('KEYSTONE_URL and MULTICLOUD_URL must be set');
  const gateway = await startGateway(
    config,
    { keystoneUrl: config.keystoneUrl, multicloudUrl: config.multicloudUrl },
    createLogger(config.logLevel),
  );
  exitWithParent(() => gateway.close());
  reportReady({ url: gateway.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
