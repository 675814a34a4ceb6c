import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createKeystoneEmulator } from './keystone/keystone-emulator';
import { createMulticloudEmulator } from './multicloud/multicloud-emulator';
import type { ServiceCredentials } from '../config';
import { demoSeed, SERVICE_LOGIN, seededServiceIdentity, Seed } from './seed';

export const KEYSTONE_BASE_PATH = '/identity/v3';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  seed?: Seed;
  /**
   * A real Keystone for the multicloud emulator to sit on, as the real service does; by
   * default it uses the in-memory Keystone served beside it.
   */
  keystoneUrl?: string;
  /** Sees every request the emulator answers, e.g. for tests that count upstream calls. */
  onRequest?: (method: string, path: string) => void;
}

export interface RunningEmulator {
  /** The Keystone identity v3 base URL, DevStack style: `http://host:port/identity/v3`. */
  keystoneUrl: string;
  /** The multicloud origin; AK/SK calls go to `{multicloudUrl}/v1/{project_id}/aksks`. */
  multicloudUrl: string;
  /** The seeded service user, for a gateway configured with none; absent from a seed without one. */
  serviceIdentity: ServiceCredentials | undefined;
  close(): Promise<void>;
}

/**
 * Keystone and the multicloud AK/SK service on one loopback port, for the gateway's embedded
 * default, for frontend developers (`npm run emulator`) and for tests.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? demoSeed;
  const keystone = createKeystoneEmulator(seed);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  const keystoneUrl = options.keystoneUrl ?? `${origin}${KEYSTONE_BASE_PATH}`;
  const multicloud = createMulticloudEmulator({ keystoneUrl });

  server.on('request', (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    options.onRequest?.(request.method ?? 'GET', path);
    if (path === KEYSTONE_BASE_PATH || path.startsWith(`${KEYSTONE_BASE_PATH}/`)) {
      keystone.handle(request, response, path.slice(KEYSTONE_BASE_PATH.length) || '/');
    } else {
      multicloud.handle(request, response, path);
    }
  });

  return {
    keystoneUrl,
    multicloudUrl: origin,
    serviceIdentity: seed.users.some((user) => user.name === SERVICE_LOGIN.name) ? seededServiceIdentity() : undefined,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await multicloud.close();
    },
  };
}
