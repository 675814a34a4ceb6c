import { ConfigError, loadEmulatorConfig } from '../config';
import { startEmulator } from './emulator-server';
import { DEMO_LOGINS, scaledSeed } from './seed';

/** `npm run emulator`: the emulated upstreams alone, for frontend developers. */
async function main(): Promise<void> {
  const config = loadEmulatorConfig();
  const emulator = await startEmulator({ ...config, seed: scaledSeed(config.seed) });
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
  process.exit(error instanceof ConfigError ? 2 : 1);
});
