import { randomUUID } from 'node:crypto';
import { AuditTrail, failureOf } from '../observability/audit-trail';
import { Logger } from '../observability/logger';
import { KeyValueStore } from '../state/key-value-store';
import { ACTIVE_TYPE, parseAkSkBlob } from '../upstreams/credentials/ak-sk-blob';
import { CredentialsClient } from '../upstreams/credentials/credentials-client';
import { AkSkLifecycle } from './ak-sk-lifecycle';

/** How a sweep is scheduled: `setInterval` in production, a hand-driven tick in tests. */
export interface SweepTimer {
  /** `run` never rejects; a test's tick may await it. */
  every(intervalMs: number, run: () => Promise<unknown>): { cancel(): void };
}

export const intervalTimer: SweepTimer = {
  every(intervalMs, run) {
    const handle = setInterval(() => void run(), intervalMs);
    // The sweeper alone never keeps the process alive.
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

export interface ExpirySweeperOptions {
  intervalMs: number;
  /** The service identity's token: it may list and change every user's credentials. */
  serviceToken: () => Promise<string>;
  credentials: CredentialsClient;
  audit: AuditTrail;
  /** Where replicas agree on who sweeps a round (Redis with `REDIS_URL`, else this process). */
  lockStore: KeyValueStore;
  logger: Logger;
  now?: () => number;
  timer?: SweepTimer;
}

/** What one round did. */
export interface SweepResult {
  /** False when another replica (or an unfinished round here) had the round. */
  swept: boolean;
  deactivated: string[];
  failed: string[];
}

/**
 * Enforces expiry in Keystone: every interval, the active (`ec2`) pairs whose `expires_at` passed
 * are switched off (`ec2-inactive`, refused by ec2tokens/s3tokens) through the same lifecycle as
 * `deactivateAkSk`, acting with the service identity. One replica per round: the round's lock is
 * a counter that only its first taker can raise, and it lives as long as the round.
 */
export class ExpirySweeper {
  private readonly now: () => number;
  private running: Promise<SweepResult> | undefined;
  private schedule: { cancel(): void } | undefined;

  constructor(private readonly options: ExpirySweeperOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.schedule ??= (this.options.timer ?? intervalTimer).every(this.options.intervalMs, () => this.sweep());
  }

  /** Stops the schedule and waits for a round under way. */
  async stop(): Promise<void> {
    this.schedule?.cancel();
    this.schedule = undefined;
    await this.running;
  }

  /** One round, unless one is still running here or another replica holds this round. */
  sweep(): Promise<SweepResult> {
    if (this.running) return Promise.resolve({ swept: false, deactivated: [], failed: [] });
    this.running = this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<SweepResult> {
    const { intervalMs, lockStore, logger } = this.options;
    const now = this.now();
    const result: SweepResult = { swept: false, deactivated: [], failed: [] };
    const roundId = `sweep-${randomUUID()}`;
    try {
      const lock = await lockStore.reserve(`expiry-sweep:${Math.floor(now / intervalMs)}`, 1, intervalMs);
      if (!lock.reserved) return result;
      result.swept = true;
      const token = await this.options.serviceToken();
      const credentials = this.options.credentials.withRequestId(roundId);
      const expired = (await credentials.listCredentials(token, { type: ACTIVE_TYPE })).flatMap((credential) => {
        const blob = parseAkSkBlob(credential.blob);
        const expiresAt = blob?.metadata.expiresAt;
        return blob && expiresAt && expiresAt.getTime() <= now ? [{ credential, accessKey: blob.access }] : [];
      });
      const lifecycle = new AkSkLifecycle(credentials);
      for (const { credential, accessKey } of expired) {
        const subject = { accessKey, userId: credential.userId, projectId: credential.projectId ?? null };
        try {
          await lifecycle.deactivate(token, accessKey);
          result.deactivated.push(accessKey);
          this.options.audit.record({
            event: 'aksk.expired',
            ...subject,
            initiator: 'service',
            outcome: 'success',
            requestId: roundId,
          });
        } catch (error) {
          // One pair's failure leaves the others to this round and itself to the next.
          result.failed.push(accessKey);
          this.options.audit.record({
            event: 'aksk.expired',
            ...subject,
            initiator: 'service',
            outcome: failureOf(error),
            requestId: roundId,
          });
        }
      }
      if (expired.length > 0)
        logger.info({ requestId: roundId, deactivated: result.deactivated.length, failed: result.failed.length }, 'expiry sweep');
    } catch (error) {
      logger.warn({ requestId: roundId, err: error }, 'expiry sweep failed; the next round tries again');
    }
    return result;
  }
}
