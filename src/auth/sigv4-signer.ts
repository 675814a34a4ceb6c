/**
 * Signs a fixed probe request with a pair, as a SigV4 client would, for `verifyAkSk`: Keystone's
 * `/ec2tokens` then says whether the secret belongs to the access key. The secret is used here
 * and nowhere else; only the signature leaves this function.
 */

import { createHmac, hash } from 'node:crypto';
import { Ec2Credentials } from '../upstreams/keystone/keystone.types';
import { formatAmzDate, SigV4Settings } from './sigv4-request';

const PROBE_HOST = 'aksk-gateway.invalid';
const PROBE_PATH = '/verify';

export function signProbe(
  accessKey: string,
  secretKey: string,
  settings: Pick<SigV4Settings, 'region' | 'service'>,
  now: number,
): Ec2Credentials {
  const amzDate = formatAmzDate(now);
  const day = amzDate.slice(0, 8);
  const bodyHash = hash('sha256', '', 'hex');
  const canonicalRequest = [
    'POST',
    PROBE_PATH,
    '',
    `host:${PROBE_HOST}\nx-amz-date:${amzDate}\n`,
    'host;x-amz-date',
    bodyHash,
  ].join('\n');
  const scope = `${day}/${settings.region}/${settings.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hash('sha256', canonicalRequest, 'hex')].join('\n');
  const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, day), settings.region), settings.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    access: accessKey,
    signature,
    host: PROBE_HOST,
    verb: 'POST',
    path: PROBE_PATH,
    params: {},
    headers: {
      host: PROBE_HOST,
      'X-Amz-Date': amzDate,
      Authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    },
    body_hash: bodyHash,
  };
}
