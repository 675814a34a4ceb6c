import type { Readable } from 'node:stream';

/** A body longer than its reader's cap, refused before it was all buffered. */
export class BodyTooLargeError extends RangeError {
  constructor(readonly maxBytes: number) {
    super(`body larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The sender paused longer than the reader's idle timeout between two chunks. */
export class BodyTimeoutError extends Error {
  constructor() {
    super('body stalled');
    this.name = 'BodyTimeoutError';
  }
}

/**
 * The whole body of a request or response, refusing more than `maxBytes` (at once when the
 * declared length says so). Events, not an async iterator: cheaper on the hot path. On refusal
 * it stops buffering; the caller drains (`resume`) or destroys the stream. A stream that closes
 * short of its end rejects, so a broken connection is never read as a complete body.
 */
export function readCappedBody(
  stream: Readable,
  maxBytes: number,
  declaredLength?: number,
  /** Longest pause allowed before and between chunks; none when undefined. */
  idleTimeoutMs?: number,
): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > maxBytes) return Promise.reject(new BodyTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const armIdleTimer = () => {
      if (idleTimeoutMs === undefined) return;
      // One timer per body, pushed back per chunk: cheaper than a new timer each time.
      if (idle) {
        idle.refresh();
        return;
      }
      idle = setTimeout(() => fail(new BodyTimeoutError()), idleTimeoutMs);
    };
    /** True the first time only: the promise settles once, and its idle timer goes then. */
    const settle = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(idle);
      return true;
    };
    /** On refusal the listeners go: the caller may drain the rest, which is not ours to count. */
    const fail = (error: Error) => {
      if (!settle()) return;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', fail);
      stream.off('close', onClose);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        armIdleTimer();
        return;
      }
      fail(new BodyTooLargeError(maxBytes));
    };
    // A complete body leaves the listeners on its spent stream (removing four cost more than the
    // rest of the read): a later 'close' or 'error' finds the promise settled.
    const onEnd = () => {
      if (settle()) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onClose = () => {
      // Every complete body's stream closes too: no error (and its stack trace) for those.
      if (!settled) fail(Object.assign(new Error('the body ended early'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', fail);
    stream.on('close', onClose);
    armIdleTimer();
  });
}
