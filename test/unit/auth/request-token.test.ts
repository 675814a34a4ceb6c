import { IncomingHttpHeaders } from 'node:http';
import { tokenFromRequest } from '../../../src/auth/request-token';

const tokenFromHeaders = (headers: IncomingHttpHeaders) => tokenFromRequest(headers)?.token;

describe('tokenFromRequest', () => {
  it('reads X-Auth-Token, trimmed', () => {
    expect(tokenFromHeaders({ 'x-auth-token': '  gAAAA-token  ' })).toBe('gAAAA-token');
  });

  it('takes the first of repeated X-Auth-Token headers', () => {
    expect(tokenFromHeaders({ 'x-auth-token': ['first', 'second'] })).toBe('first');
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

  it('falls back to the session cookie, and says so', () => {
    expect(tokenFromRequest({ cookie: 'theme=dark; __Host-aksk_session=gAAAA-cookie; other=1' })).toEqual({
      token: 'gAAAA-cookie',
      source: 'cookie',
    });
  });

  // A cookie without the prefix could have been planted by a sibling subdomain: it is not read
  // while the session cookie is Secure (and so `__Host-`); with SESSION_COOKIE_SECURE=false only it is.
  it('reads only the session cookie name in force', () => {
    expect(tokenFromRequest({ cookie: 'aksk_session=planted' })).toBeUndefined();
    expect(tokenFromRequest({ cookie: 'aksk_session=plain; __Host-aksk_session=prefixed' }, 'aksk_session')).toEqual({
      token: 'plain',
      source: 'cookie',
    });
  });

  it('prefers a header token over the session cookie', () => {
    expect(tokenFromRequest({ 'x-auth-token': 'header-token', cookie: '__Host-aksk_session=cookie-token' })).toEqual({
      token: 'header-token',
      source: 'header',
    });
  });

  it('ignores an empty session cookie and look-alike names', () => {
    expect(tokenFromRequest({ cookie: '__Host-aksk_session=; x__Host-aksk_session=nope' })).toBeUndefined();
  });
});
