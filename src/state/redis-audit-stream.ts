import Redis from 'ioredis';
import { AuditEvent, AuditEventStore } from '../observability/audit-trail';

/** Stream entries read per round trip while looking for one user's events. */
const READ_BATCH = 500;

/**
 * The audit trail in one Redis Stream shared by every replica, trimmed to about `maxLength`
 * entries (`XADD MAXLEN ~`: Redis trims whole nodes, so a few more may stay). Appends and
 * reads share one connection, so an event recorded before a read is always seen by it.
 */
export class RedisAuditStream implements AuditEventStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly key: string,
    private readonly maxLength: number,
  ) {
    this.redis = new Redis(url, {
      enableOfflineQueue: true,
      maxRetriesPerRequest: 2,
      // Never print the URL: it may carry a password.
      connectionName: 'aksk-gateway-audit',
    });
  }

  async append(event: AuditEvent): Promise<void> {
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLength), '*', 'event', JSON.stringify(event));
  }

  async latest(userId: string, limit: number): Promise<AuditEvent[]> {
    const found: AuditEvent[] = [];
    let end = '+';
    while (found.length < limit) {
      const entries = await this.redis.xrevrange(this.key, end, '-', 'COUNT', READ_BATCH);
      for (const [, fields] of entries) {
        const event = eventOf(fields);
        if (event && concerns(event, userId)) found.push(event);
        if (found.length === limit) break;
      }
      if (entries.length < READ_BATCH) break;
      end = `(${entries[entries.length - 1][0]}`;
    }
    return found;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** An event is about a user's pair, or was made by the user (say, a refused attempt on another's key). */
function concerns(event: AuditEvent, userId: string): boolean {
  return event.userId === userId || (event.initiator !== 'service' && event.initiator.userId === userId);
}

function eventOf(fields: string[]): AuditEvent | undefined {
  const index = fields.indexOf('event');
  if (index < 0 || index + 1 >= fields.length) return undefined;
  try {
    return JSON.parse(fields[index + 1]) as AuditEvent;
  } catch {
    return undefined;
  }
}
