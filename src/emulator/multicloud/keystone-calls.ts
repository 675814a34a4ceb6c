import { Pool } from 'undici';

/** What Keystone answered: any status, with the body as JSON when it was JSON. */
export interface KeystoneAnswer {
  status: number;
  body: unknown;
}

export interface StoredCredential {
  id: string;
  userId: string;
  projectId: string;
  type: string;
  blob: string;
}

/**
 * The few Keystone calls the multicloud emulator makes, written apart from the gateway's own
 * clients: a double that shared their code would share their bugs, and could not catch them.
 * A failure to connect or a timeout rejects; any status is an answer for the caller to read.
 */
export class KeystoneCalls {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    keystoneUrl: string,
    private readonly timeoutMs: number,
  ) {
    const url = new URL(keystoneUrl);
    this.pool = new Pool(url.origin, { connections: 32 });
    this.basePath = url.pathname.replace(/\/$/, '');
  }

  /** `GET /auth/tokens`: the project of a valid token, `null` when unscoped. */
  async validateToken(token: string): Promise<KeystoneAnswer & { projectId?: string | null }> {
    const answer = await this.call('GET', '/auth/tokens?nocatalog', token, { 'x-subject-token': token });
    if (answer.status !== 200) return answer;
    const project = field(field(answer.body, 'token'), 'project');
    return { ...answer, projectId: typeof field(project, 'id') === 'string' ? (field(project, 'id') as string) : null };
  }

  getUser(token: string, userId: string): Promise<KeystoneAnswer> {
    return this.call('GET', `/users/${encodeURIComponent(userId)}`, token);
  }

  getProject(token: string, projectId: string): Promise<KeystoneAnswer> {
    return this.call('GET', `/projects/${encodeURIComponent(projectId)}`, token);
  }

  createCredential(token: string, credential: Omit<StoredCredential, 'id'>): Promise<KeystoneAnswer> {
    const { userId, projectId, type, blob } = credential;
    return this.call('POST', '/credentials', token, {}, { credential: { user_id: userId, project_id: projectId, type, blob } });
  }

  /** `GET /credentials?user_id=`: the list, or the answer when it is not one. */
  async listCredentials(token: string, userId: string): Promise<StoredCredential[] | KeystoneAnswer> {
    const answer = await this.call('GET', `/credentials?user_id=${encodeURIComponent(userId)}`, token);
    const list = field(answer.body, 'credentials');
    if (answer.status !== 200 || !Array.isArray(list)) return answer;
    return list.map((entry) => ({
      id: String(field(entry, 'id')),
      userId: String(field(entry, 'user_id')),
      projectId: typeof field(entry, 'project_id') === 'string' ? (field(entry, 'project_id') as string) : '',
      type: String(field(entry, 'type')),
      blob: typeof field(entry, 'blob') === 'string' ? (field(entry, 'blob') as string) : '',
    }));
  }

  deleteCredential(token: string, credentialId: string): Promise<KeystoneAnswer> {
    return this.call('DELETE', `/credentials/${encodeURIComponent(credentialId)}`, token);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    token: string,
    headers: Record<string, string> = {},
    json?: unknown,
  ): Promise<KeystoneAnswer> {
    const response = await this.pool.request({
      method,
      path: `${this.basePath}${path}`,
      headers: {
        accept: 'application/json',
        'x-auth-token': token,
        ...headers,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await response.body.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: the text is the answer.
    }
    return { status: response.statusCode, body };
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
