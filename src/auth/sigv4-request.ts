/**
 * Reads an AWS Signature Version 4 request (the `Authorization: AWS4-HMAC-SHA256 ...` header
 * form, or the `X-Amz-*` query form of a GET) into the request description Keystone's
 * `/v3/ec2tokens` recomputes the signature from. Only what Keystone's signer reproduces exactly
 * as AWS clients compute it is accepted; the rest is refused with a reason the client can act on,
 * before anything reaches Keystone. The gateway never sees a secret here: Keystone checks.
 */

import { hash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { Ec2Credentials } from '../upstreams/keystone/keystone.types';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export interface SignedRequest {
  accessKey: string;
  /** When the client says it signed, epoch milliseconds. */
  signedAt: number;
  signature: string;
  credentials: Ec2Credentials;
}

export interface SigV4Settings {
  region: string;
  service: string;
  clockSkewMs: number;
}

export interface HttpRequestParts {
  method: string;
  /** Path without the query. */
  path: string;
  /** `?...` or empty. */
  search: string;
  headers: IncomingHttpHeaders;
  /** The body as the gateway read it (empty for GET). */
  body: string;
}

/** A signed request the gateway will not pass on; `reason` is for the client. */
export class SigV4Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SigV4Refusal';
  }
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNED_HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const ACCESS_KEY = /^[\x21-\x7e]{1,256}$/;

/** Whether the request claims a SigV4 signature at all (then it must be a good one). */
export function isSigV4Request(headers: IncomingHttpHeaders, search: string): boolean {
  return (headers.authorization ?? '').startsWith('AWS4-') || /[?&]X-Amz-Algorithm=/.test(search);
}

/** Parses and checks a SigV4 request; throws `SigV4Refusal` with the reason. */
export function readSignedRequest(request: HttpRequestParts, settings: SigV4Settings, now: number): SignedRequest {
  const authorization = request.headers.authorization;
  const query = parseQuery(request.search);
  const inQuery = authorization === undefined || !authorization.startsWith('AWS4-');
  const method = request.method.toUpperCase();

  let credential: string, signedHeaderList: string, signature: string, amzDate: string | undefined;
  let expiresMs: number | undefined;
  if (!inQuery) {
    const parts = AUTHORIZATION.exec(authorization);
    if (!parts) {
      throw new SigV4Refusal(
        'Malformed Authorization header: expected "AWS4-HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=<64 hex>".',
      );
    }
    [, credential, signedHeaderList, signature] = parts;
    amzDate = single(request.headers['x-amz-date']);
    if (!amzDate)
      throw new SigV4Refusal('The X-Amz-Date header is missing: sign with X-Amz-Date (the Date header is not supported).');
    // Keystone computes the canonical query only for methods other than POST.
    if (method === 'POST' && request.search.length > 1) {
      throw new SigV4Refusal('A signed POST must not carry a query string: put everything in the body.');
    }
  } else {
    if (method !== 'GET') throw new SigV4Refusal('The query-string signature form is accepted on GET only.');
    if (query.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) throw new SigV4Refusal(`X-Amz-Algorithm must be ${SIGV4_ALGORITHM}.`);
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaderList = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date');
    const expires = query.get('X-Amz-Expires');
    if (!/^[0-9a-f]{64}$/.test(signature) || !credential || !signedHeaderList || !amzDate) {
      throw new SigV4Refusal(
        'Incomplete query-string signature: X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature are required.',
      );
    }
    if (expires !== undefined) {
      if (!/^\d{1,6}$/.test(expires)) throw new SigV4Refusal('X-Amz-Expires must be a number of seconds.');
      expiresMs = Number(expires) * 1000;
    }
  }

  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1]) || !ACCESS_KEY.test(scope[0])) {
    throw new SigV4Refusal('Malformed Credential: expected ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request.');
  }
  const [accessKey, scopeDate, region, service] = scope;
  if (region !== settings.region || service !== settings.service) {
    throw new SigV4Refusal(`Wrong credential scope: sign for region "${settings.region}" and service "${settings.service}".`);
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw new SigV4Refusal('X-Amz-Date must look like 20260101T120000Z.');
  if (!amzDate.startsWith(scopeDate)) throw new SigV4Refusal('The credential scope date is not the date of X-Amz-Date.');
  if (Math.abs(now - signedAt) > settings.clockSkewMs) {
    throw new SigV4Refusal(
      `Request time ${amzDate} is too far from the server time ${formatAmzDate(now)} (more than ${settings.clockSkewMs / 60_000} minutes): check the client clock.`,
    );
  }
  if (expiresMs !== undefined && now > signedAt + expiresMs)
    throw new SigV4Refusal('The presigned request has expired (X-Amz-Expires).');

  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.every((name) => SIGNED_HEADER_NAME.test(name)) || !isSortedUnique(signedHeaders)) {
    throw new SigV4Refusal('SignedHeaders must be lower-case header names, sorted, separated by ";".');
  }
  if (!signedHeaders.includes('host')) throw new SigV4Refusal('The host header must be signed.');
  if (!inQuery && !signedHeaders.includes('x-amz-date')) throw new SigV4Refusal('The x-amz-date header must be signed.');

  const bodyHash = hash('sha256', request.body, 'hex');
  const declaredHash = single(request.headers['x-amz-content-sha256']);
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    throw new SigV4Refusal(
      'x-amz-content-sha256 is not the SHA-256 of the body sent (unsigned and streaming payloads are not accepted).',
    );
  }

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) throw new SigV4Refusal(`The signed header "${name}" is not in the request.`);
    // AWS's canonical form; Keystone only strips, so the collapsing is done here.
    headers[name] = (Array.isArray(value) ? value : [value]).map((item) => item.trim().replace(/\s+/g, ' ')).join(',');
  }
  if (!inQuery) {
    headers.Authorization = authorization;
    headers['X-Amz-Date'] = amzDate;
  }
  const params: Record<string, string> = {};
  if (method !== 'POST') {
    for (const [name, value] of query.entries) if (name !== 'X-Amz-Signature') params[name] = value;
  }
  return {
    accessKey,
    signedAt,
    signature,
    credentials: {
      access: accessKey,
      signature,
      host: headers.host,
      verb: method,
      path: request.path,
      params,
      headers,
      body_hash: bodyHash,
    },
  };
}

interface ParsedQuery {
  entries: [string, string][];
  get(name: string): string | undefined;
}

/** Single-valued parameters only: Keystone takes them as a dict, so a repeated name cannot be verified. */
function parseQuery(search: string): ParsedQuery {
  const entries: [string, string][] = [];
  if (search.length > 1) {
    for (const part of search.slice(1).split('&')) {
      if (part === '') continue;
      const at = part.indexOf('=');
      const [rawName, rawValue] = at === -1 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
      let name: string, value: string;
      try {
        name = decodeURIComponent(rawName);
        value = decodeURIComponent(rawValue);
      } catch {
        throw new SigV4Refusal('Malformed percent-encoding in the query string.');
      }
      if (rawName.includes('+') || rawValue.includes('+'))
        throw new SigV4Refusal('Encode spaces in a signed query as %20, not +.');
      if (entries.some(([existing]) => existing === name)) throw new SigV4Refusal(`The query parameter "${name}" is repeated.`);
      entries.push([name, value]);
    }
  }
  return { entries, get: (name) => entries.find(([existing]) => existing === name)?.[1] };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isSortedUnique(names: string[]): boolean {
  return names.every((name, index) => index === 0 || names[index - 1] < name);
}

function parseAmzDate(text: string): number | undefined {
  const parts = AMZ_DATE.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(time);
  return check.getUTCDate() === day && check.getUTCHours() === hour ? time : undefined;
}

export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
}
