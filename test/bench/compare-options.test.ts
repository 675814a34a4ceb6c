import { parseCompareOptions } from '../../bench/compare-options';
import { UsageError } from '../../bench/options';

describe('parseCompareOptions', () => {
  it('defaults to the trusted akSk against HEAD, 20 rounds of 2 s at 25 connections to each gateway', () => {
    expect(parseCompareOptions([])).toEqual({
      baseline: 'HEAD',
      op: 'trustedAkSk',
      rounds: 20,
      duration: 2,
      warmup: 3,
      connections: 25,
      logLevel: 'info',
    });
  });

  it('reads every flag, as --name value and --name=value', () => {
    expect(
      parseCompareOptions([
        '--baseline',
        'main~3',
        '--op=akSk',
        '--rounds',
        '8',
        '--duration=1.5',
        '--warmup',
        '0',
        '--connections',
        '1',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      baseline: 'main~3',
      op: 'akSk',
      rounds: 8,
      duration: 1.5,
      warmup: 0,
      connections: 1,
      logLevel: 'warn',
    });
  });

  it.each([
    [['--op', 'nope'], 'unknown operation "nope"'],
    [['--rounds', '1'], '--rounds must be an integer >= 2, got "1"'],
    [['--rounds', '2.5'], '--rounds must be an integer >= 2, got "2.5"'],
    [['--rounds', '7'], '--rounds must be even (half the rounds start each gateway first), got 7'],
    [['--duration', ''], '--duration must be a number >= 1, got ""'],
    [['--connections', 'many'], '--connections must be an integer >= 1, got "many"'],
    [['--runs', '3'], 'unknown option --runs'],
    [['--baseline'], '--baseline needs a value'],
    [['HEAD~1'], 'unexpected argument "HEAD~1"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCompareOptions(argv)).toThrow(new UsageError(message));
  });

  it('answers --help with the usage (an empty UsageError)', () => {
    expect(() => parseCompareOptions(['--help'])).toThrow(new UsageError(''));
  });
});
