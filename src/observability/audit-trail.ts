/**
 * The audit trail of AK/SK pairs: one JSON log line per lifecycle change or download, CADF-like
 * (who did what to which pair, with what outcome), and with Redis the same events in a bounded
 * stream that `akSkEvents` reads back. Never a secret: only access keys and ids go in.
 */
import { toClientError } from '../errors/client-error';
import { ErrorCode } from '../errors/error-code';
import { Logger } from './logger';

export type AuditEventName =
  | 'aksk.created'
  | 'aksk.updated'
  | 'aksk.deactivated'
  | 'aksk.activated'
  | 'aksk.rotated'
  | 'aksk.deleted'
  | 'aksk.downloaded'
  | 'aksk.expired';

/** Who acted: a caller (by its token's user and project), or the gateway itself (the expiry sweeper). */
export type AuditInitiator = { userId: string; projectId: string | null } | 'service';

export type AuditOutcome = 'success' | { failure: ErrorCode };

export interface AuditRecord {
  event: AuditEventName;
  /** `null` only for a failure that came before the pair was known (a create that made none). */
  accessKey: string | null;
  /** The pair's owner; `null` only for a failure that came before the owner was known. */
  userId: string | null;
  projectId: string | null;
  initiator: AuditInitiator;
  outcome: AuditOutcome;
  requestId: string | null;
}

/** A record as the trail keeps it: with the time it was recorded. */
export interface AuditEvent extends AuditRecord {
  /** ISO 8601. */
  time: string;
}

export interface AuditTrail {
  /** Never throws and never waits: a failing event store must not fail the change it records. */
  record(event: AuditRecord): void;
}

/** Where events are kept for `akSkEvents` (a Redis Stream shared by the replicas). */
export interface AuditEventStore {
  append(event: AuditEvent): Promise<void>;
  /** Events about `userId`'s pairs or made by `userId`, newest first, at most `limit`. */
  latest(userId: string, limit: number): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** The log line's message: `msg` of every audit line. */
export const AUDIT_MESSAGE = 'audit';

/**
 * Writes each event as one log line and, when a store is given, appends it there. The lines come
 * from a child logger fixed at `info`, so `LOG_LEVEL=warn` quiets the request log but never the
 * audit trail (only `silent` does). The line's `time` is the logger's own timestamp.
 */
export class LoggingAuditTrail implements AuditTrail {
  private readonly lines: Logger;
  private readonly logger: Logger;
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(
    logger: Logger,
    /** Absent without Redis: the logs are then the whole trail. */
    readonly store?: AuditEventStore,
    now?: () => number,
  ) {
    this.lines = logger.child({ audit: true }, { level: logger.level === 'silent' ? 'silent' : 'info' });
    this.logger = logger;
    this.now = now ?? Date.now;
  }

  record(record: AuditRecord): void {
    const { event, accessKey, userId, projectId, initiator, outcome, requestId } = record;
    // Listed field by field: nothing a caller adds to a record can reach the line.
    const fields = { event, accessKey, userId, projectId, initiator, outcome, requestId };
    this.lines.info(fields, AUDIT_MESSAGE);
    if (!this.store) return;
    const appended = this.store.append({ ...fields, time: new Date(this.now()).toISOString() }).catch((error: unknown) => {
      this.logger.warn({ err: error, event, requestId }, 'audit event not stored in Redis (it is in this log)');
    });
    this.pending.add(appended);
    void appended.finally(() => this.pending.delete(appended));
  }

  /** Waits for events still on their way to the store, then closes it. */
  async close(): Promise<void> {
    await Promise.all(this.pending);
    await this.store?.close();
  }
}

/** The outcome of a failed step: the code its caller is told. */
export function failureOf(error: unknown): AuditOutcome {
  return { failure: toClientError(error).code as ErrorCode };
}
