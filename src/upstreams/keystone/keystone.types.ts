/** What the gateway sends to and reads from Keystone identity v3. */

export interface NamedRef {
  id: string;
  name: string;
}

export interface DomainScopedRef extends NamedRef {
  domain: NamedRef;
}

/** A token's introspected content, as `POST` and `GET /auth/tokens` return it. */
export interface TokenDetails {
  methods: string[];
  user: DomainScopedRef;
  /** Absent for an unscoped token. */
  project: DomainScopedRef | undefined;
  roles: NamedRef[];
  expiresAt: Date;
  issuedAt: Date;
}

/** A token as Keystone issues it: the secret from `X-Subject-Token`, the rest from the body. */
export interface IssuedToken {
  token: string;
  details: TokenDetails;
}

/** The user to authenticate: by id, or by name within a domain given by name. */
export type PasswordUser = { id: string; password: string } | { name: string; domainName: string; password: string };

/** A project to scope to: by id, or by name within a domain given by name. */
export type ProjectScope = { id: string } | { name: string; domainName: string };

export type AuthMethod = { method: 'password'; user: PasswordUser } | { method: 'token'; token: string };

export interface CreateTokenRequest {
  auth: AuthMethod;
  /** `undefined` lets Keystone apply the user's default project; `'unscoped'` refuses it. */
  scope?: ProjectScope | 'unscoped';
}

export interface ProjectSummary extends NamedRef {
  domainId: string;
  enabled: boolean;
}

export interface UserSummary extends NamedRef {
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | undefined;
}

/** The `credentials` of `POST /ec2tokens`: a signed request as Keystone's EC2 signer reads it. */
export interface Ec2Credentials {
  access: string;
  signature: string;
  host: string;
  verb: string;
  path: string;
  params: Record<string, string>;
  /** Keystone reads `Authorization` and `X-Amz-Date` under exactly these names. */
  headers: Record<string, string>;
  body_hash: string;
}
