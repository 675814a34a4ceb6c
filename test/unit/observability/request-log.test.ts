import pino, { Logger } from 'pino';
import { createLogger } from '../../../src/observability/logger';
import { RequestLine, requestLogWriter } from '../../../src/observability/request-log';

const LINES: RequestLine[] = [
  { requestId: 'req-3f1c2a9e-8d4b-4f6e-9a7c-1b2d3e4f5a6b', method: 'POST', path: '/graphql', status: 200, durationMs: 1.234567 },
  { requestId: 'req-1', method: 'GET', path: '/downloads/:id', status: 404, durationMs: 0 },
  // What a client can put in a path: quotes, backslashes, control and Latin-1 characters.
  { requestId: 'req-2', method: 'PATCH', path: '/a"b\\c\u0001d\u00e9\u007f/', status: 400, durationMs: 12 },
  { requestId: 'req-3', method: 'GET', path: `/${'x'.repeat(80)}`, status: 500, durationMs: Number.POSITIVE_INFINITY },
];

function capturing(make: (destination: { write(line: string): void }) => Logger) {
  const lines: string[] = [];
  const logger = make({ write: (line: string) => lines.push(line) });
  return { logger, lines };
}

/** The writer's line and `logger.info(line, 'request')`'s, at the same instant. */
function bothLines(logger: Logger, lines: string[], line: RequestLine): { written: string; pinos: string } {
  const write = requestLogWriter(logger);
  if (!write) throw new Error('no writer at info');
  write(line);
  logger.info(line, 'request');
  const [written, pinos] = lines.splice(0);
  return { written, pinos };
}

describe('requestLogWriter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 3, 7, 30, 15, 42) });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it.each(LINES)("writes pino's bytes for $method $path without going through logger.info", (line) => {
    const { logger, lines } = capturing((destination) => createLogger('info', destination));
    const write = requestLogWriter(logger)!;
    const info = jest.spyOn(logger, 'info');
    write(line);
    expect(info).not.toHaveBeenCalled();
    info.mockRestore();
    logger.info(line, 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(lines[1]);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, service: 'soda-aksk-gateway', msg: 'request', path: line.path });
  });

  it("carries a child logger's bindings, as pino does", () => {
    const { logger, lines } = capturing((destination) => createLogger('debug', destination));
    const { written, pinos } = bothLines(logger.child({ component: 'edge' }), lines, LINES[0]);
    expect(written).toBe(pinos);
    expect(JSON.parse(written)).toMatchObject({ component: 'edge', requestId: LINES[0].requestId });
  });

  it("matches a plain pino logger's lines (epoch time, pid and hostname, another message key)", () => {
    const { logger, lines } = capturing((destination) => pino({ messageKey: 'message' }, destination));
    const info = jest.spyOn(logger, 'info');
    const { written, pinos } = bothLines(logger, lines, LINES[2]);
    expect(info).toHaveBeenCalledTimes(1);
    expect(written).toBe(pinos);
    expect(JSON.parse(written)).toMatchObject({ message: 'request', pid: process.pid });
  });

  it.each([
    ['a mixin', { mixin: () => ({ extra: 1 }) }],
    ['a fields formatter', { formatters: { log: (fields: object) => ({ ...fields, formatted: true }) } }],
    ['a serializer of a request field', { serializers: { path: () => '/hidden' } }],
    ['a nested key', { nestedKey: 'payload' }],
  ])('leaves a logger with %s to logger.info', (_what, options) => {
    const { logger, lines } = capturing((destination) => pino(options, destination));
    const info = jest.spyOn(logger, 'info');
    const { written, pinos } = bothLines(logger, lines, LINES[0]);
    expect(info).toHaveBeenCalledTimes(2);
    expect(written).toBe(pinos);
  });

  it('is undefined above info', () => {
    const { logger } = capturing((destination) => createLogger('warn', destination));
    expect(requestLogWriter(logger)).toBeUndefined();
  });
});
