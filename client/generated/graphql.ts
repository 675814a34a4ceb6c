import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

/** An access key / secret key pair (a Keystone `ec2` credential) used to sign SODA API calls. */
export type AkSk = {
  /** The access key: identifies the pair, safe to show. */
  accessKey: Scalars['String']['output'];
  /** When the pair was created through the gateway. */
  createdAt: Maybe<Scalars['DateTime']['output']>;
  /** User id of whoever created the pair through the gateway. */
  createdBy: Maybe<Scalars['ID']['output']>;
  /** What the pair is for; null for pairs made outside the gateway. */
  description: Maybe<Scalars['String']['output']>;
  /** When the pair stops working; null: never. */
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  /** When a request signed with the pair last succeeded here, to within `AKSK_LAST_USED_RESOLUTION_MS` (an hour by default); null when never seen. */
  lastUsedAt: Maybe<Scalars['DateTime']['output']>;
  /** The project the pair was created in, with its name; null when the caller may not read it (say, a member looking at a pair made in a project it has no role on) or it no longer exists. */
  project: Maybe<Project>;
  /** The project the pair was created in. */
  projectId: Scalars['ID']['output'];
  /** The secret key: signs requests. Show it once, never log it. */
  secretKey: Scalars['String']['output'];
  /** Active, inactive or expired. Pairs made outside the gateway are ACTIVE. */
  status: AkSkStatus;
  /** The Keystone credential type: `ec2` for an active pair, `ec2-inactive` for one switched off. */
  type: Scalars['String']['output'];
  /** The user the pair belongs to. */
  userId: Scalars['ID']['output'];
};

/** A short-lived, single-use link to download a user's AK/SK pairs as a file. It works as a plain browser link (no headers needed) exactly once, until `expiresAt`. */
export type AkSkDownloadLink = {
  /** After this the link no longer works. */
  expiresAt: Scalars['DateTime']['output'];
  /** The file's format. */
  format: AkSkFileFormat;
  /** Absolute URL of the file. Treat it like a password until used. */
  url: Scalars['String']['output'];
};

/** One entry of the audit trail of AK/SK pairs: a change or a download, by whom, with what outcome. Never holds a secret key. */
export type AkSkEvent = {
  /** The pair; null for a failure before any pair was known. */
  accessKey: Maybe<Scalars['String']['output']>;
  /** For a failure: the `extensions.code` the caller was told. */
  errorCode: Maybe<Scalars['String']['output']>;
  /** What happened: `aksk.created`, `aksk.updated`, `aksk.deactivated`, `aksk.activated`, `aksk.rotated`, `aksk.deleted`, `aksk.downloaded` or `aksk.expired`. */
  event: Scalars['String']['output'];
  /** Who acted. */
  initiator: AkSkEventInitiator;
  /** Whether it happened. */
  outcome: AkSkEventOutcome;
  /** The pair's project. */
  projectId: Maybe<Scalars['ID']['output']>;
  /** The `x-request-id` of the request that made it (`sweep-...` for a round of the expiry sweeper): the key into the logs. */
  requestId: Maybe<Scalars['String']['output']>;
  /** When it was recorded. */
  time: Scalars['DateTime']['output'];
  /** The pair's owner; null for a failure before the owner was known. */
  userId: Maybe<Scalars['ID']['output']>;
};

/** Who made an AK/SK change: a user, or the gateway itself (the expiry sweeper). */
export type AkSkEventInitiator = {
  /** The project of the acting user's token. */
  projectId: Maybe<Scalars['ID']['output']>;
  /** True when the gateway acted on its own (`aksk.expired`); then no user. */
  service: Scalars['Boolean']['output'];
  /** The acting user (the token's or the signing pair's owner). */
  userId: Maybe<Scalars['ID']['output']>;
};

/** Whether the recorded change or download happened. */
export type AkSkEventOutcome =
  /** It was refused or failed; `errorCode` says why. */
  | 'FAILURE'
  /** It happened. */
  | 'SUCCESS';

/** File format of a downloaded AK/SK file. */
export type AkSkFileFormat =
  /** An AWS shared-credentials file (INI, for the AWS CLI, botocore and boto3): a profile per pair named by its access key, `[default]` the first active pair; status and expiry as `#` comments. */
  | 'AWS_CREDENTIALS'
  /** CSV with a header row: user_id, project_id, type, access_key, secret_key. */
  | 'CSV'
  /** A shell file to `source`, like Horizon's ec2rc.sh: exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, EC2_ACCESS_KEY and EC2_SECRET_KEY for one pair (the first active one, else the first). */
  | 'ENV'
  /** The multicloud service's own download format: a JSON array of credentials. */
  | 'JSON';

/** Whether Keystone accepts requests signed with the pair. */
export type AkSkStatus =
  /** Usable: Keystone's ec2tokens/s3tokens accept it. */
  | 'ACTIVE'
  /** Past `expiresAt`: refused (the expiry sweeper switches it off in Keystone). */
  | 'EXPIRED'
  /** Switched off but kept: refused by Keystone until activated again, with the same keys. */
  | 'INACTIVE';

/** Whether an access key and secret key make a working pair, as Keystone says when asked to check a request signed with them. */
export type AkSkVerification = {
  /** The access key that was checked. */
  accessKey: Scalars['String']['output'];
  /** The pair's project as Keystone reports it; null when not valid. */
  project: Maybe<Project>;
  /** Why the pair does not work; null when valid. */
  reason: Maybe<Scalars['String']['output']>;
  /** The pair's owner as Keystone reports it; null when not valid. */
  user: Maybe<User>;
  /** Whether requests signed with this pair are accepted. */
  valid: Scalars['Boolean']['output'];
};

/** A Keystone token and what it grants. */
export type AuthToken = {
  /** When the token stops working. */
  expiresAt: Scalars['DateTime']['output'];
  /** When Keystone issued the token. */
  issuedAt: Scalars['DateTime']['output'];
  /** How the token was obtained: `password`, `token`, ... */
  methods: Array<Scalars['String']['output']>;
  /** The project the token is scoped to; null for an unscoped token (call `scopeToken`). */
  project: Maybe<Project>;
  /** The roles the token carries on its project; empty when unscoped. */
  roles: Array<Role>;
  /** The token itself (Keystone's `X-Subject-Token`). Send it on later requests as `X-Auth-Token: <token>` or `Authorization: Bearer <token>`. Treat it like a password. Null when it was set as the browser session cookie instead (`session: true`), where page scripts cannot read it. */
  token: Maybe<Scalars['String']['output']>;
  /** The user the token belongs to. */
  user: User;
};

/** Whom to create an AK/SK pair for. */
export type CreateAkSkInput = {
  /** What the pair is for (at most 255 characters). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** When the pair stops working; must be in the future. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The project of the pair; by default the project of the caller's scoped token. */
  projectId?: InputMaybe<Scalars['ID']['input']>;
  /** The user who will own the pair. */
  userId: Scalars['ID']['input'];
};

/** The pair deleted by `deleteAkSkByAccessKey`. */
export type DeleteAkSkPairPayload = {
  /** Access key of the deleted pair. */
  accessKey: Scalars['String']['output'];
  /** The project the pair was created in. */
  projectId: Maybe<Scalars['ID']['output']>;
  /** The user the pair belonged to. */
  userId: Scalars['ID']['output'];
};

/** The outcome of deleting a user's AK/SK pairs. */
export type DeleteAkSkPayload = {
  /** Access keys of the deleted pairs; null when the backend does not say (the multicloud service does not). */
  deletedAccessKeys: Maybe<Array<Scalars['String']['output']>>;
  /** The project the deletion was made through. */
  projectId: Scalars['ID']['output'];
  /** The user whose pairs were deleted. */
  userId: Scalars['ID']['output'];
};

/** A Keystone domain: the namespace users and projects live in. */
export type Domain = {
  /** Domain id, e.g. `default`. */
  id: Scalars['ID']['output'];
  /** Domain name, e.g. `Default`. */
  name: Scalars['String']['output'];
};

/** Password login: `username` (with `domain`) or `userId`, and the password. */
export type LoginInput = {
  /** Name of the user's domain; used with `username`. */
  domain?: Scalars['String']['input'];
  /** The user's password. Never logged, never echoed. */
  password: Scalars['String']['input'];
  /** Scope the new token to this project in the same call. Without it, Keystone scopes the token to the user's default project if it has one, and leaves it unscoped otherwise. */
  scope?: InputMaybe<ScopeTokenInput>;
  /** For browser apps: set the token as an `HttpOnly`, `Secure`, `SameSite=Strict` session cookie that later requests authenticate with, and return `token: null` so no script ever holds it. `logout` ends it. */
  session?: Scalars['Boolean']['input'];
  /** User id, instead of `username` and `domain`. */
  userId?: InputMaybe<Scalars['ID']['input']>;
  /** User name, looked up in `domain`. */
  username?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  /** Switches an inactive pair on again, with the same keys. Doing it twice is harmless. */
  activateAkSk: AkSk;
  /** Creates a new AK/SK pair. The secret key is returned here: show it to its owner once. */
  createAkSk: AkSk;
  /** Makes a single-use link, valid for a short time, that downloads the user's pairs as a file (`Content-Disposition: attachment`). Browsers can follow it without sending a token. */
  createAkSkDownloadLink: AkSkDownloadLink;
  /** Switches a pair off without deleting it: Keystone (and every service that checks EC2/S3 signatures with it) refuses it until `activateAkSk`. Doing it twice is harmless. */
  deactivateAkSk: AkSk;
  /** Deletes every AK/SK pair of a user. Through the multicloud service this deletes all of the user's Keystone credentials, as that service does; with the Keystone backend only AK/SK (`ec2`) ones. */
  deleteAkSk: DeleteAkSkPayload;
  /** Deletes one AK/SK pair by its access key, whichever way it was made (this gateway, the multicloud service, or `openstack ec2 credentials create`). */
  deleteAkSkByAccessKey: DeleteAkSkPairPayload;
  /** Password login with Keystone. Returns a token to send as `X-Auth-Token` on later requests; project-scoped when `input.scope` is given (or the user has a default project). */
  login: AuthToken;
  /** Revokes the caller's token with Keystone and ends the browser session, if any. Always true. */
  logout: Scalars['Boolean']['output'];
  /** Replaces a pair without downtime, as AWS documents: a new active pair with the same owner, project, description and expiry, and the previous one switched off (not deleted). Nothing is half-done: if the previous pair cannot be switched off, the new one is removed and the call fails. */
  rotateAkSk: RotateAkSkPayload;
  /** Scopes the caller's token (from the `X-Auth-Token` or `Authorization: Bearer` header, or the session cookie) to a project and returns the new, project-scoped token. AK/SK operations need a project-scoped token. */
  scopeToken: AuthToken;
  /** Changes a pair's description or expiry, whatever its status. */
  updateAkSk: AkSk;
  /** Checks a pair (the console's "test this key"): the gateway signs a request with it and Keystone says whether the signature is good and whose pair it is. Only the pair's owner or an admin may ask. A mutation although it changes nothing, so that the secret key is never sent in a GET URL. */
  verifyAkSk: AkSkVerification;
};


export type MutationActivateAkSkArgs = {
  accessKey: Scalars['String']['input'];
};


export type MutationCreateAkSkArgs = {
  input: CreateAkSkInput;
};


export type MutationCreateAkSkDownloadLinkArgs = {
  accessKey?: InputMaybe<Scalars['String']['input']>;
  format?: AkSkFileFormat;
  projectId?: InputMaybe<Scalars['ID']['input']>;
  userId: Scalars['ID']['input'];
};


export type MutationDeactivateAkSkArgs = {
  accessKey: Scalars['String']['input'];
};


export type MutationDeleteAkSkArgs = {
  projectId?: InputMaybe<Scalars['ID']['input']>;
  userId: Scalars['ID']['input'];
};


export type MutationDeleteAkSkByAccessKeyArgs = {
  accessKey: Scalars['String']['input'];
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationRotateAkSkArgs = {
  accessKey: Scalars['String']['input'];
};


export type MutationScopeTokenArgs = {
  input: ScopeTokenInput;
};


export type MutationUpdateAkSkArgs = {
  input: UpdateAkSkInput;
};


export type MutationVerifyAkSkArgs = {
  accessKey: Scalars['String']['input'];
  secretKey: Scalars['String']['input'];
};

/** Where a page sits in the whole list (Relay cursor connections). */
export type PageInfo = {
  /** The last user's cursor, for `after` of the next page; null on an empty page. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more users follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether users come before this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The first user's cursor; null on an empty page. */
  startCursor: Maybe<Scalars['String']['output']>;
};

/** A Keystone project (what SODA calls a tenant). */
export type Project = {
  /** The domain the project belongs to. */
  domain: Domain;
  /** Whether the project is enabled; null when not known. */
  enabled: Maybe<Scalars['Boolean']['output']>;
  /** Project id; the `tenant_id` of other SODA APIs. */
  id: Scalars['ID']['output'];
  /** Project name, unique within its domain. */
  name: Scalars['String']['output'];
};

export type Query = {
  /** The AK/SK pairs of a user; an empty list when there are none. */
  akSk: Array<AkSk>;
  /** The audit trail of a user's AK/SK pairs (and of what the user did), newest first. Admins may read anyone's, members only their own. Needs Redis (`REDIS_URL`); without it the trail is only in the gateway's logs and this answers `AUDIT_TRAIL_UNAVAILABLE`. */
  akSkEvents: Array<AkSkEvent>;
  /** The projects the caller may scope a token to (for a project picker). */
  projects: Array<Project>;
  /** One user: admins may read anyone, others themselves. */
  user: User;
  /**
   * Every user, unpaged; Keystone allows this to admins only (FORBIDDEN otherwise).
   * @deprecated Use usersConnection: it pages, searches and filters, and selecting akSks costs upstream calls only for the users of the page.
   */
  users: Array<User>;
  /** Users a page at a time (a Relay cursor connection), searchable by name, sortable, optionally only those with AK/SK pairs. Admins only (FORBIDDEN otherwise); a member reads itself with `user(id)`. */
  usersConnection: UserConnection;
  /** Who the caller is, from the caller's token; UNAUTHENTICATED without a valid one. */
  viewer: Viewer;
};


export type QueryAkSkArgs = {
  projectId?: InputMaybe<Scalars['ID']['input']>;
  userId: Scalars['ID']['input'];
};


export type QueryAkSkEventsArgs = {
  first?: Scalars['Int']['input'];
  userId: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  orderBy?: UserOrder;
  search?: InputMaybe<Scalars['String']['input']>;
  withAkSks?: Scalars['Boolean']['input'];
};

/** A role the token carries on its project, e.g. `admin` or `member`. */
export type Role = {
  /** Role id. */
  id: Scalars['ID']['output'];
  /** Role name. */
  name: Scalars['String']['output'];
};

/** The outcome of `rotateAkSk`: the pair to use from now on, and the one it replaces. */
export type RotateAkSkPayload = {
  /** The new, active pair: same owner, project, description and expiry. Its secret key is shown here once. */
  newPair: AkSk;
  /** The pair rotated out, now inactive but kept with its keys: switch it back on with `activateAkSk` if something still needs it, delete it with `deleteAkSkByAccessKey` once nothing does. */
  previousPair: AkSk;
};

/** The project to scope a token to: give exactly one of `projectName` and `projectId`. */
export type ScopeTokenInput = {
  /** Name of the domain the project belongs to; used with `projectName`. */
  domain?: Scalars['String']['input'];
  /** Project id. */
  projectId?: InputMaybe<Scalars['ID']['input']>;
  /** Project name, looked up in `domain`. */
  projectName?: InputMaybe<Scalars['String']['input']>;
};

/** Changes to an AK/SK pair's metadata; a field left out stays as it is, null clears it. */
export type UpdateAkSkInput = {
  /** Access key of the pair to change. */
  accessKey: Scalars['String']['input'];
  /** What the pair is for (at most 255 characters). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** When the pair stops working; must be in the future. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A Keystone user. */
export type User = {
  /** The user's AK/SK pairs. Listing many users' pairs costs one upstream call per user, made concurrently (two on the multicloud backend when status or metadata is selected). */
  akSks: Array<AkSk>;
  /** The project a login without scope is scoped to, if any. */
  defaultProjectId: Maybe<Scalars['ID']['output']>;
  /** The domain the user belongs to. */
  domain: Domain;
  /** Whether the user may log in; null when not known. */
  enabled: Maybe<Scalars['Boolean']['output']>;
  /** User id (Keystone uses 32 hexadecimal characters). */
  id: Scalars['ID']['output'];
  /** User name, unique within its domain. */
  name: Scalars['String']['output'];
  /** The projects the user has a role on (Keystone `GET /users/{id}/projects`): admins may read anyone's, others their own (FORBIDDEN otherwise). A pair made in a project outside this list works nowhere. */
  projects: Array<Project>;
};


/** A Keystone user. */
export type UserAkSksArgs = {
  projectId?: InputMaybe<Scalars['ID']['input']>;
};

/** One page of users. Only the users on the page cost upstream AK/SK calls when their `akSks` are selected. */
export type UserConnection = {
  /** The users of this page with their cursors. */
  edges: Array<UserEdge>;
  /** The users of this page, for clients that need no cursors. */
  nodes: Array<User>;
  /** Whether there is more, and the cursors to get it. */
  pageInfo: PageInfo;
  /** How many users match `search` and `withAkSks`, on every page together. */
  totalCount: Scalars['Int']['output'];
};

/** A user and its cursor. */
export type UserEdge = {
  /** This user's position, for `after`. */
  cursor: Scalars['String']['output'];
  /** The user. */
  node: User;
};

/** How `usersConnection` sorts users. */
export type UserOrder =
  /** By name, A to Z (case-insensitive; digits in numeric order), then by id. */
  | 'NAME_ASC'
  /** By name, Z to A, then by id. */
  | 'NAME_DESC';

/** Who the caller is: the caller's token as Keystone sees it, without the token itself. */
export type Viewer = {
  /** When the token stops working. */
  expiresAt: Scalars['DateTime']['output'];
  /** Whether the token carries the `admin` role (may manage every user's pairs). */
  isAdmin: Scalars['Boolean']['output'];
  /** When Keystone issued the token. */
  issuedAt: Scalars['DateTime']['output'];
  /** How the token was obtained: `password`, `token`, ... */
  methods: Array<Scalars['String']['output']>;
  /** The project the token is scoped to; null when unscoped. */
  project: Maybe<Project>;
  /** The roles the token carries on its project. */
  roles: Array<Role>;
  /** The logged-in user. */
  user: User;
};

export type AkSkEventsQueryVariables = Exact<{
  userId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type AkSkEventsQuery = { akSkEvents: Array<{ event: string, accessKey: string | null, userId: string | null, projectId: string | null, outcome: AkSkEventOutcome, errorCode: string | null, requestId: string | null, time: string, initiator: { service: boolean, userId: string | null, projectId: string | null } }> };

export type AkSkFieldsFragment = { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null };

export type AkSkQueryVariables = Exact<{
  userId: Scalars['ID']['input'];
  projectId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type AkSkQuery = { akSk: Array<{ accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null }> };

export type CreateAkSkMutationVariables = Exact<{
  input: CreateAkSkInput;
}>;


export type CreateAkSkMutation = { createAkSk: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null } };

export type UpdateAkSkMutationVariables = Exact<{
  input: UpdateAkSkInput;
}>;


export type UpdateAkSkMutation = { updateAkSk: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null } };

export type DeactivateAkSkMutationVariables = Exact<{
  accessKey: Scalars['String']['input'];
}>;


export type DeactivateAkSkMutation = { deactivateAkSk: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null } };

export type ActivateAkSkMutationVariables = Exact<{
  accessKey: Scalars['String']['input'];
}>;


export type ActivateAkSkMutation = { activateAkSk: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null } };

export type RotateAkSkMutationVariables = Exact<{
  accessKey: Scalars['String']['input'];
}>;


export type RotateAkSkMutation = { rotateAkSk: { newPair: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null }, previousPair: { accessKey: string, secretKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, createdBy: string | null, expiresAt: string | null, lastUsedAt: string | null } } };

export type DeleteAkSkMutationVariables = Exact<{
  userId: Scalars['ID']['input'];
  projectId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type DeleteAkSkMutation = { deleteAkSk: { userId: string, projectId: string, deletedAccessKeys: Array<string> | null } };

export type DeleteAkSkByAccessKeyMutationVariables = Exact<{
  accessKey: Scalars['String']['input'];
}>;


export type DeleteAkSkByAccessKeyMutation = { deleteAkSkByAccessKey: { accessKey: string, userId: string, projectId: string | null } };

export type VerifyAkSkMutationVariables = Exact<{
  accessKey: Scalars['String']['input'];
  secretKey: Scalars['String']['input'];
}>;


export type VerifyAkSkMutation = { verifyAkSk: { valid: boolean, accessKey: string, reason: string | null, user: { id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string } } | null, project: { id: string, name: string, enabled: boolean | null, domain: { id: string, name: string } } | null } };

export type CreateAkSkDownloadLinkMutationVariables = Exact<{
  userId: Scalars['ID']['input'];
  projectId?: InputMaybe<Scalars['ID']['input']>;
  format?: InputMaybe<AkSkFileFormat>;
}>;


export type CreateAkSkDownloadLinkMutation = { createAkSkDownloadLink: { url: string, expiresAt: string, format: AkSkFileFormat } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { token: string | null, expiresAt: string, issuedAt: string, methods: Array<string>, user: { id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string } }, project: { id: string, name: string, enabled: boolean | null, domain: { id: string, name: string } } | null, roles: Array<{ id: string, name: string }> } };

export type ScopeTokenMutationVariables = Exact<{
  input: ScopeTokenInput;
}>;


export type ScopeTokenMutation = { scopeToken: { token: string | null, expiresAt: string, issuedAt: string, methods: Array<string>, user: { id: string, name: string, domain: { id: string, name: string } }, project: { id: string, name: string, enabled: boolean | null, domain: { id: string, name: string } } | null, roles: Array<{ id: string, name: string }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { methods: Array<string>, issuedAt: string, expiresAt: string, isAdmin: boolean, user: { id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string } }, project: { id: string, name: string, enabled: boolean | null, domain: { id: string, name: string } } | null, roles: Array<{ id: string, name: string }> } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type ListedAkSkFragment = { accessKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, expiresAt: string | null, lastUsedAt: string | null, project: { id: string, name: string } | null };

export type ProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type ProjectsQuery = { projects: Array<{ id: string, name: string, enabled: boolean | null, domain: { id: string, name: string } }> };

export type UsersQueryVariables = Exact<{
  projectId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type UsersQuery = { users: Array<{ id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string }, akSks: Array<{ accessKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, expiresAt: string | null, lastUsedAt: string | null, project: { id: string, name: string } | null }> }> };

export type UsersConnectionQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  withAkSks?: InputMaybe<Scalars['Boolean']['input']>;
  orderBy?: InputMaybe<UserOrder>;
  projectId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type UsersConnectionQuery = { usersConnection: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string } }>, nodes: Array<{ id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string }, akSks: Array<{ accessKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, expiresAt: string | null, lastUsedAt: string | null, project: { id: string, name: string } | null }> }> } };

export type UserProjectsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type UserProjectsQuery = { user: { id: string, projects: Array<{ id: string, name: string }> } };

export type UserQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  projectId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type UserQuery = { user: { id: string, name: string, enabled: boolean | null, defaultProjectId: string | null, domain: { id: string, name: string }, akSks: Array<{ accessKey: string, userId: string, projectId: string, type: string, status: AkSkStatus, description: string | null, createdAt: string | null, expiresAt: string | null, lastUsedAt: string | null, project: { id: string, name: string } | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AkSkFieldsFragmentDoc = new TypedDocumentString(`
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}
    `, {"fragmentName":"AkSkFields"}) as unknown as TypedDocumentString<AkSkFieldsFragment, unknown>;
export const ListedAkSkFragmentDoc = new TypedDocumentString(`
    fragment ListedAkSk on AkSk {
  accessKey
  userId
  projectId
  project {
    id
    name
  }
  type
  status
  description
  createdAt
  expiresAt
  lastUsedAt
}
    `, {"fragmentName":"ListedAkSk"}) as unknown as TypedDocumentString<ListedAkSkFragment, unknown>;
export const AkSkEventsDocument = new TypedDocumentString(`
    query AkSkEvents($userId: ID!, $first: Int) {
  akSkEvents(userId: $userId, first: $first) {
    event
    accessKey
    userId
    projectId
    initiator {
      service
      userId
      projectId
    }
    outcome
    errorCode
    requestId
    time
  }
}
    `) as unknown as TypedDocumentString<AkSkEventsQuery, AkSkEventsQueryVariables>;
export const AkSkDocument = new TypedDocumentString(`
    query AkSk($userId: ID!, $projectId: ID) {
  akSk(userId: $userId, projectId: $projectId) {
    ...AkSkFields
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<AkSkQuery, AkSkQueryVariables>;
export const CreateAkSkDocument = new TypedDocumentString(`
    mutation CreateAkSk($input: CreateAkSkInput!) {
  createAkSk(input: $input) {
    ...AkSkFields
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<CreateAkSkMutation, CreateAkSkMutationVariables>;
export const UpdateAkSkDocument = new TypedDocumentString(`
    mutation UpdateAkSk($input: UpdateAkSkInput!) {
  updateAkSk(input: $input) {
    ...AkSkFields
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<UpdateAkSkMutation, UpdateAkSkMutationVariables>;
export const DeactivateAkSkDocument = new TypedDocumentString(`
    mutation DeactivateAkSk($accessKey: String!) {
  deactivateAkSk(accessKey: $accessKey) {
    ...AkSkFields
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<DeactivateAkSkMutation, DeactivateAkSkMutationVariables>;
export const ActivateAkSkDocument = new TypedDocumentString(`
    mutation ActivateAkSk($accessKey: String!) {
  activateAkSk(accessKey: $accessKey) {
    ...AkSkFields
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<ActivateAkSkMutation, ActivateAkSkMutationVariables>;
export const RotateAkSkDocument = new TypedDocumentString(`
    mutation RotateAkSk($accessKey: String!) {
  rotateAkSk(accessKey: $accessKey) {
    newPair {
      ...AkSkFields
    }
    previousPair {
      ...AkSkFields
    }
  }
}
    fragment AkSkFields on AkSk {
  accessKey
  secretKey
  userId
  projectId
  type
  status
  description
  createdAt
  createdBy
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<RotateAkSkMutation, RotateAkSkMutationVariables>;
export const DeleteAkSkDocument = new TypedDocumentString(`
    mutation DeleteAkSk($userId: ID!, $projectId: ID) {
  deleteAkSk(userId: $userId, projectId: $projectId) {
    userId
    projectId
    deletedAccessKeys
  }
}
    `) as unknown as TypedDocumentString<DeleteAkSkMutation, DeleteAkSkMutationVariables>;
export const DeleteAkSkByAccessKeyDocument = new TypedDocumentString(`
    mutation DeleteAkSkByAccessKey($accessKey: String!) {
  deleteAkSkByAccessKey(accessKey: $accessKey) {
    accessKey
    userId
    projectId
  }
}
    `) as unknown as TypedDocumentString<DeleteAkSkByAccessKeyMutation, DeleteAkSkByAccessKeyMutationVariables>;
export const VerifyAkSkDocument = new TypedDocumentString(`
    mutation VerifyAkSk($accessKey: String!, $secretKey: String!) {
  verifyAkSk(accessKey: $accessKey, secretKey: $secretKey) {
    valid
    accessKey
    user {
      id
      name
      domain {
        id
        name
      }
      enabled
      defaultProjectId
    }
    project {
      id
      name
      domain {
        id
        name
      }
      enabled
    }
    reason
  }
}
    `) as unknown as TypedDocumentString<VerifyAkSkMutation, VerifyAkSkMutationVariables>;
export const CreateAkSkDownloadLinkDocument = new TypedDocumentString(`
    mutation CreateAkSkDownloadLink($userId: ID!, $projectId: ID, $format: AkSkFileFormat) {
  createAkSkDownloadLink(userId: $userId, projectId: $projectId, format: $format) {
    url
    expiresAt
    format
  }
}
    `) as unknown as TypedDocumentString<CreateAkSkDownloadLinkMutation, CreateAkSkDownloadLinkMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    expiresAt
    issuedAt
    methods
    user {
      id
      name
      domain {
        id
        name
      }
      enabled
      defaultProjectId
    }
    project {
      id
      name
      domain {
        id
        name
      }
      enabled
    }
    roles {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const ScopeTokenDocument = new TypedDocumentString(`
    mutation ScopeToken($input: ScopeTokenInput!) {
  scopeToken(input: $input) {
    token
    expiresAt
    issuedAt
    methods
    user {
      id
      name
      domain {
        id
        name
      }
    }
    project {
      id
      name
      domain {
        id
        name
      }
      enabled
    }
    roles {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ScopeTokenMutation, ScopeTokenMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    user {
      id
      name
      domain {
        id
        name
      }
      enabled
      defaultProjectId
    }
    project {
      id
      name
      domain {
        id
        name
      }
      enabled
    }
    roles {
      id
      name
    }
    methods
    issuedAt
    expiresAt
    isAdmin
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const ProjectsDocument = new TypedDocumentString(`
    query Projects {
  projects {
    id
    name
    domain {
      id
      name
    }
    enabled
  }
}
    `) as unknown as TypedDocumentString<ProjectsQuery, ProjectsQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($projectId: ID) {
  users {
    id
    name
    domain {
      id
      name
    }
    enabled
    defaultProjectId
    akSks(projectId: $projectId) {
      ...ListedAkSk
    }
  }
}
    fragment ListedAkSk on AkSk {
  accessKey
  userId
  projectId
  project {
    id
    name
  }
  type
  status
  description
  createdAt
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const UsersConnectionDocument = new TypedDocumentString(`
    query UsersConnection($first: Int, $after: String, $search: String, $withAkSks: Boolean, $orderBy: UserOrder, $projectId: ID) {
  usersConnection(
    first: $first
    after: $after
    search: $search
    withAkSks: $withAkSks
    orderBy: $orderBy
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      cursor
      node {
        id
      }
    }
    nodes {
      id
      name
      domain {
        id
        name
      }
      enabled
      defaultProjectId
      akSks(projectId: $projectId) {
        ...ListedAkSk
      }
    }
  }
}
    fragment ListedAkSk on AkSk {
  accessKey
  userId
  projectId
  project {
    id
    name
  }
  type
  status
  description
  createdAt
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<UsersConnectionQuery, UsersConnectionQueryVariables>;
export const UserProjectsDocument = new TypedDocumentString(`
    query UserProjects($id: ID!) {
  user(id: $id) {
    id
    projects {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<UserProjectsQuery, UserProjectsQueryVariables>;
export const UserDocument = new TypedDocumentString(`
    query User($id: ID!, $projectId: ID) {
  user(id: $id) {
    id
    name
    domain {
      id
      name
    }
    enabled
    defaultProjectId
    akSks(projectId: $projectId) {
      ...ListedAkSk
    }
  }
}
    fragment ListedAkSk on AkSk {
  accessKey
  userId
  projectId
  project {
    id
    name
  }
  type
  status
  description
  createdAt
  expiresAt
  lastUsedAt
}`) as unknown as TypedDocumentString<UserQuery, UserQueryVariables>;