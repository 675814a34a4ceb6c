import { writeSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** What the destination needs from the OS, injected by unit tests. */
export interface LogOutput {
  /** `fs.writeSync` (text as UTF-8): the number of bytes written, or throws (`EAGAIN`, `EPIPE`...). */
  write(data: string | Buffer): number;
  /** Runs `retry` a little later: the reader was not ready (`EAGAIN`). */
  later(retry: () => void): void;
  /** Runs `flush` once the current event-loop turn is done. */
  afterTurn(flush: () => void): void;
  /** Blocks for `ms`: only at exit, where nothing else can run anyway. */
  pause(ms: number): void;
}

/** Past this much unwritten output (a reader that stopped reading), new lines are dropped and counted. */
export const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
const EAGAIN_RETRY_MS = 10;
/** At exit, how long a reader that is not ready may hold the last lines up. */
const EXIT_PATIENCE_MS = 1000;

/**
 * The gateway's log lines on one file descriptor (stdout), written synchronously, once per
 * event-loop turn. pino's default destination hands every write to libuv's thread pool; under
 * load that hand-over cost more CPU per request than formatting the line (`npm run bench`: about
 * 12 µs per request in threads other than the main one, for one request line each). Here the
 * lines a turn logs become one `write()` on the main thread right after that turn, so no line
 * waits longer than the turn that logged it, in order, and none is lost at exit.
 *
 * A reader that is not ready (`EAGAIN` on a non-blocking pipe) is retried later without blocking
 * the event loop; one that is gone (`EPIPE`) ends logging, as with pino's own destination.
 */
export class TurnBatchedDestination {
  private pending: string[] = [];
  private backlog: Buffer | undefined;
  private backlogBytes = 0;
  private dropped = 0;
  private flushScheduled = false;
  private retryScheduled = false;
  private closed = false;

  constructor(private readonly output: LogOutput) {}

  /** Called by pino with one formatted line (newline included). */
  write(line: string): boolean {
    if (this.closed) return true;
    if (this.backlogBytes >= MAX_BACKLOG_BYTES) {
      this.dropped += 1;
      return true;
    }
    this.pending.push(line);
    // Lengths in UTF-16 units: close enough for a cap.
    this.backlogBytes += line.length;
    if (!this.flushScheduled && !this.retryScheduled) {
      this.flushScheduled = true;
      this.output.afterTurn(this.flushTurn);
    }
    return true;
  }

  /** Writes everything now, or as much as a reader that is not ready takes. */
  flushSync(): void {
    this.flushScheduled = false;
    this.writeOut();
  }

  /** The last chance: waits (blocking, up to a second) for a reader that is not ready. */
  flushAtExit(): void {
    this.flushSync();
    for (let waited = 0; this.backlog && !this.closed && waited < EXIT_PATIENCE_MS; waited += EAGAIN_RETRY_MS) {
      this.output.pause(EAGAIN_RETRY_MS);
      this.writeOut();
    }
  }

  /** pino's `logger.flush(cb)`. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Bytes accepted but not yet written: the lines of this turn and anything a blocked reader held up. */
  get unwritten(): number {
    return this.backlogBytes;
  }

  private readonly flushTurn = (): void => this.flushSync();

  private readonly retry = (): void => {
    this.retryScheduled = false;
    this.writeOut();
  };

  private writeOut(): void {
    if (this.closed) return;
    let output = this.takeOutput();
    while (output !== undefined && output.length > 0) {
      let written: number;
      try {
        written = this.output.write(output);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          this.holdBack(typeof output === 'string' ? Buffer.from(output, 'utf8') : output);
          return;
        }
        // EPIPE and the like: nobody will ever read these lines.
        this.closed = true;
        this.pending = [];
        this.backlog = undefined;
        this.backlogBytes = 0;
        return;
      }
      // Text goes to the kernel as it is (no Buffer per turn); only a partial write needs bytes.
      if (typeof output === 'string') {
        if (written === Buffer.byteLength(output, 'utf8')) break;
        output = Buffer.from(output, 'utf8');
      }
      output = output.subarray(written);
    }
    this.backlog = undefined;
    this.backlogBytes = 0;
  }

  private holdBack(bytes: Buffer): void {
    this.backlog = bytes;
    this.backlogBytes = bytes.length;
    if (!this.retryScheduled) {
      this.retryScheduled = true;
      this.output.later(this.retry);
    }
  }

  /** The held-up bytes, then this turn's lines, then a note of the lines dropped meanwhile. */
  private takeOutput(): string | Buffer | undefined {
    if (this.pending.length === 0 && this.dropped === 0) return this.backlog;
    let text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    if (this.dropped > 0) {
      text += `${JSON.stringify({
        level: 40,
        time: new Date().toISOString(),
        dropped: this.dropped,
        msg: 'log lines dropped: the log reader did not keep up',
      })}\n`;
      this.dropped = 0;
    }
    return this.backlog ? Buffer.concat([this.backlog, Buffer.from(text, 'utf8')]) : text;
  }
}

let stdout: TurnBatchedDestination | undefined;

/** The process's one stdout destination, flushed at exit. */
export function stdoutDestination(): TurnBatchedDestination {
  if (!stdout) {
    const destination = new TurnBatchedDestination({
      // Two calls because `writeSync` has one overload for text and one for bytes.
      write: (data) => (typeof data === 'string' ? writeSync(1, data) : writeSync(1, data)),
      later: (retry) => setTimeout(retry, EAGAIN_RETRY_MS).unref(),
      afterTurn: (flush) => setImmediate(flush),
      pause: (ms) => Atomics.wait(sleeper, 0, 0, ms),
    });
    process.on('exit', () => destination.flushAtExit());
    stdout = destination;
  }
  return stdout;
}
