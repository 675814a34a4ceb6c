import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, expectNoSecretsIn, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import {
  AK_SK,
  AkSkResult,
  AuthTokenResult,
  CREATE_AK_SK,
  CREATE_DOWNLOAD_LINK,
  DELETE_AK_SK,
  LOGIN,
  SCOPE_TOKEN,
} from '../support/operations';

const admin = DEMO_LOGINS.admin;

describe('the how-to flow through the gateway, over the embedded emulator', () => {
  let harness: GatewayHarness;
  const secrets: string[] = [admin.password];

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(async () => {
    expectNoSecretsIn(harness.logLines, secrets);
    await harness.close();
  });

  it('logs in, scopes, creates, lists, downloads and deletes a pair', async () => {
    // Step 1: password login; admin has no default project, so the token is unscoped.
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password },
      }),
    ).login;
    secrets.push(login.token);
    expect(login.token.length).toBeGreaterThan(100);
    expect(login.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(login.project).toBeNull();
    expect(login.methods).toEqual(['password']);
    expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now());

    // Step 2: scope the caller's token (sent as a header, never an argument).
    const scoped = dataOf(
      await harness.graphql<{ scopeToken: AuthTokenResult }>(
        SCOPE_TOKEN,
        { input: { projectName: 'admin' } },
        { token: login.token },
      ),
    ).scopeToken;
    secrets.push(scoped.token);
    expect(scoped.token).not.toEqual(login.token);
    expect(scoped.project).toMatchObject({ name: 'admin', domain: { id: 'default' } });
    expect(scoped.roles.map((role) => role.name)).toContain('admin');
    const userId = scoped.user.id;
    const projectId = scoped.project!.id;

    // Step 3: create a pair; the project comes from the scoped token.
    const created = dataOf(
      await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, { token: scoped.token }),
    ).createAkSk;
    secrets.push(created.secretKey);
    expect(created.accessKey).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(created.secretKey).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(created).toMatchObject({ userId, projectId, type: 'ec2' });

    // Step 4: list it.
    const listed = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, { token: scoped.token })).akSk;
    expect(listed).toEqual([created]);

    // Step 5: download it, as JSON and as CSV, through single-use links.
    const jsonLink = dataOf(
      await harness.graphql<{ createAkSkDownloadLink: { url: string; format: string } }>(
        CREATE_DOWNLOAD_LINK,
        { userId },
        { token: scoped.token },
      ),
    ).createAkSkDownloadLink;
    expect(jsonLink.format).toBe('JSON');
    // Relative: without PUBLIC_URL or a trusted proxy, the gateway knows no public origin.
    expect(jsonLink.url).toMatch(/^\/downloads\/[A-Za-z0-9_-]{43}$/);
    expect(jsonLink.url).not.toContain(scoped.token);
    const jsonFile = await fetch(new URL(jsonLink.url, harness.gateway.url));
    expect(jsonFile.status).toBe(200);
    expect(jsonFile.headers.get('content-disposition')).toMatch(/^attachment; filename="aksk-[\w-]+\.json"$/);
    expect(jsonFile.headers.get('cache-control')).toBe('no-store');
    expect(await jsonFile.json()).toEqual([
      {
        project_id: projectId,
        user_id: userId,
        type: 'ec2',
        blob: { access_key: created.accessKey, secret_key: created.secretKey },
      },
    ]);
    const reused = await fetch(new URL(jsonLink.url, harness.gateway.url));
    expect(reused.status).toBe(404);
    expect(await reused.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const csvLink = dataOf(
      await harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
        CREATE_DOWNLOAD_LINK,
        { userId, format: 'CSV' },
        { token: scoped.token },
      ),
    ).createAkSkDownloadLink;
    const csvFile = await fetch(new URL(csvLink.url, harness.gateway.url));
    expect(csvFile.status).toBe(200);
    expect(csvFile.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvFile.headers.get('content-disposition')).toMatch(/\.csv"$/);
    expect((await csvFile.text()).split('\r\n')).toEqual([
      'user_id,project_id,type,access_key,secret_key',
      `${userId},${projectId},ec2,${created.accessKey},${created.secretKey}`,
      '',
    ]);

    // Step 6: delete, after which the list is empty.
    const deleted = dataOf(
      await harness.graphql<{ deleteAkSk: { userId: string; projectId: string } }>(
        DELETE_AK_SK,
        { userId },
        { token: scoped.token },
      ),
    ).deleteAkSk;
    expect(deleted).toEqual({ userId, projectId, deletedAccessKeys: null });
    const after = dataOf(await harness.graphql<{ akSk: AkSkResult[] }>(AK_SK, { userId }, { token: scoped.token })).akSk;
    expect(after).toEqual([]);
  });

  it('logs in straight into a project with a scope, by user id too', async () => {
    const first = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login;
    secrets.push(first.token);
    expect(first.project?.name).toBe('admin');

    const byId = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { userId: first.user.id, password: admin.password, scope: { projectId: first.project!.id } },
      }),
    ).login;
    secrets.push(byId.token);
    expect(byId.user.id).toBe(first.user.id);
    expect(byId.project?.id).toBe(first.project!.id);
  });

  it('accepts the token as Authorization: Bearer too', async () => {
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login;
    secrets.push(login.token);
    const listed = await harness.graphql<{ akSk: AkSkResult[] }>(
      AK_SK,
      { userId: login.user.id },
      { headers: { authorization: `Bearer ${login.token}` } },
    );
    expect(dataOf(listed).akSk).toEqual([]);
  });

  it('downloads one pair by its access key, and refuses a key the user does not have', async () => {
    const login = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login;
    secrets.push(login.token);
    const userId = login.user.id;
    const create = async () => {
      const pair = dataOf(
        await harness.graphql<{ createAkSk: AkSkResult }>(CREATE_AK_SK, { input: { userId } }, { token: login.token }),
      ).createAkSk;
      secrets.push(pair.secretKey);
      return pair;
    };
    const [wanted, other] = [await create(), await create()];
    const linkFor = (accessKey: string) =>
      harness.graphql<{ createAkSkDownloadLink: { url: string } }>(
        'mutation ($userId: ID!, $accessKey: String) { createAkSkDownloadLink(userId: $userId, format: CSV, accessKey: $accessKey) { url } }',
        { userId, accessKey },
        { token: login.token },
      );

    const file = await fetch(new URL(dataOf(await linkFor(wanted.accessKey)).createAkSkDownloadLink.url, harness.gateway.url));
    expect(file.status).toBe(200);
    const rows = (await file.text()).split('\r\n');
    expect(rows).toContain(`${userId},${wanted.projectId},ec2,${wanted.accessKey},${wanted.secretKey}`);
    expect(rows.join('\n')).not.toContain(other.accessKey);
    expect(rows.filter(Boolean)).toHaveLength(2);

    expect((await linkFor('NOSUCHKEY0000000')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await linkFor('not a key!')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Deleted between the link and its use: a 404 saying so, not an empty file.
    const url = dataOf(await linkFor(other.accessKey)).createAkSkDownloadLink.url;
    await harness.graphql(DELETE_AK_SK, { userId }, { token: login.token });
    const gone = await fetch(new URL(url, harness.gateway.url));
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
