import { createHash } from 'node:crypto';
import * as aws4 from 'aws4';
import {
  formatAmzDate,
  HttpRequestParts,
  isSigV4Request,
  readSignedRequest,
  SigV4Refusal,
} from '../../../src/auth/sigv4-request';

const SETTINGS = { region: 'RegionOne', service: 'graphql', clockSkewMs: 15 * 60_000 };
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const KEYS = { accessKeyId: 'AKIDEXAMPLE0001', secretAccessKey: 'secretsecretsecretsecretsecret00' };
const BODY = '{"query":"{ viewer { user { id } } }"}';

/** A request as `aws4` signs it, in the shape the gateway hands the reader. */
function signedPost(
  overrides: { body?: string; date?: number; region?: string; headers?: Record<string, string> } = {},
): HttpRequestParts {
  const body = overrides.body ?? BODY;
  const signed = aws4.sign(
    {
      host: 'gateway.example:4000',
      method: 'POST',
      path: '/graphql',
      body,
      service: 'graphql',
      region: overrides.region ?? 'RegionOne',
      headers: { 'content-type': 'application/json', 'X-Amz-Date': formatAmzDate(overrides.date ?? NOW), ...overrides.headers },
    },
    KEYS,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return { method: 'POST', path: '/graphql', search: '', headers, body };
}

function refusal(parts: HttpRequestParts, now = NOW): string {
  try {
    readSignedRequest(parts, SETTINGS, now);
  } catch (error) {
    if (error instanceof SigV4Refusal) return error.reason;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('readSignedRequest', () => {
  test('an aws4-signed POST becomes the ec2tokens description: signed headers only, no params, the body hash', () => {
    const parts = signedPost();
    const signed = readSignedRequest(parts, SETTINGS, NOW);
    expect(signed.accessKey).toBe(KEYS.accessKeyId);
    expect(signed.signedAt).toBe(NOW);
    expect(signed.credentials).toEqual({
      access: KEYS.accessKeyId,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      host: 'gateway.example:4000',
      verb: 'POST',
      path: '/graphql',
      params: {},
      headers: {
        'content-length': String(BODY.length),
        'content-type': 'application/json',
        host: 'gateway.example:4000',
        'x-amz-date': formatAmzDate(NOW),
        Authorization: parts.headers.authorization,
        'X-Amz-Date': formatAmzDate(NOW),
      },
      body_hash: createHash('sha256').update(BODY).digest('hex'),
    });
    expect(parts.headers.authorization).toContain(`Signature=${signed.signature}`);
  });

  test('only AWS4 Authorization headers or X-Amz-Algorithm queries are signed requests', () => {
    expect(isSigV4Request({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }, '')).toBe(true);
    expect(isSigV4Request({}, '?X-Amz-Algorithm=AWS4-HMAC-SHA256')).toBe(true);
    expect(isSigV4Request({ authorization: 'Bearer abc' }, '')).toBe(false);
    expect(isSigV4Request({}, '?query=x')).toBe(false);
  });

  test('outside the clock-skew window either way: refused naming both times', () => {
    expect(refusal(signedPost({ date: NOW - 16 * 60_000 }))).toMatch(/too far from the server time 20261201T120000Z/);
    expect(refusal(signedPost({ date: NOW + 16 * 60_000 }))).toMatch(/check the client clock/);
    expect(readSignedRequest(signedPost({ date: NOW - 14 * 60_000 }), SETTINGS, NOW).signedAt).toBe(NOW - 14 * 60_000);
  });

  test('a body that is not the one whose hash was declared is refused before Keystone', () => {
    const parts = signedPost({ headers: { 'X-Amz-Content-Sha256': createHash('sha256').update(BODY).digest('hex') } });
    expect(readSignedRequest(parts, SETTINGS, NOW).credentials.body_hash).toBe(parts.headers['x-amz-content-sha256']);
    expect(refusal({ ...parts, body: '{"query":"mutation { deleteAkSks }"}' })).toMatch(
      /x-amz-content-sha256 is not the SHA-256/,
    );
    expect(refusal(signedPost({ headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } }))).toMatch(/unsigned/);
  });

  test('another region or service, a malformed header, a POST with a query: refused with what to do', () => {
    expect(refusal(signedPost({ region: 'us-east-1' }))).toBe(
      'Wrong credential scope: sign for region "RegionOne" and service "graphql".',
    );
    const parts = signedPost();
    expect(refusal({ ...parts, headers: { ...parts.headers, authorization: 'AWS4-HMAC-SHA256 garbage' } })).toMatch(
      /Malformed Authorization/,
    );
    expect(refusal({ ...parts, search: '?a=1' })).toMatch(/must not carry a query string/);
    const { 'x-amz-date': _date, ...withoutDate } = parts.headers;
    expect(refusal({ ...parts, headers: withoutDate })).toMatch(/X-Amz-Date header is missing/);
    const { 'content-type': _type, ...withoutSignedHeader } = parts.headers;
    expect(refusal({ ...parts, headers: withoutSignedHeader })).toBe('The signed header "content-type" is not in the request.');
  });

  test('the query-string form of a GET: parameters passed on without the signature, expiry enforced', () => {
    const signed = aws4.sign(
      {
        host: 'gateway.example',
        method: 'GET',
        path: '/graphql?query=%7Bviewer%7D',
        service: 'graphql',
        region: 'RegionOne',
        signQuery: true,
      },
      KEYS,
    );
    const [path, query] = (signed.path ?? '').split('?');
    const date = new URLSearchParams(query).get('X-Amz-Date') as string;
    const signedAt = Date.UTC(
      +date.slice(0, 4),
      +date.slice(4, 6) - 1,
      +date.slice(6, 8),
      +date.slice(9, 11),
      +date.slice(11, 13),
      +date.slice(13, 15),
    );
    const parts: HttpRequestParts = { method: 'GET', path, search: `?${query}`, headers: { host: 'gateway.example' }, body: '' };
    const read = readSignedRequest(parts, SETTINGS, signedAt);
    expect(read.credentials.params).toMatchObject({ query: '{viewer}', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    expect(read.credentials.params).not.toHaveProperty('X-Amz-Signature');
    expect(read.credentials.headers).toEqual({ host: 'gateway.example' });
    // Without X-Amz-Expires the clock-skew window alone bounds a presigned request.
    expect(refusal(parts, signedAt + 16 * 60_000)).toMatch(/too far from the server time/);
    expect(refusal({ ...parts, method: 'POST' }, signedAt)).toMatch(/on GET only/);
    const expiring = { ...parts, search: `${parts.search}&X-Amz-Expires=60` };
    expect(refusal(expiring, signedAt + 61_000)).toBe('The presigned request has expired (X-Amz-Expires).');
  });
});
