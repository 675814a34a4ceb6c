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
