import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeWithService } from './real-service';

/** The real Keystone started by `scripts/keystone.sh up`, at KEYSTONE_URL. */
export function describeWithRealKeystone(name: string, body: (keystoneUrl: string) => void): void {
  describeWithService('KEYSTONE_URL', name, body);
}

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../scripts/keystone.sh');

/** Drives `scripts/keystone.sh`, e.g. `stop-db` then `up` for the real plain-text 500. */
export async function keystoneScript(command: 'up' | 'stop-db' | 'seed'): Promise<void> {
  await run('bash', [SCRIPT, command], { timeout: 120_000 });
}

/** Raw Keystone calls for test set-up, outside the gateway under test. */
export class KeystoneAdmin {
  constructor(private readonly baseUrl: string) {}

  async passwordToken(name: string, password: string, projectName?: string): Promise<string> {
    const scope = projectName ? { scope: { project: { name: projectName, domain: { id: 'default' } } } } : {};
    const response = await fetch(`${this.baseUrl}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name, domain: { name: 'Default' }, password } } },
          ...scope,
        },
      }),
    });
    if (response.status !== 201) throw new Error(`login of ${name} failed: ${response.status}`);
    return response.headers.get('x-subject-token')!;
  }

  async call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async revokeToken(token: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}/auth/tokens`, {
      method: 'DELETE',
      headers: { 'x-auth-token': token, 'x-subject-token': token },
    });
    return response.status;
  }

  async userId(adminToken: string, name: string): Promise<string> {
    const { body } = await this.call('GET', `/users?name=${encodeURIComponent(name)}`, adminToken);
    return body.users[0].id;
  }

  async projectId(adminToken: string, name: string): Promise<string> {
    const { body } = await this.call('GET', `/projects?name=${encodeURIComponent(name)}`, adminToken);
    return body.projects[0].id;
  }

  /** Removes every credential of a user, so each run starts clean on a shared Keystone. */
  async deleteCredentialsOf(adminToken: string, userId: string): Promise<void> {
    const { body } = await this.call('GET', `/credentials?user_id=${userId}`, adminToken);
    for (const credential of body.credentials) await this.call('DELETE', `/credentials/${credential.id}`, adminToken);
  }
}
