export interface Readiness {
  ready: boolean;
  upstreams: Record<string, { reachable: boolean; status: number | null; latencyMs: number; timedOut?: boolean }>;
}

/** Whether pair expiry is enforced in Keystone: a report in `/readyz`, never a reason to be unready. */
export type ExpiryEnforcement = { enforced: true; sweepMs: number } | { enforced: false; reason: string };

export const EXPIRY_NOT_ENFORCED: ExpiryEnforcement = {
  enforced: false,
  reason:
    'No service identity (KEYSTONE_SERVICE_*): expired pairs read EXPIRED, but Keystone still accepts them until ' +
    'someone deactivates them.',
};

export interface ReadinessOptions {
  /** Each probe's own budget, far below the upstream call timeouts. */
  timeoutMs: number;
  /** How long one answer is reused: `/readyz` cannot be used to multiply calls to the upstreams. */
  cacheMs: number;
  now?: () => number;
}

/**
 * `/readyz`: can the gateway reach the upstreams it needs? Any HTTP answer counts as reachable
 * (the multicloud service answers 401 without a token); a failure, or no answer within the
 * budget, does not. Concurrent callers share one check, and an answer is reused for `cacheMs`.
 */
export class ReadinessCheck {
  private cached: { at: number; result: Promise<Readiness> } | undefined;
  private readonly now: () => number;

  constructor(
    private readonly probes: Record<string, () => Promise<number>>,
    private readonly options: ReadinessOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  check(): Promise<Readiness> {
    const now = this.now();
    if (this.cached && now - this.cached.at < this.options.cacheMs) return this.cached.result;
    const result = checkReadiness(this.probes, this.options.timeoutMs);
    this.cached = { at: now, result };
    // Measured from the answer, so a slow check is not stale on arrival.
    void result.then(() => {
      if (this.cached?.result === result) this.cached.at = this.now();
    });
    return result;
  }
}

const TIMED_OUT = Symbol('timed out');

export async function checkReadiness(probes: Record<string, () => Promise<number>>, timeoutMs: number): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const startedAt = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      });
      const outcome = await Promise.race([probe().catch(() => null), budget]);
      clearTimeout(timer);
      const latencyMs = Math.round(performance.now() - startedAt);
      if (outcome === TIMED_OUT) return [name, { reachable: false, status: null, latencyMs, timedOut: true }] as const;
      return [name, { reachable: outcome !== null, status: outcome, latencyMs }] as const;
    }),
  );
  return { ready: results.every(([, result]) => result.reachable), upstreams: Object.fromEntries(results) };
}
