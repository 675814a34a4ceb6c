import { RunningKeystoneEmulator, startKeystoneEmulator } from '../../src/emulator/keystone';
import { demoSeed } from '../../src/emulator/seed';
import { describeKeystoneContract } from './keystone.contract';

let running: RunningKeystoneEmulator | undefined;

beforeAll(async () => {
  running = await startKeystoneEmulator({ seed: demoSeed, port: 0, basePath: '/identity/v3' });
});

afterAll(async () => {
  await running?.close();
});

describeKeystoneContract('emulator', () => {
  if (!running) throw new Error('the Keystone emulator did not start');
  return { keystoneUrl: running.url };
});
