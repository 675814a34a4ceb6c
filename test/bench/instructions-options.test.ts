import { parseInstructionsOptions } from '../../bench/instructions-options';
import { UsageError } from '../../bench/options';

describe('parseInstructionsOptions', () => {
  it('defaults to akSk and trusted akSk, 3 counted batches of 1000 requests after 6000, one at a time, logging at info', () => {
    expect(parseInstructionsOptions([])).toEqual({
      ops: ['akSk', 'trustedAkSk'],
      requests: 1000,
      batches: 3,
      warmup: 6000,
      connections: 1,
      profile: false,
      logLevel: 'info',
    });
  });

  it('reads every flag', () => {
    expect(
      parseInstructionsOptions([
        '--ops',
        'login, users',
        '--requests=200',
        '--batches=5',
        '--warmup',
        '0',
        '--connections',
        '50',
        '--profile',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      ops: ['login', 'users'],
      requests: 200,
      batches: 5,
      warmup: 0,
      connections: 50,
      profile: true,
      logLevel: 'warn',
    });
  });

  it.each([
    [['--ops', 'nope'], 'unknown operation "nope"'],
    [['--ops', ','], '--ops names no operation'],
    [['--requests', '5'], '--requests must be an integer >= 10, got "5"'],
    [['--batches', '0'], '--batches must be an integer >= 1, got "0"'],
    [['--warmup', '1.5'], '--warmup must be an integer >= 0, got "1.5"'],
    [['--connections', ''], '--connections must be an integer >= 1, got ""'],
    [['--duration', '3'], 'unknown option --duration'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseInstructionsOptions(argv)).toThrow(new UsageError(message));
  });
});
