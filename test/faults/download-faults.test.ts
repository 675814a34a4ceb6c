/**
 * `GET /downloads/{id}` when the multicloud service misbehaves at download time: the link was
 * made while everything was healthy, then the service breaks. The client must get a JSON error
 * with a gateway status; never a hang, a half file or a crash.
 */
import { dataOf, GatewayHarness } from '../support/gateway-harness';
import { MisbehavingUpstream, PROJECT } from '../support/misbehaving-upstream';
import { AkSkResult, AuthTokenResult, CREATE_AK_SK, CREATE_DOWNLOAD_LINK, LOGIN } from '../support/operations';
import { describeAftermath, FAULT_CASES, FaultCase, FaultRig, inParallel, startFaultRig } from './fault-kit';

interface Download {
  status: number;
  headers: Headers;
  body: unknown;
}

interface Outcome {
  first: Download;
  multicloudCalls: number;
  /** A fresh link, once the service behaves again. */
  next: Download;
  accessKey: string;
  secretKey: string;
}

/** Statuses that tell a client "the gateway's upstream failed": bad gateway, unavailable, timeout. */
const GATEWAY_STATUSES = [502, 503, 504];

describe('downloads while the multicloud service misbehaves', () => {
  let keystone: MisbehavingUpstream;
  let multicloud: MisbehavingUpstream;
  let harness: GatewayHarness;
  let rig: FaultRig;
  const downloads = new Map<string, Outcome>();

  async function download(url: string): Promise<Download> {
    const response = await fetch(new URL(url, harness.gateway.url));
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Left as text: the assertions say what was expected.
    }
    return { status: response.status, headers: response.headers, body };
  }

  async function downloadThrough(fault: FaultCase): Promise<Outcome> {
    const name = `dl-${fault.label}`;
    const userId = `uid-${name}`;
    const login = await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
      input: { username: name, password: keystone.password },
    });
    const { token } = dataOf(login).login;
    const pair = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, { token }),
    ).createAkSk;
    const link = async (): Promise<string> =>
      dataOf(await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(CREATE_DOWNLOAD_LINK, { userId }, { token }))
        .createAkSkDownloadLink.url;

    const url = await link();
    multicloud.misbehaveFor(name, fault.fault, fault.options);
    const first = await download(url);
    const multicloudCalls = multicloud.count({ route: 'listAkSks', subject: name, fault: fault.fault });
    multicloud.behave(name);
    const next = await download(await link());
    return { first, multicloudCalls, next, accessKey: pair.accessKey, secretKey: pair.secretKey };
  }

  beforeAll(async () => {
    rig = await startFaultRig();
    ({ keystone, multicloud, harness } = rig);
    // A first request pays for lazy set-up (JIT, connections); it must not count against a fault.
    await downloadThrough({ label: 'warm-up', fault: 'slow', options: { delayMs: 0 }, expected: { outcome: 'success' } });
    await inParallel(FAULT_CASES, async (fault) => void downloads.set(fault.label, await downloadThrough(fault)));
  });
  afterAll(() => rig?.close());

  it.each(FAULT_CASES)('$label: a JSON error with a gateway status; a new link then works', (fault) => {
    const { first, multicloudCalls, next, accessKey, secretKey } = downloads.get(fault.label)!;
    // A read that a proxy answered 502 may not have run: GETs get two more tries, nothing else.
    expect(multicloudCalls).toBe(fault.fault === 'html-502' ? 3 : 1);
    const expected = fault.expected;
    if (expected.outcome === 'success') {
      expect(first.status).toBe(200);
      expect(first.body).toEqual([expect.objectContaining({ blob: { access_key: accessKey, secret_key: secretKey } })]);
    } else {
      expect(GATEWAY_STATUSES).toContain(first.status);
      expect(first.headers.get('content-type')).toMatch(/^application\/json/);
      expect(first.headers.get('content-disposition')).toBeNull();
      expect(first.body).toEqual({ error: { code: expected.code, message: expect.stringMatching(expected.message) } });
      expect(JSON.stringify(first.body)).not.toContain(secretKey);
    }
    expect(next.status).toBe(200);
    expect(next.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(next.body).toEqual([
      {
        project_id: PROJECT.id,
        user_id: `uid-dl-${fault.label}`,
        type: 'ec2',
        blob: { access_key: accessKey, secret_key: secretKey },
      },
    ]);
  });

  it('refused connections: a JSON 502-ish error at once; a new link works once the service listens', async () => {
    const name = 'dl-refused';
    const { token } = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, { input: { username: name, password: keystone.password } }),
    ).login;
    const link = async (): Promise<string> =>
      dataOf(
        await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
          CREATE_DOWNLOAD_LINK,
          { userId: `uid-${name}` },
          { token },
        ),
      ).createAkSkDownloadLink.url;
    const url = await link();
    await multicloud.refuse();
    try {
      const refused = await download(url);
      expect(GATEWAY_STATUSES).toContain(refused.status);
      expect(refused.body).toEqual({
        error: { code: 'UPSTREAM_UNAVAILABLE', message: 'The multicloud service cannot be reached.' },
      });
    } finally {
      await multicloud.accept();
    }
    // The failed link was spent: a retry needs a new one.
    expect((await download(url)).status).toBe(404);
    const next = await download(await link());
    expect(next.status).toBe(200);
    expect(next.body).toEqual([]);
  });

  it('the failed downloads were logged', () => {
    expect(harness.logLines.some((line) => line.includes('download failed'))).toBe(true);
  });

  describeAftermath(() => rig);
});
