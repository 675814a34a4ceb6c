export interface Readiness {
  ready: boolean;
  upstreams: Record<string, { reachable: boolean; status: number | null; latencyMs: number }>;
}

/**
 * `/readyz`: can the gateway reach the upstreams it needs? Any HTTP answer counts as reachable
 * (the multicloud service answers 401 without a token); a failure or the upstream's timeout
 * does not.
 */
export async function checkReadiness(probes: Record<string, () => Promise<number>>): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const startedAt = performance.now();
      const status = await probe().catch(() => null);
      const latencyMs = Math.round(performance.now() - startedAt);
      return [name, { reachable: status !== null, status, latencyMs }] as const;
    }),
  );
  return { ready: results.every(([, result]) => result.reachable), upstreams: Object.fromEntries(results) };
}
