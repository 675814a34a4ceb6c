import { AkSkPair } from '../upstreams/ak-sk-backend';

/** The formats a user's pairs download as; the GraphQL enum `AkSkFileFormat` is made from this object. */
export const AkSkFileFormat = { JSON: 'json', CSV: 'csv' } as const;
export type AkSkFileFormat = (typeof AkSkFileFormat)[keyof typeof AkSkFileFormat];

export interface AkSkFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * Renders a user's pairs as a file. JSON keeps the multicloud service's own download format,
 * so scripts written against the public how-to's `curl --output` keep working.
 */
export function renderAkSkFile(userId: string, pairs: AkSkPair[], format: AkSkFileFormat): AkSkFile {
  const base = `aksk-${userId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  if (format === 'csv') {
    const header = ['user_id', 'project_id', 'type', 'access_key', 'secret_key'];
    const rows = pairs.map((pair) => [pair.userId, pair.projectId, pair.type, pair.accessKey, pair.secretKey]);
    return {
      filename: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n',
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
  };
}

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
