import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAkSkFile } from '../../../src/downloads/ak-sk-file';
import { AkSkPair } from '../../../src/upstreams/ak-sk-backend';

const PAIRS: AkSkPair[] = [
  {
    accessKey: 'AKx7Qe2Lr9Tb4Wn1',
    secretKey: 'Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls',
    userId: 'u-0001',
    projectId: 'p-0001',
    type: 'ec2',
  },
  { accessKey: 'a'.repeat(32), secretKey: 'b'.repeat(32), userId: 'u-0001', projectId: 'p-0002', type: 'ec2' },
];

describe('renderAkSkFile as JSON', () => {
  it("keeps the multicloud service's download format", () => {
    const file = renderAkSkFile('u-0001', PAIRS, 'json');
    expect(file.filename).toBe('aksk-u-0001.json');
    expect(file.contentType).toBe('application/json; charset=utf-8');
    expect(file.body.endsWith('\n')).toBe(true);
    expect(JSON.parse(file.body)).toEqual([
      {
        project_id: 'p-0001',
        user_id: 'u-0001',
        type: 'ec2',
        blob: { access_key: 'AKx7Qe2Lr9Tb4Wn1', secret_key: 'Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls' },
      },
      { project_id: 'p-0002', user_id: 'u-0001', type: 'ec2', blob: { access_key: 'a'.repeat(32), secret_key: 'b'.repeat(32) } },
    ]);
    expect(Object.keys(JSON.parse(file.body)[0])).toEqual(['project_id', 'user_id', 'type', 'blob']);
  });

  it('writes an empty list as []', () => {
    expect(JSON.parse(renderAkSkFile('u', [], 'json').body)).toEqual([]);
  });
});

describe('renderAkSkFile as CSV', () => {
  it('writes a header and one CRLF-terminated row per pair', () => {
    const file = renderAkSkFile('u-0001', PAIRS, 'csv');
    expect(file.filename).toBe('aksk-u-0001.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(file.body).toBe(
      'user_id,project_id,type,access_key,secret_key\r\n' +
        'u-0001,p-0001,ec2,AKx7Qe2Lr9Tb4Wn1,Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls\r\n' +
        `u-0001,p-0002,ec2,${'a'.repeat(32)},${'b'.repeat(32)}\r\n`,
    );
  });

  it('writes only the header for no pairs', () => {
    expect(renderAkSkFile('u', [], 'csv').body).toBe('user_id,project_id,type,access_key,secret_key\r\n');
  });

  it('quotes cells holding commas, quotes or line breaks (RFC 4180)', () => {
    const pair = { ...PAIRS[0], userId: 'a,b', projectId: 'say "hi"', type: 'line\nbreak' };
    const [, row] = renderAkSkFile('u', [pair], 'csv').body.split('\r\n');
    expect(row).toBe('"a,b","say ""hi""","line\nbreak",AKx7Qe2Lr9Tb4Wn1,Sk3Fh8Jq1Zw6Np4Rt9Vb2Xc7Md5Gy0Ls');
  });

  it.each(['=HYPERLINK("http://evil.test")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'defuses the formula-looking cell %j',
    (value) => {
      const body = renderAkSkFile('u', [{ ...PAIRS[0], projectId: value }], 'csv').body;
      const row = body.slice(body.indexOf('\r\n') + 2);
      const cell = row.startsWith('u-0001,"') ? row.slice('u-0001,"'.length) : row.slice('u-0001,'.length);
      expect(cell.startsWith("'")).toBe(true);
    },
  );

  it('quotes a defused formula cell that also needs quoting', () => {
    const body = renderAkSkFile('u', [{ ...PAIRS[0], projectId: '=1+2,"x"' }], 'csv').body;
    expect(body).toContain(`u-0001,"'=1+2,""x""",ec2,`);
  });

  it('leaves cells with a formula character past the start alone', () => {
    const body = renderAkSkFile('u', [{ ...PAIRS[0], projectId: 'p=1-2' }], 'csv').body;
    expect(body).toContain('u-0001,p=1-2,ec2,');
  });
});

describe('renderAkSkFile file names', () => {
  it('keeps only safe characters of the user id', () => {
    expect(renderAkSkFile('../etc/pass wd"\r\n', [], 'json').filename).toBe('aksk-___etc_pass_wd___.json');
    expect(renderAkSkFile('7f3a_B-9', [], 'csv').filename).toBe('aksk-7f3a_B-9.csv');
  });
});

describe('renderAkSkFile as an AWS shared-credentials file and as a shell file', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const expiresAt = new Date('2027-01-01T00:00:00Z');
  const awkward: AkSkPair = {
    accessKey: 'AKQUOTE0000000001',
    secretKey: `it's $HOME \`x\` "y" \\ %(z)s`,
    userId: 'u-0001',
    projectId: 'p-0001',
    type: 'ec2',
    metadata: { expiresAt, description: 'line one\nline two' },
  };
  const inactive: AkSkPair = { ...PAIRS[0], type: 'ec2-inactive' };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aksk-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What botocore's own shared-credentials parser makes of the file: profile -> keys. */
  function readWithBotocore(body: string): Record<string, Record<string, string>> {
    const path = join(dir, 'credentials');
    writeFileSync(path, body);
    const script = 'import json, sys, botocore.configloader as c; ' + 'print(json.dumps(c.raw_config_parse(sys.argv[1])))';
    return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Record<
      string,
      Record<string, string>
    >;
  }

  it('AWS_CREDENTIALS: botocore reads a profile per access key and [default] as the first active pair', () => {
    const file = renderAkSkFile('u-0001', [inactive, awkward, PAIRS[1]], 'aws-credentials', NOW);
    expect(file.filename).toBe('aksk-u-0001.credentials');
    const profiles = readWithBotocore(file.body);
    expect(Object.keys(profiles).sort()).toEqual(['default', inactive.accessKey, awkward.accessKey, PAIRS[1].accessKey].sort());
    expect(profiles.default).toEqual({ aws_access_key_id: awkward.accessKey, aws_secret_access_key: awkward.secretKey });
    expect(profiles[inactive.accessKey]).toEqual({
      aws_access_key_id: inactive.accessKey,
      aws_secret_access_key: inactive.secretKey,
    });
    expect(file.body).toContain(`[${inactive.accessKey}]\n# status: INACTIVE\n`);
    expect(file.body).toContain(`# expires: ${expiresAt.toISOString()}\n# description: line one line two\n`);
  });

  it('AWS_CREDENTIALS: an expired pair is marked so and is not the default', () => {
    const file = renderAkSkFile('u-0001', [awkward, PAIRS[1]], 'aws-credentials', expiresAt.getTime() + 1);
    expect(file.body).toContain(`[${awkward.accessKey}]\n# status: EXPIRED\n`);
    expect(readWithBotocore(file.body).default.aws_access_key_id).toBe(PAIRS[1].accessKey);
  });

  /** The four variables after `source`-ing the file in bash. */
  function sourced(body: string): string[] {
    const path = join(dir, 'ec2rc.sh');
    writeFileSync(path, body);
    const script =
      'set -eu; source "$1"; printf "%s\\0" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$EC2_ACCESS_KEY" "$EC2_SECRET_KEY"';
    return execFileSync('bash', ['-c', script, 'bash', path], { encoding: 'utf8', env: { PATH: process.env.PATH } })
      .split('\0')
      .slice(0, 4);
  }

  it('ENV: bash reads back the first active pair, quotes and dollars intact', () => {
    const file = renderAkSkFile('u-0001', [inactive, awkward], 'env', NOW);
    expect(file.filename).toBe('aksk-u-0001-ec2rc.sh');
    expect(sourced(file.body)).toEqual([awkward.accessKey, awkward.secretKey, awkward.accessKey, awkward.secretKey]);
    expect(file.body).toMatch(/^# .*One pair of 2 .*AKQUOTE0000000001/);
  });

  it('ENV: no pairs, nothing exported', () => {
    expect(() => sourced(renderAkSkFile('u', [], 'env', NOW).body)).toThrow();
    expect(renderAkSkFile('u', [], 'env', NOW).body).toMatch(/^#[^\n]*\n$/);
  });
});
