import { request } from 'undici';
import { AkSkBackendKind } from '../config';
import { UpstreamUrls } from '../upstreams/create-upstreams';

export interface Readiness {
  ready: boolean;
  upstreams: Record<string, { reachable: boolean; status: number | null; latencyMs: number }>;
}

const PROBE_TIMEOUT_MS = 2_000;

/**
 * `/readyz`: can the gateway reach the upstreams it needs? Any HTTP answer counts as reachable
 * (the multicloud service answers 401 without a token); no answer within 2 s does not.
 */
export async function checkReadiness(urls: UpstreamUrls, backend: AkSkBackendKind): Promise<Readiness> {
  const probes: Array<[string, string]> = [['keystone', urls.keystoneUrl]];
  if (backend === 'multicloud' && urls.multicloudUrl) probes.push(['multicloud', `${urls.multicloudUrl}/v1`]);
  const results = await Promise.all(probes.map(async ([name, url]) => [name, await probe(url)] as const));
  return {
    ready: results.every(([, result]) => result.reachable),
    upstreams: Object.fromEntries(results),
  };
}

async function probe(url: string): Promise<{ reachable: boolean; status: number | null; latencyMs: number }> {
  const startedAt = performance.now();
  try {
    const response = await request(url, { method: 'GET', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body.dump();
    return { reachable: true, status: response.statusCode, latencyMs: Math.round(performance.now() - startedAt) };
  } catch {
    return { reachable: false, status: null, latencyMs: Math.round(performance.now() - startedAt) };
  }
}
