import pino, { Logger } from 'pino';
import { redactLogFields } from './logger';

/** What the gateway logs when a request is done: no field of it can hold a secret. */
export interface RequestLine {
  requestId: string;
  method: string;
  /** The route only, never a query string or a download's id (see `loggedPath`). */
  path: string;
  status: number;
  durationMs: number;
}

export type RequestLogWriter = (line: RequestLine) => void;

/** pino's own symbols, by name: some (`msgPrefixSym`) are missing from its types. */
const symbols = pino.symbols as unknown as Record<string, symbol>;

/** A part of a pino logger its lines are made of. */
function internal<T>(logger: Logger, name: string): T {
  return (logger as unknown as Record<symbol, T>)[symbols[name]];
}

const REQUEST_FIELDS: readonly (keyof RequestLine)[] = ['requestId', 'method', 'path', 'status', 'durationMs'];

/**
 * The writer of the per-request line `logger.info(line, 'request')`, or `undefined` when the
 * logger is above `info`. It writes the bytes pino would, to the logger's own stream, with its
 * level, time and bindings, without pino's generic walk over the fields (and the secret-field
 * formatter, which these fields never need): on a trusted document that walk cost more than any
 * other part of the gateway's own code. A logger whose lines pino shapes further (a fields
 * formatter other than `redactLogFields`, a mixin, a nested key, hooks, serializers of these
 * fields, a message prefix, a multistream) keeps `logger.info`.
 */
export function requestLogWriter(logger: Logger): RequestLogWriter | undefined {
  if (!logger.isLevelEnabled('info')) return undefined;
  const fieldsFormatter = internal<{ log?: unknown }>(logger, 'formattersSym').log;
  const serializers = internal<Record<string, unknown>>(logger, 'serializersSym');
  const hooks = internal<{ logMethod?: unknown; streamWrite?: unknown }>(logger, 'hooksSym');
  const stream = internal<{ write(line: string): unknown } & Record<symbol, unknown>>(logger, 'streamSym');
  const shapedByPino =
    (fieldsFormatter !== undefined && fieldsFormatter !== redactLogFields) ||
    internal(logger, 'mixinSym') ||
    internal(logger, 'nestedKeySym') ||
    internal(logger, 'msgPrefixSym') ||
    hooks.logMethod ||
    hooks.streamWrite ||
    stream[symbols.needsMetadataGsym] ||
    REQUEST_FIELDS.some((field) => serializers[field]);
  if (shapedByPino) return (line) => logger.info(line, 'request');

  const head = internal<Record<number, string>>(logger, 'lsCacheSym')[logger.levels.values.info];
  const time = internal<() => string>(logger, 'timeSym');
  const bindings = internal<string>(logger, 'chindingsSym');
  const tail = `,${JSON.stringify(internal(logger, 'messageKeySym'))}:"request"${internal<string>(logger, 'endSym')}`;
  return (line) => {
    stream.write(
      `${head}${time()}${bindings},"requestId":${JSON.stringify(line.requestId)},"method":${JSON.stringify(line.method)}` +
        `,"path":${JSON.stringify(line.path)},"status":${numberField(line.status)},"durationMs":${numberField(line.durationMs)}${tail}`,
    );
  };
}

/** A number as pino writes it: `null` when not finite. */
function numberField(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
