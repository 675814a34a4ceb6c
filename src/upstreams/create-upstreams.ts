import { Pool } from 'undici';
import { AkSkBackendKind, UpstreamSettings } from '../config';
import { AkSkBackend } from './ak-sk-backend';
import { CredentialsClient } from './credentials/credentials-client';
import { KeystoneAkSkBackend } from './credentials/keystone-ak-sk-backend';
import { KeystoneClient } from './keystone/keystone-client';
import { MulticloudClient } from './multicloud/multicloud-client';
import { UpstreamService } from '../errors/upstream-error';
import { UpstreamCallEvent, UpstreamHttp } from './upstream-http';

export interface UpstreamUrls {
  keystoneUrl: string;
  /** Needed by the `multicloud` AK/SK backend only. */
  multicloudUrl?: string;
}

export interface UpstreamOptions {
  akSkBackend: AkSkBackendKind;
  settings: Readonly<Record<UpstreamService, UpstreamSettings>>;
  onCall?: (event: UpstreamCallEvent) => void;
}

export interface Upstreams {
  keystone: KeystoneClient;
  credentials: CredentialsClient;
  akSkBackend: AkSkBackend;
  /** Asks each upstream the gateway needs for any HTTP answer; the status, or the failure. */
  probes: Record<string, () => Promise<number>>;
  /** Closes the keep-alive pools; in-flight calls finish first. */
  close(): Promise<void>;
}

/** Retried GETs back off by up to 50, 100, 200 ms... */
const RETRY_BASE_DELAY_MS = 50;

/** One keep-alive pool per upstream origin, shared by every request. */
export function createUpstreams(urls: UpstreamUrls, options: UpstreamOptions): Upstreams {
  const pools = new Map<string, Pool>();
  const httpFor = (service: UpstreamService, baseUrl: string): UpstreamHttp => {
    const settings = options.settings[service];
    const origin = new URL(baseUrl).origin;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 128,
        keepAliveTimeout: 30_000,
        connect: { timeout: settings.connectTimeoutMs },
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
      });
      pools.set(origin, pool);
    }
    return new UpstreamHttp({
      service,
      baseUrl,
      dispatcher: pool,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      retry: { retries: settings.retries, baseDelayMs: RETRY_BASE_DELAY_MS },
      onCall: options.onCall,
    });
  };

  const keystoneHttp = httpFor('keystone', urls.keystoneUrl);
  const keystone = new KeystoneClient(keystoneHttp);
  const credentials = new CredentialsClient(keystoneHttp);
  const probes: Record<string, () => Promise<number>> = { keystone: () => keystoneHttp.probe() };
  let akSkBackend: AkSkBackend;
  if (options.akSkBackend === 'keystone') {
    akSkBackend = new KeystoneAkSkBackend(credentials, keystone);
  } else {
    if (!urls.multicloudUrl) throw new Error('the multicloud AK/SK backend needs a multicloud URL');
    const multicloudHttp = httpFor('multicloud', urls.multicloudUrl);
    akSkBackend = new MulticloudClient(multicloudHttp);
    // Without a token the service answers 401: any answer proves it is there.
    probes.multicloud = () => multicloudHttp.probe('/v1');
  }

  return {
    keystone,
    credentials,
    akSkBackend,
    probes,
    close: async () => {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
