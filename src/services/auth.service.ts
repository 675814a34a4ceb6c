import DataLoader from 'dataloader';
import { LoginThrottle } from '../auth/login-throttle';
import { RequestToken } from '../auth/request-token';
import { unauthenticated } from '../errors/gateway-error';
import { RequestSession } from '../auth/session-cookie';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { UpstreamError } from '../errors/upstream-error';
import { IssuedToken, PasswordUser, ProjectScope, TokenDetails } from '../upstreams/keystone/keystone.types';
import { checkId, checkName, checkOptionalId, checkPassword, exactlyOne } from './input-rules';

export interface AuthServiceDependencies {
  keystone: KeystoneClient;
  caller: RequestToken | undefined;
  /** Per-request loader over the shared introspection cache. */
  tokenDetails: DataLoader<string, TokenDetails>;
  session: RequestSession;
  /** Drops a revoked token from the shared introspection cache. */
  forgetToken(token: string): Promise<void>;
  throttle: LoginThrottle;
  /** The caller's network address, for login throttling. */
  clientAddress: string;
}

const MAX_TOKEN_LENGTH = 4096;

/** A project to scope to, as the client gave it (GraphQL `ScopeTokenInput`); checked here. */
export interface ScopeRequest {
  projectName?: string | null;
  projectId?: string | null;
  domain: string;
}

/** A password login as the client gave it (GraphQL `LoginInput`); checked here. */
export interface LoginRequest {
  username?: string | null;
  userId?: string | null;
  password: string;
  domain: string;
  session?: boolean;
  scope?: ScopeRequest | null;
}

/** A token handed to the client: `token` is null when it went into the session cookie instead. */
export type HandedOutToken = TokenDetails & { token: string | null };

export type ViewerDetails = TokenDetails & { isAdmin: boolean };

/** Login, scoping, logout and the caller's identity, for one request. */
export class AuthService {
  constructor(private readonly deps: AuthServiceDependencies) {}

  async login(input: LoginRequest): Promise<HandedOutToken> {
    const user = passwordUserOf(input);
    const scope = input.scope ? projectScopeOf(input.scope) : undefined;
    const { throttle, clientAddress } = this.deps;
    const attempt = await throttle.begin(user, clientAddress);
    let issued: IssuedToken;
    try {
      issued = await this.deps.keystone.createToken({ auth: { method: 'password', user }, scope });
    } catch (error) {
      // Keystone's refusal of the password is the only verdict; anything else gives the slot back.
      await (error instanceof UpstreamError && error.reason === 'login-refused' ? attempt.failed() : attempt.abandoned());
      throw error;
    }
    const { id, name, domain } = issued.details.user;
    await attempt.succeeded({ id, name, domainName: domain.name });
    return this.handOut(issued, input.session === true);
  }

  /**
   * Scopes the caller's token; a browser session stays a session, and the token it replaces is
   * revoked (the browser no longer holds it, so nothing could ever log it out).
   */
  async scopeToken(input: ScopeRequest): Promise<HandedOutToken> {
    const scope = projectScopeOf(input);
    const token = this.requireToken();
    const issued = await this.deps.keystone.createToken({ auth: { method: 'token', token }, scope });
    if (this.deps.session.fromCookie) {
      await this.deps.forgetToken(token);
      await this.deps.keystone.revokeToken(token);
    }
    return this.handOut(issued, this.deps.session.fromCookie);
  }

  /** Revokes the caller's token and ends the browser session, if any. */
  async logout(): Promise<boolean> {
    const token = this.requireToken();
    if (this.deps.session.fromCookie) this.deps.session.end();
    await this.deps.forgetToken(token);
    await this.deps.keystone.revokeToken(token);
    return true;
  }

  async viewer(): Promise<ViewerDetails> {
    const details = await this.caller();
    return { ...details, isAdmin: details.roles.some((role) => role.name === 'admin') };
  }

  /** The caller's token, or `UNAUTHENTICATED` when the request carries none or a malformed one. */
  requireToken(): string {
    if (!this.deps.caller) {
      throw unauthenticated('No token: send X-Auth-Token: <token> or Authorization: Bearer <token> (get one with login).');
    }
    // Fernet and JWS tokens are a few hundred characters; a huge one is no token, and sent on
    // twice (X-Auth-Token and X-Subject-Token) it would make Keystone refuse the headers.
    if (this.deps.caller.token.length > MAX_TOKEN_LENGTH) throw unauthenticated('The token is malformed.');
    return this.deps.caller.token;
  }

  /** The caller's token as Keystone sees it; introspected at most once per request. */
  caller(): Promise<TokenDetails> {
    return this.deps.tokenDetails.load(this.requireToken());
  }

  private handOut({ token, details }: IssuedToken, asSession: boolean): HandedOutToken {
    if (asSession) this.deps.session.start(token, details.expiresAt);
    return {
      token: asSession ? null : token,
      expiresAt: details.expiresAt,
      issuedAt: details.issuedAt,
      methods: details.methods,
      user: details.user,
      project: details.project,
      roles: details.roles,
    };
  }
}

function passwordUserOf(input: LoginRequest): PasswordUser {
  exactlyOne(['username', 'userId'], input.username, input.userId);
  const password = checkPassword(input.password);
  const userId = checkOptionalId('userId', input.userId);
  if (userId) return { id: userId, password };
  return { name: checkName('username', input.username ?? ''), domainName: checkName('domain', input.domain), password };
}

function projectScopeOf(input: ScopeRequest): ProjectScope {
  exactlyOne(['projectName', 'projectId'], input.projectName, input.projectId);
  if (input.projectId !== null && input.projectId !== undefined) return { id: checkId('projectId', input.projectId) };
  return { name: checkName('projectName', input.projectName ?? ''), domainName: checkName('domain', input.domain) };
}
