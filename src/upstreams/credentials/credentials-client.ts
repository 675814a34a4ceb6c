import { withReasonFor } from '../../errors/upstream-error';
import { asArray, asRecord, asString } from '../body-shape';
import { DIRECTORY_LIST_MAX_BODY_BYTES, pathOf, UpstreamHttp, UpstreamRequest, UpstreamResponse } from '../upstream-http';
import { CreateCredentialRequest, Credential, Ec2Keys } from './credentials.types';

/** Keystone identity v3 credentials, where every AK/SK pair is ultimately stored. */
export class CredentialsClient {
  constructor(private readonly http: UpstreamHttp) {}

  withRequestId(requestId: string): CredentialsClient {
    return new CredentialsClient(this.http.withRequestId(requestId));
  }

  /**
   * `POST /credentials`. A 409 means a credential with this id (for ec2: this access key) exists.
   * Keystone does not check that the user or project exists: callers that care look them up.
   */
  async createCredential(token: string, request: CreateCredentialRequest): Promise<Credential> {
    const call: UpstreamRequest = {
      method: 'POST',
      path: '/credentials',
      headers: { 'x-auth-token': token },
      json: {
        credential: { user_id: request.userId, project_id: request.projectId, type: request.type, blob: request.blob },
      },
      expect: [201],
      secrets: [request.blob, parseEc2Blob(request.blob)?.secret ?? ''],
    };
    const response = await this.http.send(call);
    return this.readCredential(call, response, asRecord(response.body)?.credential);
  }

  /**
   * `GET /credentials[?user_id=U][&type=T]`. Another user's list is empty for a non-admin;
   * without `user_id`, a non-admin gets its own credentials and an admin everyone's.
   */
  async listCredentials(token: string, filter: { userId?: string; type?: string }): Promise<Credential[]> {
    const query: Record<string, string> = {};
    if (filter.userId !== undefined) query.user_id = filter.userId;
    if (filter.type !== undefined) query.type = filter.type;
    const call: UpstreamRequest = {
      method: 'GET',
      path: '/credentials',
      query,
      headers: { 'x-auth-token': token },
      expect: [200],
      maxBodyBytes: filter.userId ? undefined : DIRECTORY_LIST_MAX_BODY_BYTES,
    };
    const response = await this.http.send(call);
    const credentials = asArray(asRecord(response.body)?.credentials);
    if (!credentials) throw this.http.invalidResponse(call, response, 'no credentials list');
    return credentials.map((entry) => this.readCredential(call, response, entry));
  }

  /**
   * `GET /credentials/{id}`. Keystone answers a member's lookup of a missing credential with
   * 403, like one of someone else's: both are `credential-not-visible`.
   */
  async getCredential(token: string, credentialId: string): Promise<Credential> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: pathOf`/credentials/${credentialId}`,
      headers: { 'x-auth-token': token },
      expect: [200],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(error, [403, 404], 'credential-not-visible');
    });
    return this.readCredential(call, response, asRecord(response.body)?.credential);
  }

  /**
   * `PATCH /credentials/{id}`: Keystone changes only the blob (a type change is a 400). It does
   * not check an ec2 blob's access key against the id: never change it.
   */
  async updateCredentialBlob(token: string, credentialId: string, blob: string): Promise<Credential> {
    const call: UpstreamRequest = {
      method: 'PATCH',
      path: pathOf`/credentials/${credentialId}`,
      headers: { 'x-auth-token': token },
      json: { credential: { blob } },
      expect: [200],
      secrets: [blob, parseEc2Blob(blob)?.secret ?? ''],
    };
    const response = await this.http.send(call);
    return this.readCredential(call, response, asRecord(response.body)?.credential);
  }

  /** `DELETE /credentials/{id}`. */
  async deleteCredential(token: string, credentialId: string): Promise<void> {
    await this.http.send({
      method: 'DELETE',
      path: pathOf`/credentials/${credentialId}`,
      headers: { 'x-auth-token': token },
      expect: [204],
    });
  }

  private readCredential(call: UpstreamRequest, response: UpstreamResponse, value: unknown): Credential {
    const record = asRecord(value);
    const id = asString(record?.id);
    const userId = asString(record?.user_id);
    const type = asString(record?.type);
    const blob = asString(record?.blob);
    if (!record || !id || !userId || !type || blob === undefined) {
      throw this.http.invalidResponse(call, response, 'credential without id, user_id, type or blob');
    }
    return { id, userId, projectId: asString(record.project_id) ?? undefined, type, blob };
  }
}

/** The keys of an `ec2` credential; `undefined` for a blob that holds none. */
export function parseEc2Blob(blob: string): Ec2Keys | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    return undefined;
  }
  const access = asString(asRecord(parsed)?.access);
  const secret = asString(asRecord(parsed)?.secret);
  return access && secret ? { access, secret } : undefined;
}

export function ec2Blob(keys: Ec2Keys): string {
  return JSON.stringify({ access: keys.access, secret: keys.secret });
}
