import { Pool } from 'undici';
import { AkSkBackendKind } from '../config';
import { AkSkBackend } from './ak-sk-backend';
import { CredentialsClient } from './credentials/credentials-client';
import { KeystoneAkSkBackend } from './credentials/keystone-ak-sk-backend';
import { KeystoneClient } from './keystone/keystone-client';
import { MulticloudClient } from './multicloud/multicloud-client';
import { UpstreamHttp } from './upstream-http';

export interface UpstreamUrls {
  keystoneUrl: string;
  /** Needed by the `multicloud` AK/SK backend only. */
  multicloudUrl?: string;
}

export interface UpstreamSettings {
  akSkBackend: AkSkBackendKind;
  timeoutMs: number;
}

export interface Upstreams {
  keystone: KeystoneClient;
  credentials: CredentialsClient;
  akSkBackend: AkSkBackend;
  /** Closes the keep-alive pools; in-flight calls finish first. */
  close(): Promise<void>;
}

/** One keep-alive pool per upstream origin, shared by every request. */
export function createUpstreams(urls: UpstreamUrls, settings: UpstreamSettings): Upstreams {
  const pools = new Map<string, Pool>();
  const httpFor = (service: 'keystone' | 'multicloud', baseUrl: string): UpstreamHttp => {
    const origin = new URL(baseUrl).origin;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000 });
      pools.set(origin, pool);
    }
    return new UpstreamHttp({ service, baseUrl, dispatcher: pool, timeoutMs: settings.timeoutMs });
  };

  const keystoneHttp = httpFor('keystone', urls.keystoneUrl);
  const keystone = new KeystoneClient(keystoneHttp);
  const credentials = new CredentialsClient(keystoneHttp);
  let akSkBackend: AkSkBackend;
  if (settings.akSkBackend === 'keystone') {
    akSkBackend = new KeystoneAkSkBackend(credentials, keystone);
  } else {
    if (!urls.multicloudUrl) throw new Error('the multicloud AK/SK backend needs a multicloud URL');
    akSkBackend = new MulticloudClient(httpFor('multicloud', urls.multicloudUrl));
  }

  return {
    keystone,
    credentials,
    akSkBackend,
    close: async () => {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
