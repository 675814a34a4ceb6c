/**
 * Child process: the embedded Keystone + multicloud emulator with the load seed, on 127.0.0.1
 * port 0. Reports its URLs over IPC and exits when the runner goes away.
 */
import { startEmulator } from '../src/emulator/emulator-server';
import { loadSeed } from './load-seed';
import { exitWithParent, reportReady } from './child-ipc';

async function main(): Promise<void> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: loadSeed(Number(process.env.LOAD_USERS)) });
  exitWithParent(() => emulator.close());
  reportReady({ keystoneUrl: emulator.keystoneUrl, multicloudUrl: emulator.multicloudUrl });
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
