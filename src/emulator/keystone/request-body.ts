/** Reading and decoding request bodies the way Keystone's JSON body hook does. */

import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readCappedBody } from '../../http/capped-body';
import { KeystoneCrash, keystoneErrors } from './keystone-errors';

/** oslo.middleware's `max_request_body_size` default, which Keystone keeps. */
export const DEFAULT_MAX_BODY_BYTES = 114_688;

export type RawBody = { kind: 'complete'; bytes: Buffer } | { kind: 'too-large' };

/**
 * Buffers the body up to `limit` bytes. Past it, the rest is drained unread so the client can
 * finish sending and see the 413 instead of a reset connection.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  const declared = Number(req.headers['content-length']);
  return readCappedBody(req, limit, Number.isFinite(declared) ? declared : undefined).then(
    (bytes): RawBody => ({ kind: 'complete', bytes }),
    (failure: unknown): RawBody => {
      if (!(failure instanceof BodyTooLargeError)) return { kind: 'complete', bytes: Buffer.alloc(0) };
      req.resume();
      return { kind: 'too-large' };
    },
  );
}

/**
 * Deepest nesting Python's JSON decoder gets through inside Keystone on the test server; one
 * level more exhausts its recursion limit, and the RecursionError goes unhandled.
 */
export const MAX_DECODABLE_DEPTH = 935;

/** Bracket nesting depth of a JSON text, ignoring brackets inside strings. */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') {
      inString = true;
    } else if (character === '[' || character === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (character === ']' || character === '}') {
      depth--;
    }
  }
  return deepest;
}

/** `JSON.parse` as Keystone's Python would fare: too deep a document crashes it. */
export function parseJsonLikeKeystone(text: string): unknown {
  if (jsonTextDepth(text) > MAX_DECODABLE_DEPTH) throw new KeystoneCrash('JSON nested too deeply for Python');
  return JSON.parse(text);
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || mime.endsWith('+json');
}

/**
 * An empty body is no body (`undefined`); any other body must be a JSON object sent as
 * `application/json`, otherwise 400 before any route logic runs.
 */
export function decodeJsonObject(bytes: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (bytes.length === 0) return undefined;
  if (!isJsonContentType(contentType)) {
    throw keystoneErrors.missingAttribute('application/json', 'Content-Type header');
  }
  let decoded: unknown;
  try {
    decoded = parseJsonLikeKeystone(bytes.toString('utf8'));
  } catch (failure) {
    if (failure instanceof KeystoneCrash) throw failure;
    throw keystoneErrors.missingAttribute('valid JSON', 'request body');
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw keystoneErrors.missingAttribute('valid JSON', 'request body');
  }
  return decoded as Record<string, unknown>;
}
