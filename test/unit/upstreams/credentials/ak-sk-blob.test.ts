import { parseAkSkBlob, stateOf, writeAkSkBlob } from '../../../../src/upstreams/credentials/ak-sk-blob';

const NOW = Date.parse('2026-12-01T00:00:00.000Z');

describe('the AK/SK blob', () => {
  it('writes metadata beside the keys under snake_case names, and reads it back', () => {
    const blob = writeAkSkBlob({
      access: 'AAAAAAAAAAAAAAAA',
      secret: 's'.repeat(32),
      metadata: { description: 'CI', createdAt: new Date(NOW), createdBy: 'u-1', expiresAt: new Date(NOW + 1000) },
      others: {},
    });
    expect(JSON.parse(blob)).toEqual({
      access: 'AAAAAAAAAAAAAAAA',
      secret: 's'.repeat(32),
      description: 'CI',
      created_at: '2026-12-01T00:00:00.000Z',
      created_by: 'u-1',
      expires_at: '2026-12-01T00:00:01.000Z',
    });
    expect(parseAkSkBlob(blob)?.metadata).toEqual({
      description: 'CI',
      createdAt: new Date(NOW),
      createdBy: 'u-1',
      expiresAt: new Date(NOW + 1000),
    });
  });

  it("keeps fields it does not own, such as OS-EC2's trust_id, and ignores unreadable metadata", () => {
    const parsed = parseAkSkBlob('{"access": "a", "secret": "b", "trust_id": null, "expires_at": "soon", "transition": "x"}');
    expect(parsed).toEqual({ access: 'a', secret: 'b', metadata: {}, others: { trust_id: null } });
    expect(JSON.parse(writeAkSkBlob(parsed!))).toEqual({ trust_id: null, access: 'a', secret: 'b' });
  });

  it.each(['not json', '[1]', '{"access": "a"}', '{"access": 5, "secret": "b"}'])('reads %s as no pair', (blob) => {
    expect(parseAkSkBlob(blob)).toBeUndefined();
  });

  it('reads EXPIRED from the moment of expiry, whatever the type; INACTIVE for ec2-inactive; ACTIVE otherwise', () => {
    const expiresAt = new Date(NOW);
    expect(stateOf('ec2', { expiresAt }, NOW - 1)).toBe('ACTIVE');
    expect(stateOf('ec2', { expiresAt }, NOW)).toBe('EXPIRED');
    expect(stateOf('ec2-inactive', { expiresAt }, NOW)).toBe('EXPIRED');
    expect(stateOf('ec2-inactive', {}, NOW)).toBe('INACTIVE');
    expect(stateOf('ec2', undefined, NOW)).toBe('ACTIVE');
  });
});
