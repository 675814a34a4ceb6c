import { isAllowed, PolicyAction } from '../auth/caller-policy';
import { LoginThrottle } from '../auth/login-throttle';
import { RequestToken } from '../auth/request-token';
import { ErrorCode } from '../errors/error-code';
import { GatewayError, unauthenticated } from '../errors/gateway-error';
import { RequestSession } from '../auth/session-cookie';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { UpstreamError } from '../errors/upstream-error';
import { IssuedToken, PasswordUser, ProjectScope, TokenDetails } from '../upstreams/keystone/keystone.types';
import { checkId, checkName, checkOptionalId, checkPassword, exactlyOne } from './input-rules';

export interface AuthServiceDependencies {
  keystone: KeystoneClient;
  caller: RequestToken | undefined;
  /** Asks the shared introspection cache (or Keystone) about a token. */
  introspect(token: string): Promise<TokenDetails>;
  session: RequestSession;
  /** Drops a revoked token from the shared introspection cache. */
  forgetToken(token: string): Promise<void>;
  throttle: LoginThrottle;
  /** The caller's network address, for login throttling. */
  clientAddress: string;
  /** Set when the request is AK/SK-signed: who signed it, as Keystone says, and the token to act with. */
  signed?: SignedAuthentication;
}

/** An AK/SK-signed request: Keystone checks the signature, the gateway acts with its service identity. */
export interface SignedAuthentication {
  /** Checks the signature (once per request) and answers who signed. */
  caller(): Promise<TokenDetails>;
  /** The service identity's token, to act upstream for the signer once the policy allowed it. */
  serviceToken(): Promise<string>;
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
  private callerDetails: Promise<TokenDetails> | undefined;

  constructor(private readonly deps: AuthServiceDependencies) {}

  /** Whether the request is AK/SK-signed (the gateway then acts with its service identity). */
  get isSigned(): boolean {
    return this.deps.signed !== undefined;
  }

  async login(input: LoginRequest): Promise<HandedOutToken> {
    this.refuseSigned();
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

  /**
   * The caller's token, or `UNAUTHENTICATED` when the request carries none or a malformed one.
   * A signed request has none: what it may do goes through `authorize` and `upstreamToken`.
   */
  requireToken(): string {
    if (this.deps.signed) {
      throw new GatewayError(
        ErrorCode.Forbidden,
        'This operation needs a Keystone token; it is not available to AK/SK-signed requests.',
      );
    }
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
    if (this.deps.signed) return this.deps.signed.caller();
    const token = this.requireToken();
    this.callerDetails ??= this.deps.introspect(token);
    return this.callerDetails;
  }

  /**
   * Refuses what Keystone's default policy would refuse the signer of a signed request. A token
   * caller passes: Keystone itself checks its token on the call that follows.
   */
  async authorize(action: PolicyAction, refusal = 'Keystone policy does not allow this to the pair owner.'): Promise<void> {
    if (this.deps.signed) await this.requireAllowed(action, refusal);
  }

  /** Refuses what Keystone's default policy would refuse the caller, whichever way it authenticated. */
  async requireAllowed(action: PolicyAction, refusal: string): Promise<void> {
    const caller = await this.caller();
    const subject = {
      userId: caller.user.id,
      projectId: caller.project?.id ?? '',
      domainId: caller.project?.domain.id ?? caller.user.domain.id,
      roleNames: caller.roles.map((role) => role.name),
    };
    if (!isAllowed(subject, action)) throw new GatewayError(ErrorCode.Forbidden, refusal);
  }

  /** The token to call upstream with: the caller's own, or for a signed request the service identity's. */
  async upstreamToken(): Promise<string> {
    if (!this.deps.signed) return this.requireToken();
    await this.deps.signed.caller();
    return this.deps.signed.serviceToken();
  }

  /** Login is with a password, not with a pair: a signed login is a client mistake. */
  private refuseSigned(): void {
    if (this.deps.signed) {
      throw new GatewayError(ErrorCode.Forbidden, 'This operation is not available to AK/SK-signed requests.');
    }
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
