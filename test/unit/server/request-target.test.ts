import { parseRequestTarget } from '../../../src/server/request-target';

describe('parseRequestTarget', () => {
  it.each([
    ['/graphql', { pathname: '/graphql', search: '' }],
    ['/graphql?query=%7B__typename%7D', { pathname: '/graphql', search: '?query=%7B__typename%7D' }],
    ['/downloads/abc_DEF-123', { pathname: '/downloads/abc_DEF-123', search: '' }],
    ['/graphql#fragment', { pathname: '/graphql', search: '' }],
    ['/graphql?a=1#frag?b=2', { pathname: '/graphql', search: '?a=1' }],
    ['/', { pathname: '/', search: '' }],
    ['/console/app.js', { pathname: '/console/app.js', search: '' }],
    // Dots inside a segment are names, not dot segments.
    ['/console/app.min.js', { pathname: '/console/app.min.js', search: '' }],
    ['/a/..b/c', { pathname: '/a/..b/c', search: '' }],
    // Only the path is checked for dot segments; a query may say anything printable.
    ['/graphql?path=/../x', { pathname: '/graphql', search: '?path=/../x' }],
  ])('accepts %s', (target, expected) => {
    expect(parseRequestTarget(target)).toEqual(expected);
  });

  it.each([
    [undefined],
    [''],
    ['graphql'],
    ['http://evil.example/graphql'],
    ['*'],
    ['//evil.example/graphql'],
    ['/downloads/../graphql'],
    ['/downloads/..'],
    ['/./graphql'],
    ['/downloads/%2e%2e/graphql'],
    ['/downloads/%2E./graphql'],
    ['/downloads/.%2e'],
    ['/downloads/%2e'],
    ['/downloads\\..\\graphql'],
    ['/graphql\\'],
    ['/graph ql'],
    ['/graphql?q=\u00e9'],
    ['/graphql\u0000'],
  ])('refuses %j', (target) => {
    expect(parseRequestTarget(target)).toBeUndefined();
  });
});
