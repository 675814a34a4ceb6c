import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness } from './gateway-harness';
import { AuthTokenResult, LOGIN } from './operations';

const { admin, alice, bob } = DEMO_LOGINS;

export interface Caller {
  token: string;
  userId: string;
  projectId: string;
}

/** Logs in the demo admin (project admin), alice and bob (project demo), keeping every secret seen for the leak checks. */
export async function loginDemoUsers(
  harness: GatewayHarness,
  secrets: string[],
): Promise<Record<'admin' | 'alice' | 'bob', Caller>> {
  const login = async (user: { name: string; password: string }, projectName: string): Promise<Caller> => {
    const result = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: user.name, password: user.password, scope: { projectName } },
      }),
    ).login;
    secrets.push(result.token, user.password);
    return { token: result.token, userId: result.user.id, projectId: result.project!.id };
  };
  return { admin: await login(admin, 'admin'), alice: await login(alice, 'demo'), bob: await login(bob, 'demo') };
}
