/**
 * Reads every AK/SK pair the emulator's Keystone holds, straight from its identity API with an
 * admin token, bypassing the gateway under test: the source of truth for "lost" and "orphaned".
 */
import { request } from 'undici';
import { DEMO_LOGINS, DEMO_PROJECTS } from '../src/emulator/seed';
import { parseEc2Blob } from '../src/upstreams/credentials/credentials-client';
import { StorePair } from './pair-ledger';

export interface StoreContents {
  pairs: StorePair[];
  /** User id → name, to name the owners of pairs in findings. */
  userNames: Map<string, string>;
}

export async function readStore(keystoneUrl: string, timeoutMs = 15_000): Promise<StoreContents> {
  const { admin } = DEMO_LOGINS;
  const auth = await request(`${keystoneUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: admin.name, domain: { name: 'Default' }, password: admin.password } },
        },
        scope: { project: { name: DEMO_PROJECTS.admin, domain: { name: 'Default' } } },
      },
    }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  await auth.body.dump();
  const token = auth.headers['x-subject-token'];
  if (auth.statusCode !== 201 || typeof token !== 'string')
    throw new Error(`admin login to the emulator's Keystone answered ${auth.statusCode}`);

  const get = async (path: string): Promise<Record<string, unknown>> => {
    const response = await request(`${keystoneUrl}${path}`, {
      headers: { 'x-auth-token': token },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`GET ${path} on the emulator's Keystone answered ${response.statusCode}`);
    }
    return (await response.body.json()) as Record<string, unknown>;
  };
  // Every credential, not only ec2: the multicloud service deletes every credential of a user,
  // so anything else appearing here would matter too.
  const credentials = (await get('/credentials')).credentials as Array<{
    user_id: string;
    type: string;
    blob: string;
    id: string;
  }>;
  const users = (await get('/users')).users as Array<{ id: string; name: string }>;
  return {
    pairs: credentials.map((credential) => {
      const keys = credential.type === 'ec2' ? parseEc2Blob(credential.blob) : undefined;
      return {
        accessKey: keys?.access ?? `(${credential.type} credential ${credential.id})`,
        secretKey: keys?.secret,
        userId: credential.user_id,
      };
    }),
    userNames: new Map(users.map((user) => [user.id, user.name])),
  };
}
