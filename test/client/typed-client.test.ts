import { createGatewayClient, GatewayClient, GatewayClientError } from '../../client/gateway-client';
import {
  AkSkDocument,
  type AkSkFileFormat,
  CreateAkSkDocument,
  CreateAkSkDownloadLinkDocument,
  DeleteAkSkByAccessKeyDocument,
  DeleteAkSkDocument,
  LoginDocument,
  LogoutDocument,
  ProjectsDocument,
  ScopeTokenDocument,
  UserDocument,
  UsersDocument,
  ViewerDocument,
} from '../../client/generated/graphql';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets, secretsIn } from '../support/log-audit';

const { admin, alice } = DEMO_LOGINS;

/** The thrown GatewayClientError; fails the test when the promise resolves or throws something else. */
async function clientError(promise: Promise<unknown>): Promise<GatewayClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayClientError) return error;
    throw error;
  }
  throw new Error('the operation succeeded');
}

describe('the generated client against the real gateway', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(() => harness.close());

  /** A client sending `token` as `X-Auth-Token`; every password, token and secret key it sees joins the log audit. */
  function clientWith(token?: () => string | null | undefined): GatewayClient {
    return createGatewayClient({
      endpoint: `${harness.gateway.url}/graphql`,
      token: () => token?.() ?? undefined,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const request = JSON.parse(init?.body as string) as { variables?: unknown };
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => undefined);
        recordSecrets(secretsIn(request.variables, body));
        return response;
      },
    });
  }

  it('runs the whole flow typed: login, scope, viewer, projects, users, create, list, download, delete, logout', async () => {
    let token: string | null = null;
    const client = clientWith(() => token);

    const login = await client.execute(LoginDocument, { input: { username: admin.name, password: admin.password } });
    expect(login.login.project).toBeNull();
    token = login.login.token;
    expect(token).toEqual(expect.any(String));

    const projects = (await client.execute(ProjectsDocument)).projects;
    expect(projects.map((project) => project.name)).toContain('admin');
    const adminProject = projects.find((project) => project.name === 'admin')!;

    const scoped = (await client.execute(ScopeTokenDocument, { input: { projectId: adminProject.id } })).scopeToken;
    expect(scoped.project).toMatchObject({ id: adminProject.id, name: 'admin', domain: { id: 'default' } });
    token = scoped.token;

    const viewer = (await client.execute(ViewerDocument)).viewer;
    expect(viewer).toMatchObject({ user: { name: 'admin' }, project: { name: 'admin' }, isAdmin: true });
    expect(viewer.roles.map((role) => role.name)).toContain('admin');
    const userId = viewer.user.id;

    const users = (await client.execute(UsersDocument)).users;
    expect(users.map((user) => user.name).sort()).toEqual(['admin', 'aksk-service', 'alice', 'bob', 'carol']);
    expect(users.every((user) => user.akSks.length === 0)).toBe(true);

    const first = (await client.execute(CreateAkSkDocument, { input: { userId } })).createAkSk;
    const second = (await client.execute(CreateAkSkDocument, { input: { userId, projectId: adminProject.id } })).createAkSk;
    expect(first).toMatchObject({ userId, projectId: adminProject.id, type: 'ec2' });
    expect(first.secretKey).toMatch(/^[0-9A-Za-z]{32}$/);

    const self = (await client.execute(UserDocument, { id: userId })).user;
    expect(self.akSks.map((pair) => pair.accessKey).sort()).toEqual([first.accessKey, second.accessKey].sort());
    // The list operations never select secret keys: only `akSk` and `createAkSk` do.
    expect(JSON.stringify(self)).not.toContain(first.secretKey);

    const removed = (await client.execute(DeleteAkSkByAccessKeyDocument, { accessKey: second.accessKey })).deleteAkSkByAccessKey;
    expect(removed).toEqual({ accessKey: second.accessKey, userId, projectId: adminProject.id });
    expect((await client.execute(AkSkDocument, { userId })).akSk).toEqual([first]);

    for (const format of ['JSON', 'CSV'] satisfies AkSkFileFormat[]) {
      const link = (await client.execute(CreateAkSkDownloadLinkDocument, { userId, format })).createAkSkDownloadLink;
      expect(link.format).toBe(format);
      const file = await (await fetch(new URL(link.url, harness.gateway.url))).text();
      expect(file).toContain(first.secretKey);
    }

    const deleted = (await client.execute(DeleteAkSkDocument, { userId })).deleteAkSk;
    expect(deleted).toMatchObject({ userId, projectId: adminProject.id });
    expect((await client.execute(AkSkDocument, { userId })).akSk).toEqual([]);

    expect((await client.execute(LogoutDocument)).logout).toBe(true);
    const after = await clientError(client.execute(ViewerDocument));
    expect(after.code).toBe('UNAUTHENTICATED');
  });

  it('throws a GatewayClientError carrying extensions.code', async () => {
    const anonymous = clientWith();
    const wrong = await clientError(
      anonymous.execute(LoginDocument, { input: { username: admin.name, password: 'not-the-password' } }),
    );
    expect(wrong).toMatchObject({ name: 'GatewayClientError', code: 'UNAUTHENTICATED', status: 200 });
    expect(wrong.errors).toHaveLength(1);

    const member = (await anonymous.execute(LoginDocument, { input: { username: alice.name, password: alice.password } })).login;
    expect(member.project?.name).toBe('demo');
    const asAlice = clientWith(() => member.token);
    const forbidden = await clientError(asAlice.execute(UsersDocument));
    expect(forbidden.code).toBe('FORBIDDEN');
    // A member reads itself through `user(id)`.
    expect((await asAlice.execute(UserDocument, { id: member.user.id })).user).toMatchObject({ name: 'alice', akSks: [] });

    const invalid = await clientError(asAlice.execute(ScopeTokenDocument, { input: { projectName: 'demo', projectId: 'x' } }));
    expect(invalid.code).toBe('BAD_USER_INPUT');
  });

  it('reports an unreachable gateway as NETWORK_ERROR', async () => {
    const client = createGatewayClient({ endpoint: 'http://127.0.0.1:1/graphql' });
    const error = await clientError(client.execute(ViewerDocument));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('is typed by the generated documents', () => {
    const client = clientWith();
    // Only compiled (`npm run typecheck`), never run: a mistyped call does not build.
    const typeChecks = async () => {
      // @ts-expect-error a required variable is missing
      await client.execute(AkSkDocument, {});
      // @ts-expect-error variables of another operation
      await client.execute(DeleteAkSkByAccessKeyDocument, { userId: 'x' });
      // @ts-expect-error not a format the schema knows
      await client.execute(CreateAkSkDownloadLinkDocument, { userId: 'x', format: 'XML' });
      const { viewer } = await client.execute(ViewerDocument);
      // @ts-expect-error the project is nullable
      viewer.project.name satisfies string;
      viewer.isAdmin satisfies boolean;
    };
    expect(typeChecks).toBeInstanceOf(Function);
  });
});
