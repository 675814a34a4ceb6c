import { largestDifferences, nameCompiledCode, parseFlatProfile, parsePerfMap, totalInstructions } from '../../bench/callgrind';

describe('totalInstructions', () => {
  it("reads a dump's totals line, and its summary line when there is no totals line", () => {
    expect(totalInstructions('events: Ir\nsummary: 0\n\nfn=(1) main\n0 5\n\ntotals: 629305968\n')).toBe(629305968);
    expect(totalInstructions('events: Ir\nsummary: 1234\n')).toBe(1234);
  });

  it('refuses a file that is not a callgrind dump', () => {
    expect(() => totalInstructions('hello')).toThrow('not a callgrind dump');
  });
});

describe('parsePerfMap and nameCompiledCode', () => {
  const perfMap = [
    '18c4000 300 Builtin:DeoptimizationEntry_Eager',
    'd19df40 1a0 JS:*asJson /work/main/node_modules/pino/lib/tools.js:144:18',
    '3cb0a338d040 40 RegExp:^[a-z]+$',
    'not a map line',
  ].join('\n');

  it('reads start, size and name, sorted by start, with spaces in names made underscores', () => {
    expect(parsePerfMap(perfMap)).toEqual([
      { start: 0x18c4000, end: 0x18c4300, name: 'Builtin:DeoptimizationEntry_Eager' },
      { start: 0xd19df40, end: 0xd19e0e0, name: 'JS:*asJson_/work/main/node_modules/pino/lib/tools.js:144:18' },
      { start: 0x3cb0a338d040, end: 0x3cb0a338d080, name: 'RegExp:^[a-z]+$' },
    ]);
  });

  it('names the addresses that fall in compiled code, caller and callee lines alike, and leaves the rest', () => {
    const dump = [
      'fn=(6706) 0x000000000d19df40',
      '0 3604',
      'cfn=(7) 0x00003cb0a338d07f',
      'calls=1 0',
      '0 20',
      'fn=(8) 0x000000000d19e0e0',
      'fn=(9) Builtins_LoadIC',
    ].join('\n');
    expect(nameCompiledCode(dump, perfMap).split('\n')).toEqual([
      'fn=(6706) JS:*asJson_/work/main/node_modules/pino/lib/tools.js:144:18',
      '0 3604',
      'cfn=(7) RegExp:^[a-z]+$',
      'calls=1 0',
      '0 20',
      'fn=(8) 0x000000000d19e0e0',
      'fn=(9) Builtins_LoadIC',
    ]);
  });
});

describe('parseFlatProfile', () => {
  it('reads self instructions per function, one row for a function in several tiers, without the totals', () => {
    const annotated = [
      '--------------------------------------------------------------------------------',
      '1,008,235,472 (100.0%)  PROGRAM TOTALS',
      '13,125,988 ( 3.52%)  ???:Builtins_KeyedLoadIC_Megamorphic [/usr/bin/node]',
      ' 5,030,960 ( 1.35%)  ???:JS:*asJson_/work/tools.js:144:18 [???]',
      '    20,000 ( 0.01%)  ???:JS:^asJson_/work/tools.js:144:18 [???]',
      ' 2,436,800 ( 0.65%)  ./malloc/./malloc/malloc.c:_int_free [/usr/lib/x86_64-linux-gnu/libc.so.6]',
      ' 1,000 ( 0.00%)  ???:0x000000000d19df40 [???]',
    ].join('\n');
    expect([...parseFlatProfile(annotated)]).toEqual([
      ['Builtins_KeyedLoadIC_Megamorphic', 13125988],
      ['JS:asJson_/work/tools.js:144:18', 5050960],
      ['./malloc/./malloc/malloc.c:_int_free', 2436800],
      ['0x…', 1000],
    ]);
  });
});

describe('largestDifferences', () => {
  it('ranks functions by what the target spends beyond the reference, per request', () => {
    const reference = new Map([
      ['shared', 1000],
      ['only in the reference', 5000],
    ]);
    const target = new Map([
      ['shared', 4000],
      ['only in the target', 2000],
    ]);
    expect(largestDifferences(reference, target, 10, 2)).toEqual([
      { name: 'shared', reference: 100, target: 400 },
      { name: 'only in the target', reference: 0, target: 200 },
    ]);
  });
});
