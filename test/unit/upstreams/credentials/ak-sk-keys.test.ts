import { ACCESS_KEY_LENGTH, generateAkSkKeys, SECRET_KEY_LENGTH } from '../../../../src/upstreams/credentials/ak-sk-keys';

describe('generateAkSkKeys', () => {
  it("makes SODA's shape: 16 and 32 characters of [0-9a-zA-Z]", () => {
    expect(ACCESS_KEY_LENGTH).toBe(16);
    expect(SECRET_KEY_LENGTH).toBe(32);
    for (let round = 0; round < 50; round += 1) {
      const { access, secret } = generateAkSkKeys();
      expect(access).toMatch(/^[0-9a-zA-Z]{16}$/);
      expect(secret).toMatch(/^[0-9a-zA-Z]{32}$/);
    }
  });

  it('never repeats itself and uses the whole alphabet', () => {
    const pairs = Array.from({ length: 500 }, () => generateAkSkKeys());
    expect(new Set(pairs.map((pair) => pair.access)).size).toBe(pairs.length);
    expect(new Set(pairs.map((pair) => pair.secret)).size).toBe(pairs.length);
    const seen = new Set(pairs.flatMap((pair) => [...pair.access, ...pair.secret]));
    expect(seen.size).toBe(62);
  });
});
