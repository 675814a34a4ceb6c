import { createLogger, redactLogFields } from '../../../src/observability/logger';

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
