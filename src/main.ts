import 'reflect-metadata';
import { ConfigError, GatewayConfig, loadConfig } from './config';
import { startEmulator } from './emulator/emulator-server';
import { createLogger, Logger } from './observability/logger';
import { startGateway } from './server/gateway';
import { startupLines } from './startup-lines';
import { UpstreamUrls } from './upstreams/create-upstreams';

/** Entry point: configuration, the embedded emulator when no Keystone is configured, the gateway. */
async function main(): Promise<void> {
  let config: Readonly<GatewayConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let urls: UpstreamUrls;
  let closeEmulator = async (): Promise<void> => {};
  if (config.keystoneUrl) {
    urls = { keystoneUrl: config.keystoneUrl, multicloudUrl: config.multicloudUrl };
  } else {
    const emulator = await startEmulator({ host: '127.0.0.1' });
    urls = emulator;
    closeEmulator = () => emulator.close();
    logger.info({ keystoneUrl: emulator.keystoneUrl, multicloudUrl: emulator.multicloudUrl }, 'embedded emulator started');
  }

  const gateway = await startGateway(config, urls, logger);
  logger.info({ url: `${gateway.url}/graphql`, production: config.production }, 'gateway listening');
  announce(config, gateway.url, urls, !config.keystoneUrl);
  handleShutdown(logger, async () => {
    await gateway.close();
    await closeEmulator();
  });
}

function announce(config: GatewayConfig, url: string, urls: UpstreamUrls, embedded: boolean): void {
  process.stderr.write(`\n${startupLines(config, url, urls, embedded).join('\n')}\n\n`);
}

function handleShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
