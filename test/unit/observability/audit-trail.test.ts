import { AuditEvent, AuditEventStore, AuditRecord, LoggingAuditTrail } from '../../../src/observability/audit-trail';
import { createLogger } from '../../../src/observability/logger';

const RECORD: AuditRecord = {
  event: 'aksk.deactivated',
  accessKey: 'AKalice0001',
  userId: 'u-alice',
  projectId: 'p-demo',
  initiator: { userId: 'u-admin', projectId: 'p-admin' },
  outcome: 'success',
  requestId: 'req-1',
};

function trail(level: string, store?: AuditEventStore) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, trail: new LoggingAuditTrail(logger, store, () => Date.parse('2030-01-01T00:00:00Z')) };
}

describe('LoggingAuditTrail', () => {
  it('writes one JSON line with audit: true, the record and a time', () => {
    const { lines, trail: audit } = trail('info');
    audit.record(RECORD);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ audit: true, msg: 'audit', ...RECORD });
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
  });

  it('keeps only the record fields: anything else put on a record never reaches the line', () => {
    const { lines, trail: audit } = trail('info');
    audit.record({ ...RECORD, secretKey: 'never-logged-secret' } as AuditRecord);
    expect(JSON.stringify(lines)).not.toContain('never-logged-secret');
  });

  it('LOG_LEVEL=warn quiets the request log, not the audit trail; silent quiets both', () => {
    const warn = trail('warn');
    warn.trail.record(RECORD);
    expect(warn.lines).toHaveLength(1);
    const silent = trail('silent');
    silent.trail.record(RECORD);
    expect(silent.lines).toHaveLength(0);
  });

  it('appends the event with the time of its clock to the store, and waits for it on close', async () => {
    const stored: AuditEvent[] = [];
    let release: () => void = () => undefined;
    const store: AuditEventStore = {
      append: (event) =>
        new Promise<void>((resolve) => {
          release = () => {
            stored.push(event);
            resolve();
          };
        }),
      latest: async () => [],
      close: async () => undefined,
    };
    const { trail: audit } = trail('info', store);
    audit.record(RECORD);
    const closed = audit.close();
    expect(stored).toEqual([]);
    release();
    await closed;
    expect(stored).toEqual([{ ...RECORD, time: '2030-01-01T00:00:00.000Z' }]);
  });

  it('a failing store costs a warning, never the change being recorded', async () => {
    const store: AuditEventStore = {
      append: async () => {
        throw new Error('READONLY You can not write against a read only replica.');
      },
      latest: async () => [],
      close: async () => undefined,
    };
    const { lines, trail: audit } = trail('info', store);
    expect(() => audit.record(RECORD)).not.toThrow();
    await audit.close();
    expect(lines.map((line) => line.msg)).toEqual(['audit', 'audit event not stored in Redis (it is in this log)']);
  });
});
