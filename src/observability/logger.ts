import pino, { DestinationStream, Logger } from 'pino';
import { stdoutDestination } from './log-destination';
import { REDACTED } from './redact';

export type { Logger } from 'pino';

/**
 * Fields that could ever hold a secret, redacted at the top level of a log line and one level
 * down (`{ input: { password } }`). Log calls pass objects, never raw bodies or variables; this
 * is the backstop should one slip through.
 */
const SECRET_FIELDS = new Set(['token', 'password', 'secretKey', 'secret_key', 'variables']);
/** Redacted inside any `headers` object at those two levels. */
const SECRET_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'authorization', 'cookie']);

/**
 * Redaction as a formatter rather than pino's `redact` paths: paths starting with `*` run
 * fast-redact on every field of every line, about 25 µs a line, where this walk costs well under
 * one. The fields are never changed: a line with a secret is logged from a copy.
 */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactLevel(fields, true);
}

function redactLevel(fields: Record<string, unknown>, top: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const value = fields[key];
    let safe = value;
    if (SECRET_FIELDS.has(key)) safe = value === undefined ? value : REDACTED;
    else if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    else if (key === 'headers') safe = redactHeaders(value as Record<string, unknown>);
    else if (top) safe = redactNested(value);
    if (safe === value) continue;
    copy ??= { ...fields };
    copy[key] = safe;
  }
  return copy ?? fields;
}

/** One level down; an error is serialized first (its fields are not enumerable) when it holds a secret. */
function redactNested(value: object): unknown {
  const redacted = redactLevel(value as Record<string, unknown>, false);
  if (redacted === value || !(value instanceof Error)) return redacted;
  return redactLevel(pino.stdSerializers.err(value), false);
}

function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const name of SECRET_HEADERS) {
    if (headers[name] === undefined) continue;
    copy ??= { ...headers };
    copy[name] = REDACTED;
  }
  return copy ?? headers;
}

let stampedAt = NaN;
let stamp = '';
let secondStartedAt = NaN;
/** `,"time":"2026-12-02T17:53:32.` for the second that started at `secondStartedAt`. */
let secondPrefix = '';

/** pino's `isoTime`: under load many lines share a millisecond, and a second's lines its prefix. */
function isoTimestamp(): string {
  return isoStampAt(Date.now());
}

/**
 * `,"time":"<new Date(now).toISOString()>"`, calling `toISOString` once a second: it costs more
 * than the rest of a request's log line.
 */
export function isoStampAt(now: number): string {
  if (now === stampedAt) return stamp;
  stampedAt = now;
  let millisecond = now - secondStartedAt;
  if (!(millisecond >= 0 && millisecond < 1000)) {
    millisecond = ((now % 1000) + 1000) % 1000;
    const iso = new Date(now).toISOString();
    // Years beyond 9999 widen the format: those stamps are never cut and reused.
    secondStartedAt = iso.length === 24 ? now - millisecond : NaN;
    secondPrefix = `,"time":"${iso.slice(0, 20)}`;
    if (iso.length !== 24) return (stamp = `,"time":"${iso}"`);
  }
  stamp = `${secondPrefix}${millisecond < 10 ? '00' : millisecond < 100 ? '0' : ''}${millisecond}Z"`;
  return stamp;
}

/** A logger writing to `destination`, by default stdout a turn at a time (`TurnBatchedDestination`). */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  const logger = pino(
    {
      level,
      base: { service: 'soda-aksk-gateway' },
      formatters: { log: redactLogFields },
      timestamp: isoTimestamp,
    },
    destination,
  );
  // pino formats the bindings of the root logger only; children (which inherit this method) have
  // theirs redacted here.
  const pinoChild = Object.getPrototypeOf(logger) as Pick<Logger, 'child'>;
  logger.child = function child(this: Logger, bindings, options) {
    return pinoChild.child.call(this, redactLogFields(bindings), options);
  } as Logger['child'];
  return logger;
}
