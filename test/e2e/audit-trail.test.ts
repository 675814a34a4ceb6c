/**
 * The audit trail through the real gateway: every AK/SK change and download writes one JSON log
 * line (`"audit": true`) naming the pair, its owner, who acted, the outcome and the request id;
 * failures too; never a secret. (`akSkEvents` over Redis: test/integration/audit-trail-redis.)
 */
import { dataOf, expectNoSecretsIn, GatewayHarness, GraphQLResponse, startGatewayHarness } from '../support/gateway-harness';
import {
  ACTIVATE_AK_SK,
  AK_SK,
  AK_SK_EVENTS,
  AkSkResult,
  CREATE_AK_SK,
  CREATE_DOWNLOAD_LINK,
  DEACTIVATE_AK_SK,
  DELETE_AK_SK,
  DELETE_AK_SK_BY_ACCESS_KEY,
  ROTATE_AK_SK,
  UPDATE_AK_SK,
} from '../support/operations';
import { Caller, loginDemoUsers } from '../support/demo-callers';

const DAY = 86_400_000;

/** The fields of an audit line beyond the logger's own (`level`, `time`, `service`, `msg`). */
const AUDIT_FIELDS = ['accessKey', 'audit', 'event', 'initiator', 'outcome', 'projectId', 'requestId', 'userId'];

describe.each(['keystone', 'multicloud'])('audit log lines (%s backend)', (backend) => {
  let harness: GatewayHarness;
  let callers: Record<'admin' | 'alice' | 'bob', Caller>;
  const secrets: string[] = [];

  beforeAll(async () => {
    harness = await startGatewayHarness({ env: { AKSK_BACKEND: backend } });
    callers = await loginDemoUsers(harness, secrets);
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  /** The audit lines the request with this id wrote. */
  function auditLinesOf(requestId: string | null): Record<string, unknown>[] {
    expect(requestId).toMatch(/^req-/);
    return harness.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.audit === true && line.requestId === requestId);
  }

  const initiatorOf = (caller: Caller) => ({ userId: caller.userId, projectId: caller.projectId });

  async function send<T>(caller: Caller, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    return harness.graphql<T>(query, variables, { token: caller.token });
  }

  async function create(caller: Caller, input: Record<string, unknown>): Promise<AkSkResult> {
    const pair = dataOf(await send<{ createAkSk: AkSkResult }>(caller, CREATE_AK_SK, { input })).createAkSk;
    secrets.push(pair.secretKey);
    return pair;
  }

  it('create, update, deactivate, activate: one line each, with owner, initiator, outcome and request id', async () => {
    const { alice: owner } = callers;
    const response = await send<{ createAkSk: AkSkResult }>(owner, CREATE_AK_SK, {
      input: { userId: owner.userId, description: 'audited' },
    });
    const pair = dataOf(response).createAkSk;
    secrets.push(pair.secretKey);
    const [created, ...more] = auditLinesOf(response.headers.get('x-request-id'));
    expect(more).toEqual([]);
    expect(created).toMatchObject({
      audit: true,
      event: 'aksk.created',
      accessKey: pair.accessKey,
      userId: owner.userId,
      projectId: owner.projectId,
      initiator: initiatorOf(owner),
      outcome: 'success',
      msg: 'audit',
    });
    expect(
      Object.keys(created)
        .filter((key) => !['level', 'time', 'service', 'msg'].includes(key))
        .sort(),
    ).toEqual(AUDIT_FIELDS);
    expect(Number.isNaN(Date.parse(created.time as string))).toBe(false);
    expect(JSON.stringify(created)).not.toContain(pair.secretKey);

    const steps: Array<[string, string, Record<string, unknown>]> = [
      ['aksk.updated', UPDATE_AK_SK, { input: { accessKey: pair.accessKey, description: 'renamed' } }],
      ['aksk.deactivated', DEACTIVATE_AK_SK, { accessKey: pair.accessKey }],
      ['aksk.activated', ACTIVATE_AK_SK, { accessKey: pair.accessKey }],
    ];
    for (const [event, mutation, variables] of steps) {
      const stepResponse = await send(owner, mutation, variables);
      dataOf(stepResponse);
      expect(auditLinesOf(stepResponse.headers.get('x-request-id'))).toEqual([
        expect.objectContaining({
          event,
          accessKey: pair.accessKey,
          userId: owner.userId,
          projectId: owner.projectId,
          initiator: initiatorOf(owner),
          outcome: 'success',
        }),
      ]);
    }
  });

  it('failures are recorded with their code: a refused expiry, and another member trying to switch off a pair', async () => {
    const { alice: owner, bob: other } = callers;
    const refused = await send(owner, CREATE_AK_SK, {
      input: { userId: owner.userId, expiresAt: new Date(Date.now() - DAY).toISOString() },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(auditLinesOf(refused.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        event: 'aksk.created',
        accessKey: null,
        userId: owner.userId,
        initiator: initiatorOf(owner),
        outcome: { failure: 'BAD_USER_INPUT' },
      }),
    ]);

    const pair = await create(owner, { userId: owner.userId });
    const trespass = await send(other, DEACTIVATE_AK_SK, { accessKey: pair.accessKey });
    expect(trespass.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Bob learns nothing of the owner, and neither does the line: who tried, on which key, is what matters.
    expect(auditLinesOf(trespass.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        event: 'aksk.deactivated',
        accessKey: pair.accessKey,
        userId: null,
        initiator: initiatorOf(other),
        outcome: { failure: 'NOT_FOUND' },
      }),
    ]);
  });

  it('rotateAkSk: aksk.rotated on the previous pair and aksk.created on the new one; a refused rotation is one failure line', async () => {
    const { alice: owner, bob: other } = callers;
    const previous = await create(owner, { userId: owner.userId, description: 'to rotate' });
    const response = await send<{ rotateAkSk: { newPair: AkSkResult; previousPair: AkSkResult } }>(owner, ROTATE_AK_SK, {
      accessKey: previous.accessKey,
    });
    const { newPair } = dataOf(response).rotateAkSk;
    secrets.push(newPair.secretKey);
    const common = { userId: owner.userId, projectId: owner.projectId, initiator: initiatorOf(owner), outcome: 'success' };
    expect(auditLinesOf(response.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ event: 'aksk.rotated', accessKey: previous.accessKey, ...common }),
      expect.objectContaining({ event: 'aksk.created', accessKey: newPair.accessKey, ...common }),
    ]);

    const trespass = await send(other, ROTATE_AK_SK, { accessKey: newPair.accessKey });
    expect(trespass.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(auditLinesOf(trespass.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        event: 'aksk.rotated',
        accessKey: newPair.accessKey,
        userId: null,
        initiator: initiatorOf(other),
        outcome: { failure: 'NOT_FOUND' },
      }),
    ]);
  });

  it('no token: nothing changed and no audit line, only the request log', async () => {
    const response = await harness.graphql(DEACTIVATE_AK_SK, { accessKey: 'AKunknown0000001' });
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(auditLinesOf(response.headers.get('x-request-id'))).toEqual([]);
  });

  it('a download: one aksk.downloaded line per pair in the file, when the link is redeemed, naming who made the link', async () => {
    const { alice: owner } = callers;
    const linkResponse = await send<{ createAkSkDownloadLink: { url: string } }>(owner, CREATE_DOWNLOAD_LINK, {
      userId: owner.userId,
    });
    const { url } = dataOf(linkResponse).createAkSkDownloadLink;
    expect(auditLinesOf(linkResponse.headers.get('x-request-id'))).toEqual([]);
    const download = await fetch(new URL(url, harness.gateway.url));
    expect(download.status).toBe(200);
    const file = (await download.json()) as Array<{ blob: { access_key: string } }>;
    expect(file.length).toBeGreaterThan(0);
    const lines = auditLinesOf(download.headers.get('x-request-id'));
    expect(lines.map((line) => line.accessKey).sort()).toEqual(file.map((entry) => entry.blob.access_key).sort());
    for (const line of lines) {
      expect(line).toMatchObject({
        event: 'aksk.downloaded',
        userId: owner.userId,
        initiator: initiatorOf(owner),
        outcome: 'success',
      });
    }
  });

  it('AWS_CREDENTIALS and ENV downloads over HTTP: the files hold the pairs the aksk.downloaded lines name', async () => {
    const { alice: owner } = callers;
    await create(owner, { userId: owner.userId });
    const listed = dataOf(await send<{ akSk: AkSkResult[] }>(owner, AK_SK, { userId: owner.userId })).akSk;
    async function fetchFile(format: string): Promise<{ body: string; downloaded: unknown[] }> {
      const link = dataOf(
        await send<{ createAkSkDownloadLink: { url: string; format: string } }>(owner, CREATE_DOWNLOAD_LINK, {
          userId: owner.userId,
          format,
        }),
      ).createAkSkDownloadLink;
      expect(link.format).toBe(format);
      const download = await fetch(new URL(link.url, harness.gateway.url));
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
      const lines = auditLinesOf(download.headers.get('x-request-id'));
      return { body: await download.text(), downloaded: lines.map((line) => line.accessKey).sort() };
    }

    const credentials = await fetchFile('AWS_CREDENTIALS');
    const profiles = [...credentials.body.matchAll(/^\[([^\]]+)\]$/gm)].map((match) => match[1]);
    expect(profiles[0]).toBe('default');
    expect(profiles.slice(1).sort()).toEqual(listed.map((pair) => pair.accessKey).sort());
    expect(credentials.downloaded).toEqual(profiles.slice(1).sort());
    for (const pair of listed) expect(credentials.body).toContain(`aws_secret_access_key = ${pair.secretKey}\n`);

    const env = await fetchFile('ENV');
    const exported = /^export AWS_ACCESS_KEY_ID='([^']+)'$/m.exec(env.body)?.[1];
    const chosen = listed.find((pair) => pair.accessKey === exported);
    expect(chosen?.status).toBe('ACTIVE');
    expect(env.body).toContain(`export EC2_SECRET_KEY='${chosen?.secretKey}'`);
    expect(env.downloaded).toEqual([exported]);
  });

  it('deleteAkSkByAccessKey: one line; deleteAkSk: one line per deleted pair', async () => {
    const { alice: owner, admin: operator } = callers;
    const single = await create(owner, { userId: owner.userId });
    const response = await send(operator, DELETE_AK_SK_BY_ACCESS_KEY, { accessKey: single.accessKey });
    dataOf(response);
    expect(auditLinesOf(response.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        event: 'aksk.deleted',
        accessKey: single.accessKey,
        userId: owner.userId,
        projectId: owner.projectId,
        initiator: initiatorOf(operator),
        outcome: 'success',
      }),
    ]);

    const { bob: user } = callers;
    const pairs = [await create(user, { userId: user.userId }), await create(user, { userId: user.userId })];
    const deleteAll = await send(user, DELETE_AK_SK, { userId: user.userId });
    dataOf(deleteAll);
    const lines = auditLinesOf(deleteAll.headers.get('x-request-id'));
    expect(lines.map((line) => line.accessKey).sort()).toEqual(pairs.map((pair) => pair.accessKey).sort());
    for (const line of lines) {
      expect(line).toMatchObject({
        event: 'aksk.deleted',
        userId: user.userId,
        initiator: initiatorOf(user),
        outcome: 'success',
      });
    }
  });

  it('akSkEvents without Redis: AUDIT_TRAIL_UNAVAILABLE, pointing at the logs', async () => {
    const { alice: owner } = callers;
    const response = await send(owner, AK_SK_EVENTS, { userId: owner.userId });
    expect(response.errors?.[0].extensions?.code).toBe('AUDIT_TRAIL_UNAVAILABLE');
    expect(response.errors?.[0].message).toContain('logs');
  });
});
