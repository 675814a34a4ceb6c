import { pythonPformat, pythonRepr } from '../../../src/emulator/keystone/python-repr';

/** Expected strings are CPython 3.11's own output. */
describe('pythonRepr', () => {
  test.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [5, '5'],
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`it's "both"`, `'it\\'s "both"'`],
    ['tab\tnew\nline\\', "'tab\\tnew\\nline\\\\'"],
    ['\u0001\u007f', "'\\x01\\x7f'"],
    ['€', "'€'"],
    [[1, 'a', [null]], "[1, 'a', [None]]"],
    [{ b: 1, a: { c: [] } }, "{'b': 1, 'a': {'c': []}}"],
  ])('repr(%j) is %s', (value, expected) => {
    expect(pythonRepr(value)).toBe(expected);
  });

  test('pprint sorts dict keys, repr keeps insertion order', () => {
    expect(pythonRepr({ b: 1, a: 2 }, true)).toBe("{'a': 2, 'b': 1}");
    expect(pythonRepr({ b: 1, a: 2 })).toBe("{'b': 1, 'a': 2}");
  });
});

describe('pythonPformat (width 72)', () => {
  test('a value that fits stays on one line', () => {
    expect(pythonPformat({ type: 'array', items: { type: 'string' } })).toBe("{'items': {'type': 'string'}, 'type': 'array'}");
  });

  test('a long list puts one item per line', () => {
    const numbers = Array.from({ length: 30 }, (_, index) => index * 1000);
    const expected = '[' + numbers.map(String).join(',\n ') + ']';
    expect(pythonPformat(numbers)).toBe(expected);
  });

  test('a long dict aligns values after their keys', () => {
    const value = { alpha: 'a'.repeat(40), beta: { gamma: 'g'.repeat(40), delta: 'd'.repeat(10) } };
    expect(pythonPformat(value)).toBe(
      `{'alpha': '${'a'.repeat(40)}',\n` + ` 'beta': {'delta': 'dddddddddd',\n` + `          'gamma': '${'g'.repeat(40)}'}}`,
    );
  });

  test('a long top-level string is cut at spaces into a parenthesised sequence', () => {
    const words = Array.from({ length: 20 }, (_, index) => `word${index}`).join(' ');
    expect(pythonPformat(words)).toBe(
      "('word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 '\n" +
        " 'word11 word12 word13 word14 word15 word16 word17 word18 word19')",
    );
  });
});
