/**
 * keystoneclient's `Ec2Signer`, which Keystone's `/ec2tokens` uses to recompute a signature
 * from the request description a service sends: signature versions 0, 1, 2 and 4, with its
 * quirks kept (header values only stripped, no query string for POST, the `X-Amz-Date` header
 * key matched case-sensitively, the Boto 2.9.0-2 port strip). Anything Python would raise on
 * is a `KeystoneCrash`.
 */

import { createHash, createHmac } from 'node:crypto';
import { KeystoneCrash } from './keystone-errors';
import { pythonRepr } from './python-repr';

export interface Ec2RequestDescription {
  params: Record<string, unknown>;
  verb: unknown;
  host: unknown;
  path: unknown;
  headers: unknown;
  body_hash: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `_get_utf8_value`: Python's `str()` of anything that is not text. */
function utf8Text(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new KeystoneCrash(`${what} is not a string`);
  return value;
}

/** `urllib.parse.quote` with `safe='-_~'` (letters, digits and `_.-~` are always safe). */
function pythonQuote(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `_canonical_qs`: keys in code-point order, values quoted. */
function canonicalQueryString(params: Record<string, unknown>): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${pythonQuote(key)}=${pythonQuote(utf8Text(params[key]))}`)
    .join('&');
}

const hmacSha256 = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export class Ec2Signer {
  constructor(private readonly secretKey: string) {}

  /** `generate`: the signature the request description should carry. */
  generate(credentials: Ec2RequestDescription): string {
    const params = credentials.params;
    const version = params.SignatureVersion;
    if (version === '0') {
      const text = requireString(params.Action, 'Action') + requireString(params.Timestamp, 'Timestamp');
      return createHmac('sha1', this.secretKey).update(text, 'utf8').digest('base64');
    }
    if (version === '1') {
      const hmac = createHmac('sha1', this.secretKey);
      const keys = Object.keys(params).sort((a, b) => {
        const [x, y] = [a.toLowerCase(), b.toLowerCase()];
        return x < y ? -1 : x > y ? 1 : 0;
      });
      for (const key of keys) hmac.update(key, 'utf8').update(utf8Text(params[key]), 'utf8');
      return hmac.digest('base64');
    }
    if (version === '2') {
      // Keystone's signer writes the method into the caller's params, where it then stays.
      params.SignatureMethod = 'HmacSHA256';
      const host = requireString(credentials.host, 'host');
      const text = `${utf8Text(credentials.verb)}\n${host}\n${utf8Text(credentials.path)}\n${canonicalQueryString(params)}`;
      return createHmac('sha256', this.secretKey).update(text, 'utf8').digest('base64');
    }
    if (isVersion4(credentials)) return this.signatureVersion4(credentials);
    throw new KeystoneCrash(version === undefined ? 'Unexpected signature format' : 'Unknown signature version');
  }

  private signatureVersion4(credentials: Ec2RequestDescription): string {
    const { params } = credentials;
    if (!isRecord(credentials.headers)) throw new KeystoneCrash('headers missing');
    const headers = credentials.headers;
    const authorization = headers.Authorization;
    const authParam = (name: string): unknown => {
      if (authorization === undefined) return params[`X-Amz-${name}`];
      const text = requireString(authorization, 'Authorization');
      const at = text.indexOf(`${name}=`);
      return at === -1 ? '' : text.slice(at + name.length + 1).split(',')[0];
    };
    const signedHeaders = requireString(authParam('SignedHeaders'), 'SignedHeaders');

    const lowered = new Map<string, string>();
    for (const [name, value] of Object.entries(headers))
      lowered.set(name.toLowerCase().trim(), requireString(value, name).trim());
    const stripPort = /^Boto\/2\.[0-9]\.[0-2]/.test(lowered.get('user-agent') ?? '');
    const headerLines: string[] = [];
    for (const name of signedHeaders.split(';')) {
      const value = lowered.get(name);
      if (value === undefined) continue;
      headerLines.push(`${name}:${name === 'host' && stripPort ? value.split(':')[0] : value}`);
    }

    const verb = requireString(credentials.verb, 'verb').toUpperCase();
    const canonicalRequest = [
      verb,
      requireString(credentials.path, 'path'),
      verb === 'POST' ? '' : canonicalQueryString(params),
      `${headerLines.join('\n')}\n`,
      signedHeaders,
      requireString(credentials.body_hash, 'body_hash'),
    ].join('\n');

    const scope = requireString(authParam('Credential'), 'Credential').split('/');
    if (scope.length < 2) throw new KeystoneCrash('Credential has no date');
    const date = headers['X-Amz-Date'] !== undefined ? headers['X-Amz-Date'] : params['X-Amz-Date'];
    const requestDate = requireString(date, 'X-Amz-Date');
    if (!requestDate.startsWith(scope[1])) throw new KeystoneCrash('Request date mismatch error');
    if (scope.length < 4) throw new KeystoneCrash('Credential has no region or service');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      requestDate,
      scope.slice(1).join('/'),
      createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
    ].join('\n');
    const dateKey = hmacSha256(Buffer.from(`AWS4${this.secretKey}`, 'utf8'), scope[1]);
    const signingKey = hmacSha256(hmacSha256(hmacSha256(dateKey, scope[2]), scope[3]), 'aws4_request');
    return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  }
}

/** `_v4_creds`: an `AWS4-HMAC-SHA256` Authorization header, else `X-Amz-Algorithm` in params. */
function isVersion4(credentials: Ec2RequestDescription): boolean {
  const headers = credentials.headers;
  if (isRecord(headers) && headers.Authorization !== undefined) {
    const authorization = headers.Authorization;
    if (typeof authorization !== 'string') throw new KeystoneCrash('Authorization is not a string');
    return authorization.startsWith('AWS4-HMAC-SHA256');
  }
  if (!isRecord(headers) && headers !== undefined && headers !== null) throw new KeystoneCrash('headers is not a dict');
  return credentials.params['X-Amz-Algorithm'] === 'AWS4-HMAC-SHA256';
}
