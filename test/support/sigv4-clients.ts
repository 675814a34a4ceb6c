/**
 * Three SigV4 signers nobody here wrote, each sending one GraphQL request to the gateway:
 * `aws4` from npm, Debian's curl (`--aws-sigv4`) and botocore's `SigV4Auth` (Debian's
 * python3-botocore). Region `RegionOne`, service `graphql`: the gateway's defaults.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as aws4 from 'aws4';
import { recordSecrets } from './log-audit';

const run = promisify(execFile);

export interface AkSkKeys {
  accessKey: string;
  secretKey: string;
}

export interface SignedResult<T = any> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export type SignedClient = (graphqlUrl: string, keys: AkSkKeys, body: string) => Promise<SignedResult>;

const REGION = 'RegionOne';
const SERVICE = 'graphql';

/** The signed request `aws4` builds, to send as is or to replay. */
export function aws4Request(graphqlUrl: string, keys: AkSkKeys, body: string, date?: Date) {
  const url = new URL(graphqlUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (date) headers['X-Amz-Date'] = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const signed = aws4.sign(
    { host: url.host, method: 'POST', path: url.pathname, body, service: SERVICE, region: REGION, headers },
    { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
  );
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) sent[name] = String(value);
  return { url: graphqlUrl, init: { method: 'POST', headers: sent, body } };
}

export async function sendSigned(request: ReturnType<typeof aws4Request>): Promise<SignedResult> {
  const response = await fetch(request.url, request.init);
  return (await response.json()) as SignedResult;
}

export const aws4Client: SignedClient = async (graphqlUrl, keys, body) => {
  recordSecrets([keys.secretKey]);
  return sendSigned(aws4Request(graphqlUrl, keys, body));
};

export const curlClient: SignedClient = async (graphqlUrl, keys, body) => {
  recordSecrets([keys.secretKey]);
  const { stdout } = await run('curl', [
    '--silent',
    '--show-error',
    '--aws-sigv4',
    `aws:amz:${REGION}:${SERVICE}`,
    '--user',
    `${keys.accessKey}:${keys.secretKey}`,
    '--header',
    'content-type: application/json',
    '--data-binary',
    body,
    graphqlUrl,
  ]);
  return JSON.parse(stdout) as SignedResult;
};

const BOTOCORE_SCRIPT = `
import json, os, sys, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, body = sys.argv[1], sys.stdin.read()
request = AWSRequest(method='POST', url=url, data=body.encode(), headers={'content-type': 'application/json'})
SigV4Auth(Credentials(os.environ['AK'], os.environ['SK']), '${SERVICE}', '${REGION}').add_auth(request)
prepared = request.prepare()
sent = urllib.request.Request(url, data=prepared.body, headers=dict(prepared.headers), method='POST')
try:
    print(urllib.request.urlopen(sent).read().decode())
except urllib.error.HTTPError as error:
    print(error.read().decode())
`;

export const botocoreClient: SignedClient = async (graphqlUrl, keys, body) => {
  recordSecrets([keys.secretKey]);
  const child = run('/usr/bin/python3', ['-c', BOTOCORE_SCRIPT, graphqlUrl], {
    env: { ...process.env, AK: keys.accessKey, SK: keys.secretKey },
  });
  child.child.stdin?.end(body);
  const { stdout } = await child;
  return JSON.parse(stdout) as SignedResult;
};

export const SIGNED_CLIENTS: [string, SignedClient][] = [
  ['aws4 (npm)', aws4Client],
  ['curl --aws-sigv4', curlClient],
  ['botocore SigV4Auth', botocoreClient],
];

export function operation(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}
