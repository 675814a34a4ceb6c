/**
 * Requests signed by `aws4` from npm (a signer nobody here wrote), described as a service hands
 * them to Keystone's `/v3/ec2tokens`: how the suites ask Keystone itself whether a pair works.
 */

import { createHash } from 'node:crypto';
import * as aws4 from 'aws4';

export const GATEWAY_HOST = 'gateway.example:4000';

export interface SignedRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** The query-string form instead of the Authorization header. */
  signQuery?: boolean;
  host?: string;
}

/** The request description a service hands `/ec2tokens`, for a request `aws4` signed. */
export function describeSigned(access: string, secret: string, request: SignedRequest) {
  const signed = aws4.sign(
    {
      host: request.host ?? GATEWAY_HOST,
      method: request.method,
      path: request.path,
      body: request.body,
      service: 'graphql',
      region: 'RegionOne',
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      signQuery: request.signQuery,
    },
    { accessKeyId: access, secretAccessKey: secret },
  );
  return toDescription(access, signed, request);
}

export function toDescription(access: string, signed: aws4.Request, request: SignedRequest) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) headers[name] = String(value);
  const [path, query] = (signed.path ?? '/').split('?');
  const params: Record<string, string> = Object.fromEntries(new URLSearchParams(query ?? ''));
  const signature = headers.Authorization
    ? (/Signature=([0-9a-f]{64})/.exec(headers.Authorization)?.[1] ?? '')
    : params['X-Amz-Signature'];
  delete params['X-Amz-Signature'];
  return {
    access,
    signature,
    host: request.host ?? GATEWAY_HOST,
    verb: request.method,
    path,
    params,
    headers,
    body_hash: createHash('sha256')
      .update(request.body ?? '')
      .digest('hex'),
  };
}

/**
 * The status Keystone's `/ec2tokens` answers for a SigV4 POST signed with the pair, asked with
 * an admin token (its policy is admin-or-service): 200 when it accepts the pair; 401 for a bad
 * signature, 404 when no `ec2` credential holds the access key (deleted, or switched off).
 */
export async function ec2TokensStatus(keystoneUrl: string, adminToken: string, keys: { access: string; secret: string }) {
  const credentials = describeSigned(keys.access, keys.secret, { method: 'POST', path: '/graphql', body: '{}' });
  const response = await fetch(`${keystoneUrl}/ec2tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': adminToken },
    body: JSON.stringify({ credentials }),
  });
  await response.arrayBuffer();
  return response.status;
}
