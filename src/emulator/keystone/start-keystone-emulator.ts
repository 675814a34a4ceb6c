/** A stand-alone HTTP server around the Keystone emulator, for tests and local runs. */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Seed } from '../seed';
import { createKeystoneEmulator, KeystoneEmulator, KeystoneEmulatorOptions } from './keystone-emulator';
import { routeNotFound } from './framework-responses';
import { writeKeystoneResponse } from './keystone-response';

export interface StartKeystoneEmulatorOptions extends KeystoneEmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where the v3 API is mounted, `/identity/v3` as on DevStack. */
  basePath?: string;
  seed: Seed;
}

export interface RunningKeystoneEmulator {
  /** The v3 base URL, e.g. `http://127.0.0.1:41234/identity/v3`. */
  url: string;
  emulator: KeystoneEmulator;
  close(): Promise<void>;
}

export async function startKeystoneEmulator(options: StartKeystoneEmulatorOptions): Promise<RunningKeystoneEmulator> {
  const { host = '127.0.0.1', port = 0, basePath: requestedBase = '/identity/v3', seed, ...emulatorOptions } = options;
  const basePath = requestedBase.replace(/\/+$/, '');
  const emulator = createKeystoneEmulator(seed, emulatorOptions);

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === basePath || path.startsWith(`${basePath}/`)) {
      emulator.handle(req, res, path.slice(basePath.length));
      return;
    }
    req.resume();
    writeKeystoneResponse(res, routeNotFound());
  });
  // Keep-alive clients (undici) would otherwise hold `close()` open.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}${basePath}`,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
