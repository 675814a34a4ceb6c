import { createLogger, isoStampAt, redactLogFields } from '../../../src/observability/logger';

const SECRET = 'gAAAAAB-never-logged-secret';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger redaction', () => {
  it.each(['token', 'password', 'secretKey', 'secret_key', 'variables'])(
    'redacts %s at the top level and one level down',
    (field) => {
      const { logger, lines, parsed } = capture();
      logger.info({ [field]: SECRET, input: { [field]: SECRET, kept: 'visible' }, requestId: 'req-1' }, 'line');
      expect(lines.join('')).not.toContain(SECRET);
      expect(parsed()[0]).toMatchObject({
        [field]: '[redacted]',
        input: { [field]: '[redacted]', kept: 'visible' },
        requestId: 'req-1',
      });
    },
  );

  it('redacts credential headers, top level and nested, and keeps the others', () => {
    const { logger, lines, parsed } = capture();
    const headers = {
      'x-auth-token': SECRET,
      'x-subject-token': SECRET,
      authorization: SECRET,
      cookie: SECRET,
      accept: 'application/json',
    };
    logger.warn({ headers, call: { headers } }, 'line');
    expect(lines.join('')).not.toContain(SECRET);
    const expected = {
      'x-auth-token': '[redacted]',
      'x-subject-token': '[redacted]',
      authorization: '[redacted]',
      cookie: '[redacted]',
      accept: 'application/json',
    };
    expect(parsed()[0]).toMatchObject({ headers: expected, call: { headers: expected } });
  });

  it('never changes the logged object', () => {
    const { logger } = capture();
    const fields = { token: SECRET, input: { password: SECRET }, headers: { cookie: SECRET } };
    logger.info(fields, 'line');
    expect(fields).toEqual({ token: SECRET, input: { password: SECRET }, headers: { cookie: SECRET } });
  });

  it('logs an error as pino serializes it, with a secret field of the error redacted', () => {
    const { logger, lines, parsed } = capture();
    const plain = new Error('upstream failed');
    const carrying = Object.assign(new Error('login failed'), { password: SECRET });
    logger.error({ err: plain, cause: carrying }, 'line');
    expect(lines.join('')).not.toContain(SECRET);
    const line = parsed()[0];
    expect(line.err).toMatchObject({ type: 'Error', message: 'upstream failed' });
    expect(line.cause).toMatchObject({ type: 'Error', message: 'login failed', password: '[redacted]' });
    expect(String((line.cause as { stack: string }).stack)).toContain('login failed');
  });

  it('redacts the bindings of child loggers and of their children', () => {
    const { logger, lines, parsed } = capture();
    logger
      .child({ token: SECRET })
      .child({ input: { password: SECRET }, audit: true })
      .info('line');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(parsed()[0]).toMatchObject({ token: '[redacted]', input: { password: '[redacted]' }, audit: true });
  });

  it('returns the same object, uncopied, when there is nothing to redact', () => {
    const fields = { requestId: 'req-1', status: 200, nested: { path: '/graphql' }, list: [{ token: 'in a list: not a field' }] };
    expect(redactLogFields(fields)).toBe(fields);
  });
});

describe('isoStampAt', () => {
  const expected = (now: number) => `,"time":"${new Date(now).toISOString()}"`;

  it("is toISOString's stamp within a second, across seconds, days and years, and going back in time", () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1009, 1010, 2009, 2010, 2011, 5, 3_600_000, -1].map((step) => start + step);
    for (const now of times) expect(isoStampAt(now)).toBe(expected(now));
  });

  it('gives the same stamp for the same millisecond, and the full format for years past 9999', () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0, 7);
    expect(isoStampAt(now)).toBe(isoStampAt(now));
    const far = Date.UTC(12000, 0, 1, 0, 0, 0, 5);
    expect(isoStampAt(far)).toBe(expected(far));
    expect(isoStampAt(far + 1)).toBe(expected(far + 1));
    expect(isoStampAt(now + 1)).toBe(expected(now + 1));
  });

  it('is the time of every line the logger writes', () => {
    const { logger, parsed } = capture();
    const before = Date.now();
    logger.info('line');
    const time = Date.parse(parsed()[0].time as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});
