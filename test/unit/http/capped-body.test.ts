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
});
