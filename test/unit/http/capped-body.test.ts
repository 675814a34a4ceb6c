import { PassThrough } from 'node:stream';
import { BodyTooLargeError, readCappedBody } from '../../../src/http/capped-body';

describe('readCappedBody', () => {
  it('reads a body up to the cap, in as many chunks as it comes', async () => {
    const stream = new PassThrough();
    const read = readCappedBody(stream, 6);
    stream.write('abc');
    stream.end('def');
    expect((await read).toString('utf8')).toBe('abcdef');
  });

  it('refuses a body one byte over the cap, and stops buffering', async () => {
    const stream = new PassThrough();
    const read = readCappedBody(stream, 5);
    stream.end('abcdef');
    await expect(read).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('refuses at once when the declared length is over the cap', async () => {
    const stream = new PassThrough();
    await expect(readCappedBody(stream, 5, 6)).rejects.toMatchObject({ name: 'BodyTooLargeError', maxBytes: 5 });
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('rejects a stream that fails or closes before its end, never a short body', async () => {
    const failing = new PassThrough();
    const failed = readCappedBody(failing, 100);
    failing.destroy(new Error('socket reset'));
    await expect(failed).rejects.toThrow('socket reset');

    const closing = new PassThrough();
    const closed = readCappedBody(closing, 100);
    closing.write('partial');
    closing.destroy();
    await expect(closed).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it("stays settled when a complete body's stream later closes or fails", async () => {
    // Not destroyed at its end, so that it can still fail after it.
    const stream = new PassThrough({ autoDestroy: false });
    const read = readCappedBody(stream, 100, undefined, 60_000);
    stream.end('whole');
    expect((await read).toString('utf8')).toBe('whole');
    stream.destroy(new Error('reset after the end'));
    await new Promise((resolve) => stream.once('close', resolve));
    // Its error was heard (an unheard one would have thrown), and the result is the same.
    expect((await read).toString('utf8')).toBe('whole');
  });

  it('times out a stalled body once, and lets go of the stream', async () => {
    jest.useFakeTimers();
    try {
      const stream = new PassThrough();
      const read = readCappedBody(stream, 100, undefined, 1_000);
      stream.write('some');
      jest.advanceTimersByTime(1_000);
      await expect(read).rejects.toMatchObject({ name: 'BodyTimeoutError' });
      expect(stream.listenerCount('data') + stream.listenerCount('end')).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
