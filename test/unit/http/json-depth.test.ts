import { exceedsJsonDepth, JsonTooDeepError, parseJsonWithDepthLimit } from '../../../src/http/json-depth';

describe('exceedsJsonDepth', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('allows the limit and refuses one level more, for arrays and objects alike', () => {
    expect(exceedsJsonDepth(nested(128))).toBe(false);
    expect(exceedsJsonDepth(nested(129))).toBe(true);
    expect(exceedsJsonDepth(`${'{"a":'.repeat(129)}1${'}'.repeat(129)}`)).toBe(true);
    expect(exceedsJsonDepth(nested(3), 2)).toBe(true);
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
