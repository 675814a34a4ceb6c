import { ConfigError, loadConfig } from '../config';
import { startEmulator } from './emulator-server';
import { DEMO_LOGINS } from './seed';

/** `npm run emulator`: the emulated upstreams alone, for frontend developers. */
async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('EMULATOR_PORT', 'must be a port number');
  const { keystoneUrl } = loadConfig({ KEYSTONE_URL: process.env.EMULATOR_KEYSTONE_URL, MULTICLOUD_URL: 'http://unused' });
  const emulator = await startEmulator({ host: process.env.EMULATOR_HOST ?? '127.0.0.1', port, keystoneUrl });
  process.stdout.write(
    [
      `Keystone emulator:   ${emulator.keystoneUrl}`,
      `Multicloud emulator: ${emulator.multicloudUrl}/v1/{project_id}/aksks`,
      `Demo login: ${DEMO_LOGINS.admin.name} / ${DEMO_LOGINS.admin.password} (domain Default, project admin)`,
      '',
    ].join('\n'),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
