import { asArray, asDate, asRecord, asString, JsonRecord } from '../body-shape';
import { UpstreamReason, withReasonFor } from '../../errors/upstream-error';
import { DIRECTORY_LIST_MAX_BODY_BYTES, pathOf, UpstreamHttp, UpstreamRequest, UpstreamResponse } from '../upstream-http';
import {
  AuthMethod,
  CreateTokenRequest,
  DomainScopedRef,
  Ec2Credentials,
  IssuedToken,
  NamedRef,
  ProjectScope,
  ProjectSummary,
  TokenDetails,
  UserSummary,
} from './keystone.types';

/** Keystone identity v3: tokens and the projects a token can reach. */
export class KeystoneClient {
  constructor(private readonly http: UpstreamHttp) {}

  withRequestId(requestId: string): KeystoneClient {
    return new KeystoneClient(this.http.withRequestId(requestId));
  }

  /** `POST /auth/tokens`: password login or re-scoping of an existing token. */
  async createToken(request: CreateTokenRequest): Promise<IssuedToken> {
    const call: UpstreamRequest = {
      method: 'POST',
      path: '/auth/tokens',
      query: { nocatalog: '' },
      headers: request.auth.method === 'token' ? { 'x-auth-token': request.auth.token } : {},
      json: { auth: { identity: identityOf(request.auth), ...scopeOf(request.scope) } },
      expect: [201],
      secrets: [request.auth.method === 'token' ? request.auth.token : request.auth.user.password],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw explainCreateTokenFailure(error, request.auth.method);
    });
    const token = asString(response.headers['x-subject-token']);
    if (!token) throw this.http.invalidResponse(call, response, 'no X-Subject-Token header');
    return { token, details: this.readTokenDetails(call, response) };
  }

  /** `GET /auth/tokens`: a token introspects itself. */
  async validateToken(token: string): Promise<TokenDetails> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: '/auth/tokens',
      query: { nocatalog: '' },
      headers: { 'x-auth-token': token, 'x-subject-token': token },
      expect: [200],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(error, [401, 404], 'token-unknown');
    });
    return this.readTokenDetails(call, response);
  }

  /** `DELETE /auth/tokens`: a token revokes itself. */
  async revokeToken(token: string): Promise<void> {
    await this.http
      .send({
        method: 'DELETE',
        path: '/auth/tokens',
        headers: { 'x-auth-token': token, 'x-subject-token': token },
        expect: [204],
      })
      .catch((error: unknown) => {
        throw withReasonFor(error, [401, 404], 'token-unknown');
      });
  }

  /**
   * `POST /ec2tokens`: Keystone recomputes an AK/SK signature from the request description and,
   * when it matches, answers for the pair's owner in the pair's project. Needs an admin or
   * service token. The token Keystone issues cannot be used on Keystone, so only its details
   * are returned. An unknown key (404) and a bad signature (401) read the same to the caller.
   */
  async createEc2Token(serviceToken: string, credentials: Ec2Credentials): Promise<TokenDetails> {
    const call: UpstreamRequest = {
      method: 'POST',
      path: '/ec2tokens',
      headers: { 'x-auth-token': serviceToken },
      json: { credentials },
      expect: [200],
      secrets: [serviceToken, credentials.signature],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(error, [401, 404], 'signature-refused');
    });
    return this.readTokenDetails(call, response);
  }

  /** `GET /auth/projects`: the projects the token's user may scope to. */
  async listAuthProjects(token: string): Promise<ProjectSummary[]> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: '/auth/projects',
      headers: { 'x-auth-token': token },
      expect: [200],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(error, [401, 404], 'token-unknown');
    });
    return this.projectsOf(call, response);
  }

  /**
   * `GET /users/{id}/projects`: the projects the user has a role on (directly, through a group or
   * inherited). The user itself or an admin may ask; anyone else gets 403, an admin asking about
   * a user that does not exist 404. (A member may not read role assignments, even its own.)
   */
  async listUserProjects(token: string, userId: string): Promise<ProjectSummary[]> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: pathOf`/users/${userId}/projects`,
      headers: { 'x-auth-token': token },
      expect: [200],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(withReasonFor(error, [404], 'user-not-found'), [403], 'user-not-manageable');
    });
    return this.projectsOf(call, response);
  }

  /** The `projects` list of a project-listing response; anything else is an invalid response. */
  private projectsOf(call: UpstreamRequest, response: UpstreamResponse): ProjectSummary[] {
    const projects = asArray(asRecord(response.body)?.projects);
    if (!projects) throw this.http.invalidResponse(call, response, 'no projects list');
    return projects.map((entry) => {
      const project = parseProjectSummary(entry);
      if (!project) throw this.http.invalidResponse(call, response, 'project without id or name');
      return project;
    });
  }

  /** `GET /users/{id}`: 404 when there is no such user; 403 for another user unless admin. */
  async getUser(token: string, userId: string): Promise<UserSummary> {
    return this.getResource(token, pathOf`/users/${userId}`, 'user', parseUserSummary, 'user-not-found');
  }

  /** `GET /users`: every user (optionally of one domain, or by exact name); admin only, 403 otherwise. */
  async listUsers(token: string, filter: { domainId?: string; name?: string } = {}): Promise<UserSummary[]> {
    const query: Record<string, string> = {};
    if (filter.domainId) query.domain_id = filter.domainId;
    if (filter.name !== undefined) query.name = filter.name;
    const call: UpstreamRequest = {
      method: 'GET',
      path: '/users',
      query: Object.keys(query).length > 0 ? query : undefined,
      headers: { 'x-auth-token': token },
      expect: [200],
      maxBodyBytes: DIRECTORY_LIST_MAX_BODY_BYTES,
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw withReasonFor(error, [403], 'users-admin-only');
    });
    const users = asArray(asRecord(response.body)?.users);
    if (!users) throw this.http.invalidResponse(call, response, 'no users list');
    return users.map((entry) => {
      const user = parseUserSummary(entry);
      if (!user) throw this.http.invalidResponse(call, response, 'user without id or name');
      return user;
    });
  }

  /** `GET /domains?name=`: the id of the domain of that name, `undefined` when none; admin only. */
  async findDomainId(token: string, name: string): Promise<string | undefined> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: '/domains',
      query: { name },
      headers: { 'x-auth-token': token },
      expect: [200],
    };
    const response = await this.http.send(call);
    const domains = asArray(asRecord(response.body)?.domains);
    if (!domains) throw this.http.invalidResponse(call, response, 'no domains list');
    // Keystone's own match (its database's collation decides case), as login matches the name.
    if (domains.length !== 1) return undefined;
    const domain = parseRef(domains[0]);
    if (!domain) throw this.http.invalidResponse(call, response, 'domain without id or name');
    return domain.id;
  }

  /** `GET /domains/{id}`: a project-scoped token may read its own domain. */
  async getDomain(token: string, domainId: string): Promise<NamedRef> {
    return this.getResource(token, pathOf`/domains/${domainId}`, 'domain', parseRef);
  }

  /** `GET /projects/{id}`: 404 when there is no such project. */
  async getProject(token: string, projectId: string): Promise<ProjectSummary> {
    return this.getResource(token, pathOf`/projects/${projectId}`, 'project', parseProjectSummary, 'project-not-found');
  }

  /**
   * `GET` of one resource, read from `{"<key>": {...}}`. With `notFound`, a 404 carries that
   * reason; otherwise it keeps the default mapping.
   */
  private async getResource<T>(
    token: string,
    path: string,
    key: string,
    parse: (value: unknown) => T | undefined,
    notFound?: UpstreamReason,
  ): Promise<T> {
    const call: UpstreamRequest = { method: 'GET', path, headers: { 'x-auth-token': token }, expect: [200] };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw notFound ? withReasonFor(error, [404], notFound) : error;
    });
    const resource = parse(asRecord(response.body)?.[key]);
    if (resource === undefined) throw this.http.invalidResponse(call, response, `${key} without id or name`);
    return resource;
  }

  private readTokenDetails(call: UpstreamRequest, response: UpstreamResponse): TokenDetails {
    const details = parseTokenBody(response.body);
    if (!details) throw this.http.invalidResponse(call, response, 'token body without user or times');
    return details;
  }
}

function identityOf(auth: AuthMethod): JsonRecord {
  if (auth.method === 'token') {
    return { methods: ['token'], token: { id: auth.token } };
  }
  const { user } = auth;
  const userRef =
    'id' in user
      ? { id: user.id, password: user.password }
      : { name: user.name, domain: { name: user.domainName }, password: user.password };
  return { methods: ['password'], password: { user: userRef } };
}

function scopeOf(scope: ProjectScope | 'unscoped' | undefined): JsonRecord {
  if (scope === undefined) return {};
  if (scope === 'unscoped') return { scope: 'unscoped' };
  const project = 'id' in scope ? { id: scope.id } : { name: scope.name, domain: { name: scope.domainName } };
  return { scope: { project } };
}

function explainCreateTokenFailure(error: unknown, method: AuthMethod['method']): unknown {
  if (method === 'password') return withReasonFor(error, [401], 'login-refused');
  return withReasonFor(withReasonFor(error, [404], 'token-unknown'), [401], 'scope-refused');
}

function parseUserSummary(value: unknown): UserSummary | undefined {
  const user = asRecord(value);
  const id = asString(user?.id);
  const name = asString(user?.name);
  if (!user || !id || !name) return undefined;
  return {
    id,
    name,
    domainId: asString(user.domain_id) ?? '',
    enabled: user.enabled !== false,
    defaultProjectId: asString(user.default_project_id),
  };
}

function parseProjectSummary(value: unknown): ProjectSummary | undefined {
  const project = asRecord(value);
  const id = asString(project?.id);
  const name = asString(project?.name);
  if (!project || !id || !name) return undefined;
  return { id, name, domainId: asString(project.domain_id) ?? '', enabled: project.enabled !== false };
}

function parseRef(value: unknown): NamedRef | undefined {
  const record = asRecord(value);
  const id = asString(record?.id);
  const name = asString(record?.name);
  return id !== undefined && name !== undefined ? { id, name } : undefined;
}

function parseScopedRef(value: unknown): DomainScopedRef | undefined {
  const ref = parseRef(value);
  const domain = parseRef(asRecord(value)?.domain);
  return ref && domain ? { ...ref, domain } : undefined;
}

/** Reads `{"token":{...}}`; `undefined` when a required part is missing. */
export function parseTokenBody(body: unknown): TokenDetails | undefined {
  const token = asRecord(asRecord(body)?.token);
  if (!token) return undefined;
  const user = parseScopedRef(token.user);
  const expiresAt = asDate(token.expires_at);
  const issuedAt = asDate(token.issued_at);
  if (!user || !expiresAt || !issuedAt) return undefined;
  const project = token.project === undefined ? undefined : parseScopedRef(token.project);
  if (token.project !== undefined && !project) return undefined;
  const roles = (asArray(token.roles) ?? []).map(parseRef).filter((role): role is NamedRef => role !== undefined);
  const methods = (asArray(token.methods) ?? []).filter((method): method is string => typeof method === 'string');
  return { methods, user, project, roles, expiresAt, issuedAt };
}
