import DataLoader from 'dataloader';
import { unauthenticated } from '../errors/gateway-error';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { IssuedToken, PasswordUser, ProjectScope, TokenDetails } from '../upstreams/keystone/keystone.types';
import { checkId, checkName, checkOptionalId, checkPassword, exactlyOne } from '../schema/input-rules';
import { AuthToken } from '../schema/auth/auth-token.type';
import { LoginInput } from '../schema/auth/login.input';
import { ScopeTokenInput } from '../schema/auth/scope-token.input';

/** Login, scoping and the caller's identity, for one request. */
export class AuthService {
  constructor(
    private readonly keystone: KeystoneClient,
    private readonly callerToken: string | undefined,
    private readonly tokenDetails: DataLoader<string, TokenDetails>,
  ) {}

  async login(input: LoginInput): Promise<AuthToken> {
    const user = passwordUserOf(input);
    const scope = input.scope ? projectScopeOf(input.scope) : undefined;
    return toAuthToken(await this.keystone.createToken({ auth: { method: 'password', user }, scope }));
  }

  async scopeToken(input: ScopeTokenInput): Promise<AuthToken> {
    const scope = projectScopeOf(input);
    const token = this.requireToken();
    return toAuthToken(await this.keystone.createToken({ auth: { method: 'token', token }, scope }));
  }

  /** The caller's token, or `UNAUTHENTICATED` when the request carries none. */
  requireToken(): string {
    if (!this.callerToken) {
      throw unauthenticated('No token: send X-Auth-Token: <token> or Authorization: Bearer <token> (get one with login).');
    }
    return this.callerToken;
  }

  /** The caller's token as Keystone sees it; introspected at most once per request. */
  caller(): Promise<TokenDetails> {
    return this.tokenDetails.load(this.requireToken());
  }
}

function passwordUserOf(input: LoginInput): PasswordUser {
  exactlyOne(['username', 'userId'], input.username, input.userId);
  const password = checkPassword(input.password);
  const userId = checkOptionalId('userId', input.userId);
  if (userId) return { id: userId, password };
  return { name: checkName('username', input.username ?? ''), domainName: checkName('domain', input.domain), password };
}

function projectScopeOf(input: ScopeTokenInput): ProjectScope {
  exactlyOne(['projectName', 'projectId'], input.projectName, input.projectId);
  if (input.projectId !== null && input.projectId !== undefined) return { id: checkId('projectId', input.projectId) };
  return { name: checkName('projectName', input.projectName ?? ''), domainName: checkName('domain', input.domain) };
}

function toAuthToken({ token, details }: IssuedToken): AuthToken {
  return {
    token,
    expiresAt: details.expiresAt,
    issuedAt: details.issuedAt,
    methods: details.methods,
    user: details.user,
    project: details.project,
    roles: details.roles,
  };
}
