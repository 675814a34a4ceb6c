import { Pool } from 'undici';
import { AkSkBackend } from './ak-sk-backend';
import { KeystoneClient } from './keystone/keystone-client';
import { MulticloudClient } from './multicloud/multicloud-client';
import { UpstreamHttp } from './upstream-http';

export interface UpstreamUrls {
  keystoneUrl: string;
  multicloudUrl: string;
}

export interface Upstreams {
  keystone: KeystoneClient;
  akSkBackend: AkSkBackend;
  /** Closes the keep-alive pools; in-flight calls finish first. */
  close(): Promise<void>;
}

/** One keep-alive pool per upstream origin, shared by every request. */
export function createUpstreams(urls: UpstreamUrls, timeoutMs: number): Upstreams {
  const pools = new Map<string, Pool>();
  const poolFor = (url: string): Pool => {
    const origin = new URL(url).origin;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  };
  const keystone = new KeystoneClient(
    new UpstreamHttp({ service: 'keystone', baseUrl: urls.keystoneUrl, dispatcher: poolFor(urls.keystoneUrl), timeoutMs }),
  );
  const akSkBackend = new MulticloudClient(
    new UpstreamHttp({
      service: 'multicloud',
      baseUrl: urls.multicloudUrl,
      dispatcher: poolFor(urls.multicloudUrl),
      timeoutMs,
    }),
  );
  return {
    keystone,
    akSkBackend,
    close: async () => {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
