import { LogOutput, MAX_BACKLOG_BYTES, TurnBatchedDestination } from '../../../src/observability/log-destination';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** An output whose writes, turns and retries the test runs by hand. */
function fakeOutput() {
  const chunks: Buffer[] = [];
  const turns: Array<() => void> = [];
  const retries: Array<() => void> = [];
  /** What each coming write does: a number of bytes to take at most, or an error code. */
  const script: Array<number | string> = [];
  let pauses = 0;
  const output: LogOutput = {
    write: (data) => {
      const step = script.shift();
      if (typeof step === 'string') throw errno(step);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const taken = bytes.subarray(0, step ?? bytes.length);
      chunks.push(Buffer.from(taken));
      return taken.length;
    },
    later: (retry) => retries.push(retry),
    afterTurn: (flush) => turns.push(flush),
    pause: () => {
      pauses += 1;
    },
  };
  const run = (queue: Array<() => void>) => queue.splice(0).forEach((callback) => callback());
  return {
    output,
    /** Each write as text. */
    get writes() {
      return chunks.map((chunk) => chunk.toString('utf8'));
    },
    /** Everything written, decoded as a whole. */
    text: () => Buffer.concat(chunks).toString('utf8'),
    script,
    endTurn: () => run(turns),
    retry: () => run(retries),
    pending: () => ({ turns: turns.length, retries: retries.length }),
    pauses: () => pauses,
  };
}

describe('TurnBatchedDestination', () => {
  it('writes the lines of one turn together, in order, once the turn is over', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    destination.write('one\n');
    destination.write('two\n');
    destination.write('three\n');
    expect(fake.writes).toEqual([]);
    expect(fake.pending().turns).toBe(1);
    fake.endTurn();
    expect(fake.writes).toEqual(['one\ntwo\nthree\n']);
    destination.write('four\n');
    fake.endTurn();
    expect(fake.writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
    expect(destination.unwritten).toBe(0);
  });

  it('writes the rest of a partial write, multi-byte characters intact', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    fake.script.push(3, 2);
    destination.write('né→ok\n');
    fake.endTurn();
    expect(fake.writes.length).toBe(3);
    expect(fake.text()).toBe('né→ok\n');
  });

  it('keeps lines a reader was not ready for and writes them, first, when it is', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    fake.script.push(5, 'EAGAIN');
    destination.write('first line\n');
    fake.endTurn();
    expect(fake.writes).toEqual(['first']);
    expect(fake.pending().retries).toBe(1);
    // Lines logged meanwhile wait for the retry: no turn flush races it.
    destination.write('second line\n');
    expect(fake.pending().turns).toBe(0);
    fake.retry();
    expect(fake.text()).toBe('first line\nsecond line\n');
    expect(destination.unwritten).toBe(0);
  });

  it('drops and counts lines past the backlog cap, and says so once the reader is back', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    fake.script.push('EAGAIN');
    const big = `${'x'.repeat(MAX_BACKLOG_BYTES)}\n`;
    destination.write(big);
    fake.endTurn();
    destination.write('lost 1\n');
    destination.write('lost 2\n');
    fake.retry();
    const output = fake.text();
    expect(output.startsWith(big)).toBe(true);
    expect(output).not.toContain('lost');
    const notice = JSON.parse(output.slice(big.length)) as Record<string, unknown>;
    expect(notice).toMatchObject({ level: 40, dropped: 2, msg: 'log lines dropped: the log reader did not keep up' });
    destination.write('kept\n');
    fake.endTurn();
    expect(fake.writes.at(-1)).toBe('kept\n');
  });

  it('stops logging, without throwing, once the reader is gone (EPIPE)', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    fake.script.push('EPIPE');
    destination.write('nobody reads this\n');
    expect(() => fake.endTurn()).not.toThrow();
    destination.write('nor this\n');
    expect(fake.pending().turns).toBe(0);
    expect(fake.writes).toEqual([]);
    expect(destination.unwritten).toBe(0);
  });

  it('at exit, waits a bounded time for a reader that is not ready', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    fake.script.push('EAGAIN', 'EAGAIN');
    destination.write('last words\n');
    destination.flushAtExit();
    expect(fake.writes).toEqual(['last words\n']);
    expect(fake.pauses()).toBe(2);

    const stuck = fakeOutput();
    const never = new TurnBatchedDestination(stuck.output);
    stuck.script.push(...Array.from({ length: 1000 }, () => 'EAGAIN'));
    never.write('never read\n');
    never.flushAtExit();
    expect(stuck.pauses()).toBe(100);
    expect(stuck.writes).toEqual([]);
  });

  it('flushSync writes what this turn logged without waiting for its end', () => {
    const fake = fakeOutput();
    const destination = new TurnBatchedDestination(fake.output);
    destination.write('now\n');
    destination.flushSync();
    expect(fake.writes).toEqual(['now\n']);
    fake.endTurn();
    expect(fake.writes).toEqual(['now\n']);
  });
});
