import { tokenFromHeaders } from '../../../src/auth/request-token';

describe('tokenFromHeaders', () => {
  it('reads X-Auth-Token, trimmed', () => {
    expect(tokenFromHeaders({ 'x-auth-token': '  gAAAA-token  ' })).toBe('gAAAA-token');
  });

  it('takes the first of repeated X-Auth-Token headers', () => {
    expect(tokenFromHeaders({ 'x-auth-token': ['first', 'second'] } as never)).toBe('first');
  });

  it('reads a Bearer token, whatever the case of the scheme', () => {
    expect(tokenFromHeaders({ authorization: 'Bearer gAAAA-token' })).toBe('gAAAA-token');
    expect(tokenFromHeaders({ authorization: 'bearer   gAAAA-token  ' })).toBe('gAAAA-token');
  });

  it('prefers X-Auth-Token over Authorization', () => {
    expect(tokenFromHeaders({ 'x-auth-token': 'direct', authorization: 'Bearer other' })).toBe('direct');
  });

  it('falls back to Authorization when X-Auth-Token is blank', () => {
    expect(tokenFromHeaders({ 'x-auth-token': '   ', authorization: 'Bearer other' })).toBe('other');
  });

  it.each([
    ['no header', {}],
    ['Basic credentials', { authorization: 'Basic YWxpY2U6aHVudGVyMg==' }],
    ['a bare Bearer', { authorization: 'Bearer ' }],
    ['two Bearer words', { authorization: 'Bearer a b' }],
    ['a blank X-Auth-Token', { 'x-auth-token': '' }],
  ])('gives undefined for %s', (_what, headers) => {
    expect(tokenFromHeaders(headers)).toBeUndefined();
  });
});
