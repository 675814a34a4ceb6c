import 'reflect-metadata';
import { ConfigError, GatewayConfig, loadConfig } from './config';
import { startEmulator } from './emulator/emulator-server';
import { createLogger, Logger } from './observability/logger';
import { DEMO_LOGINS, scaledSeed } from './emulator/seed';
import { startGateway } from './server/gateway';
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
  let serviceIdentity = config.serviceIdentity;
  let closeEmulator = async (): Promise<void> => {};
  if (config.keystoneUrl) {
    urls = { keystoneUrl: config.keystoneUrl, multicloudUrl: config.multicloudUrl };
  } else {
    const emulator = await startEmulator({ host: '127.0.0.1', seed: scaledSeed(config.emulatorSeed) });
    urls = emulator;
    // The emulator seeds a service user; a configured one still wins.
    serviceIdentity ??= emulator.serviceIdentity;
    closeEmulator = () => emulator.close();
    logger.info({ keystoneUrl: emulator.keystoneUrl, multicloudUrl: emulator.multicloudUrl }, 'embedded emulator started');
  }

  const gateway = await startGateway({ ...config, serviceIdentity }, urls, logger);
  logger.info({ url: `${gateway.url}/graphql`, production: config.production }, 'gateway listening');
  announce({ ...config, serviceIdentity }, gateway.url, urls, !config.keystoneUrl);
  handleShutdown(logger, async () => {
    await gateway.close();
    await closeEmulator();
  });
}

function announce(config: GatewayConfig, url: string, urls: UpstreamUrls, embedded: boolean): void {
  process.stderr.write(`\n${startupLines(config, url, urls, embedded).join('\n')}\n\n`);
}

/**
 * What `npm start` prints for a person: where the API, the explorer and the console are, which
 * upstreams it talks to and where AK/SK pairs are kept. Logs carry the same facts as JSON.
 */
function startupLines(config: GatewayConfig, url: string, urls: UpstreamUrls, embedded: boolean): string[] {
  const lines = [`GraphQL endpoint: ${url}/graphql`];
  const schemaNote = config.introspection ? '' : '; GRAPHQL_INTROSPECTION is off, so it shows no schema';
  if (config.explorer === 'graphiql')
    lines.push(`GraphiQL:         open ${url}/graphql in a browser (works offline${schemaNote})`);
  else if (config.explorer === 'sandbox')
    lines.push(`Apollo Sandbox:   open ${url}/graphql in a browser (loads from Apollo's CDN${schemaNote})`);
  else lines.push('Explorer:         off (GRAPHQL_EXPLORER=graphiql to serve one)');
  lines.push(
    config.consoleEnabled
      ? `Web console:      ${url}${config.consolePath}/`
      : 'Web console:      off (CONSOLE_ENABLED=true to serve it)',
  );
  const origin = embedded ? 'embedded emulator' : 'KEYSTONE_URL';
  lines.push(`Keystone:         ${urls.keystoneUrl} (${origin})`);
  lines.push(
    config.akSkBackend === 'multicloud'
      ? `AK/SK pairs:      multicloud service ${urls.multicloudUrl ?? '(unset)'} (${embedded ? 'embedded emulator' : 'MULTICLOUD_URL'})`
      : `AK/SK pairs:      Keystone's credentials API (${urls.multicloudUrl ? 'AKSK_BACKEND=keystone' : 'no MULTICLOUD_URL'})`,
  );
  lines.push(
    config.serviceIdentity
      ? `Expiry:           enforced in Keystone every ${config.expirySweepMs / 1000} s (service user ${config.serviceIdentity.username})`
      : 'Expiry:           shown, NOT enforced in Keystone (no KEYSTONE_SERVICE_* service identity)',
  );
  if (embedded) {
    lines.push(`Demo login:       ${DEMO_LOGINS.admin.name} / ${DEMO_LOGINS.admin.password}, domain Default, project admin`);
  }
  return lines;
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
