import { AkSkPair } from '../upstreams/ak-sk-backend';
import { stateOf } from '../upstreams/credentials/ak-sk-blob';

/** The formats a user's pairs download as; the GraphQL enum `AkSkFileFormat` is made from this object. */
export const AkSkFileFormat = { JSON: 'json', CSV: 'csv', AWS_CREDENTIALS: 'aws-credentials', ENV: 'env' } as const;
export type AkSkFileFormat = (typeof AkSkFileFormat)[keyof typeof AkSkFileFormat];

export interface AkSkFile {
  filename: string;
  contentType: string;
  body: string;
  /** The pairs whose keys the file holds: the audit names each as downloaded. */
  pairs: AkSkPair[];
}

/**
 * Renders a user's pairs as a file. JSON keeps the multicloud service's own download format,
 * so scripts written against the public how-to's `curl --output` keep working.
 */
export function renderAkSkFile(userId: string, pairs: AkSkPair[], format: AkSkFileFormat, now = Date.now()): AkSkFile {
  const base = `aksk-${userId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  if (format === 'aws-credentials') {
    return { filename: `${base}.credentials`, contentType: 'text/plain; charset=utf-8', body: awsCredentials(pairs, now), pairs };
  }
  if (format === 'env') {
    const chosen = chosenPair(pairs, now);
    const body = envFile(chosen, pairs.length, now);
    return { filename: `${base}-ec2rc.sh`, contentType: 'text/plain; charset=utf-8', body, pairs: chosen ? [chosen] : [] };
  }
  if (format === 'csv') {
    const header = ['user_id', 'project_id', 'type', 'access_key', 'secret_key'];
    const rows = pairs.map((pair) => [pair.userId, pair.projectId, pair.type, pair.accessKey, pair.secretKey]);
    return {
      filename: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n',
      pairs,
    };
  }
  const records = pairs.map((pair) => ({
    project_id: pair.projectId,
    user_id: pair.userId,
    type: pair.type,
    blob: { access_key: pair.accessKey, secret_key: pair.secretKey },
  }));
  return {
    filename: `${base}.json`,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(records, null, 2) + '\n',
    pairs,
  };
}

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The pair a single-profile use takes: the first active one, else the first (an unusable file beats none). */
function chosenPair(pairs: AkSkPair[], now: number): AkSkPair | undefined {
  return pairs.find((pair) => stateOf(pair.type, pair.metadata, now) === 'ACTIVE') ?? pairs[0];
}

/** `#` lines on the pair's state; the expiry only where the backend let the gateway read it. */
function stateComments(pair: AkSkPair, now: number): string[] {
  const lines = [`# status: ${stateOf(pair.type, pair.metadata, now)}`, `# project: ${pair.projectId}`];
  const expiresAt = pair.metadata?.expiresAt;
  if (expiresAt) lines.push(`# expires: ${expiresAt.toISOString()}`);
  if (pair.metadata?.description) lines.push(`# description: ${oneLine(pair.metadata.description)}`);
  return lines;
}

/**
 * An AWS shared-credentials file (`~/.aws/credentials`): one profile per pair, named by its
 * access key, and `[default]` for the first active pair so a plain `aws` or boto3 call works.
 * Comments sit on their own lines: the INI parser takes a `#` after a value as part of it.
 */
function awsCredentials(pairs: AkSkPair[], now: number): string {
  const chosen = chosenPair(pairs, now);
  const profile = (name: string, pair: AkSkPair) => [
    `[${name}]`,
    ...stateComments(pair, now),
    `aws_access_key_id = ${pair.accessKey}`,
    `aws_secret_access_key = ${pair.secretKey}`,
    '',
  ];
  const lines = [
    '# AK/SK pairs for the AWS CLI and SDKs: [default] is the first active pair, every pair has a profile named by its access key.',
    '',
  ];
  if (chosen) lines.push(...profile('default', chosen));
  for (const pair of pairs) lines.push(...profile(pair.accessKey, pair));
  return lines.join('\n');
}

/** A file to `source`, as Horizon's `ec2rc.sh`: one pair only, since the variables hold one. */
function envFile(chosen: AkSkPair | undefined, of: number, now: number): string {
  if (!chosen) return '# No AK/SK pairs: nothing to export.\n';
  const exports = [
    ['AWS_ACCESS_KEY_ID', chosen.accessKey],
    ['AWS_SECRET_ACCESS_KEY', chosen.secretKey],
    ['EC2_ACCESS_KEY', chosen.accessKey],
    ['EC2_SECRET_KEY', chosen.secretKey],
  ];
  return [
    `# Source this file. One pair of ${of} (the first active one, else the first): ${chosen.accessKey}.`,
    ...stateComments(chosen, now),
    ...exports.map(([name, value]) => `export ${name}=${shellQuoted(value)}`),
    '',
  ].join('\n');
}

/** POSIX single quotes: nothing inside is expanded, and a quote is closed, escaped and reopened. */
function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** A comment stays one line whatever the description holds. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
