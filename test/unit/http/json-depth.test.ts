import { exceedsJsonDepth, JsonTooDeepError, parseJsonWithDepthLimit } from '../../../src/http/json-depth';

describe('exceedsJsonDepth', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('allows the limit and refuses one level more, for arrays and objects alike', () => {
    expect(exceedsJsonDepth(nested(128))).toBe(false);
    expect(exceedsJsonDepth(nested(129))).toBe(true);
    expect(exceedsJsonDepth(`${'{"a":'.repeat(129)}1${'}'.repeat(129)}`)).toBe(true);
    expect(exceedsJsonDepth(nested(3), 2)).toBe(true);
  });

  it('objects and arrays nested in turn count together', () => {
    const alternating = (levels: number) =>
      Array.from({ length: levels }, (_, level) => (level % 2 ? '[' : '{"a":')).join('') +
      '1' +
      Array.from({ length: levels }, (_, level) => ((levels - 1 - level) % 2 ? ']' : '}')).join('');
    expect(exceedsJsonDepth(alternating(128))).toBe(false);
    expect(exceedsJsonDepth(alternating(129))).toBe(true);
    expect(() => JSON.parse(alternating(129))).not.toThrow();
  });

  it('counts depth, not the number of containers', () => {
    expect(exceedsJsonDepth(`[${Array.from({ length: 10_000 }, () => '[1]').join(',')}]`)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ text: '['.repeat(1_000) }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: `\\"${'{'.repeat(1_000)}` }))).toBe(false);
  });

  it('parses within the limit and throws JsonTooDeepError past it, without parsing', () => {
    expect(parseJsonWithDepthLimit('{"a":[1,{"b":2}]}')).toEqual({ a: [1, { b: 2 }] });
    expect(() => parseJsonWithDepthLimit(nested(500_000))).toThrow(JsonTooDeepError);
    expect(() => parseJsonWithDepthLimit('{')).toThrow(SyntaxError);
  });
});
