/**
 * The emulator's whole state: the seeded directory (domain, projects, users, roles, assignments)
 * plus the credentials and tokens made at run time. Knows nothing of HTTP or policy.
 */

import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Seed } from '../seed';

export interface DomainRecord {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
}

export interface ProjectRecord {
  id: string;
  name: string;
  domainId: string;
  description: string;
  enabled: boolean;
  /** Keystone makes a top-level project's parent its domain. */
  parentId: string;
}

export interface UserRecord {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  /** Attributes Keystone keeps beside the columns (`description`, `email`, anything sent). */
  extra: Record<string, unknown>;
}

export interface NewUser {
  name: string;
  domainId: string;
  /** `null`: the user cannot log in with a password. */
  password: string | null;
  enabled: boolean;
  defaultProjectId: string | null;
  extra: Record<string, unknown>;
}

export interface RoleRecord {
  id: string;
  name: string;
}

export interface CredentialRecord {
  id: string;
  userId: string;
  projectId: string | null;
  type: string;
  /** A JSON document kept as the string it was sent as. */
  blob: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  /** Set for a project-scoped token. */
  projectId: string | null;
  /** Set for a system-scoped token; never together with `projectId`. */
  system: boolean;
  methods: string[];
  /** The token's own audit id first, then the one of the token it was rescoped from. */
  auditIds: string[];
  /** Epoch milliseconds, whole seconds as in a Fernet payload. */
  issuedAt: number;
  expiresAt: number;
}

export type TokenLookup =
  | { status: 'valid'; token: TokenRecord }
  /** Never issued here: what Keystone says of a string that does not decrypt. */
  | { status: 'unrecognized' }
  /** Issued here, but expired or revoked. */
  | { status: 'invalid' }
  /** Issued here and still live, but its user has since been deleted. */
  | { status: 'orphaned'; userId: string };

export interface IssueTokenRequest {
  userId: string;
  projectId: string | null;
  system: boolean;
  methods: string[];
  /** A rescoped token keeps its parent's expiry, so rescoping cannot extend a session. */
  expiresAt?: number;
  parentAuditId?: string;
}

export interface IdentityStoreOptions {
  tokenTtlSeconds: number;
  now: () => number;
}

interface StoredUser extends UserRecord {
  salt: Buffer;
  /** `null` for a user created without a password. */
  passwordDigest: Buffer | null;
}

interface StoredToken extends TokenRecord {
  revoked: boolean;
}

/** Keystone ids are `uuid4().hex`. */
export function newKeystoneId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Opaque like a Fernet token: same prefix and about the same length, random content. */
function newTokenId(): string {
  return 'gAAAAAB' + randomBytes(128).toString('base64url');
}

/** Keystone's audit ids: 16 random bytes, URL-safe base64 without padding. */
function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Keys in SODA's shape, from a CSPRNG. */
function randomAlphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

function digestPassword(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}

export class IdentityStore {
  readonly domain: DomainRecord;
  private readonly projects = new Map<string, ProjectRecord>();
  private readonly users = new Map<string, StoredUser>();
  private readonly roles = new Map<string, RoleRecord>();
  /** Prior role id to the role ids it directly implies. */
  private readonly implications = new Map<string, string[]>();
  /** `${userId}:${projectId}` (or `${userId}:system`) to directly assigned role ids, in assignment order. */
  private readonly assignments = new Map<string, string[]>();
  private readonly credentials = new Map<string, CredentialRecord>();
  private readonly tokens = new Map<string, StoredToken>();

  constructor(
    seed: Seed,
    private readonly options: IdentityStoreOptions,
  ) {
    // `keystone-manage bootstrap` gives the default domain this description.
    this.domain = { ...seed.domain, description: 'The default domain', enabled: true };
    for (const project of seed.projects) {
      const id = newKeystoneId();
      this.projects.set(id, {
        id,
        name: project.name,
        domainId: this.domain.id,
        description: project.description,
        enabled: true,
        parentId: this.domain.id,
      });
    }
    for (const name of seed.roles) {
      const id = newKeystoneId();
      this.roles.set(id, { id, name });
    }
    for (const { prior, implied } of seed.impliedRoles) {
      const priorId = this.requireRoleByName(prior).id;
      const implies = this.implications.get(priorId) ?? [];
      implies.push(this.requireRoleByName(implied).id);
      this.implications.set(priorId, implies);
    }
    for (const user of seed.users) {
      const id = newKeystoneId();
      const salt = randomBytes(16);
      const defaultProject = user.defaultProject ? this.findProjectByName(user.defaultProject, this.domain.id) : undefined;
      if (user.defaultProject && !defaultProject) {
        throw new Error(`seed: default project ${user.defaultProject} of ${user.name} is not seeded`);
      }
      this.users.set(id, {
        id,
        name: user.name,
        domainId: this.domain.id,
        enabled: true,
        defaultProjectId: defaultProject?.id ?? null,
        extra: {},
        salt,
        passwordDigest: digestPassword(salt, user.password),
      });
      for (const assignment of user.roles) {
        const project = this.findProjectByName(assignment.project, this.domain.id);
        if (!project) throw new Error(`seed: project ${assignment.project} of ${user.name} is not seeded`);
        const key = `${id}:${project.id}`;
        this.assignments.set(key, [...(this.assignments.get(key) ?? []), this.requireRoleByName(assignment.role).id]);
      }
      const systemRoleIds = (user.systemRoles ?? []).map((role) => this.requireRoleByName(role).id);
      if (systemRoleIds.length > 0) this.assignments.set(systemKey(id), systemRoleIds);
    }
    for (const pair of seed.akSks ?? []) {
      const owner = this.findUserByName(pair.user, this.domain.id);
      const project = this.findProjectByName(pair.project, this.domain.id);
      if (!owner || !project) throw new Error(`seed: pair of ${pair.user} in ${pair.project}: no such user or project`);
      const access = randomAlphanumeric(16);
      this.addCredential({
        id: createHash('sha256').update(access, 'utf8').digest('hex'),
        userId: owner.id,
        projectId: project.id,
        type: 'ec2',
        blob: JSON.stringify({ access, secret: randomAlphanumeric(32) }),
      });
    }
  }

  now(): number {
    return this.options.now();
  }

  findDomain(reference: { id?: string; name?: string }): DomainRecord | undefined {
    const matches = reference.id !== undefined ? reference.id === this.domain.id : reference.name === this.domain.name;
    return matches ? { ...this.domain } : undefined;
  }

  getDomain(id: string): DomainRecord | undefined {
    return this.findDomain({ id });
  }

  getUser(id: string): UserRecord | undefined {
    const stored = this.users.get(id);
    return stored ? publicUser(stored) : undefined;
  }

  findUserByName(name: string, domainId: string): UserRecord | undefined {
    for (const user of this.users.values()) {
      if (user.name === name && user.domainId === domainId) return publicUser(user);
    }
    return undefined;
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].map(publicUser);
  }

  /** Constant-time comparison, so the emulator does not teach timing-unsafe habits. */
  verifyPassword(userId: string, password: string): boolean {
    const user = this.users.get(userId);
    if (!user || user.passwordDigest === null) return false;
    return timingSafeEqual(user.passwordDigest, digestPassword(user.salt, password));
  }

  /** Returns `undefined`, storing nothing, when the domain already has a user of that name. */
  createUser(request: NewUser): UserRecord | undefined {
    if (this.findUserByName(request.name, request.domainId)) return undefined;
    const id = newKeystoneId();
    const salt = randomBytes(16);
    const stored: StoredUser = {
      id,
      name: request.name,
      domainId: request.domainId,
      enabled: request.enabled,
      defaultProjectId: request.defaultProjectId,
      extra: { ...request.extra },
      salt,
      passwordDigest: request.password === null ? null : digestPassword(salt, request.password),
    };
    this.users.set(id, stored);
    return publicUser(stored);
  }

  /**
   * Deletes the user with its role assignments and all its credentials, as Keystone does. Its
   * tokens are not revoked: they now fail on the missing user (`lookupToken` says `orphaned`).
   */
  deleteUser(id: string): boolean {
    if (!this.users.delete(id)) return false;
    for (const key of [...this.assignments.keys()]) {
      if (key.startsWith(`${id}:`)) this.assignments.delete(key);
    }
    for (const credential of [...this.credentials.values()]) {
      if (credential.userId === id) this.credentials.delete(credential.id);
    }
    return true;
  }

  getProject(id: string): ProjectRecord | undefined {
    return this.projects.get(id);
  }

  findProjectByName(name: string, domainId: string): ProjectRecord | undefined {
    for (const project of this.projects.values()) {
      if (project.name === name && project.domainId === domainId) return project;
    }
    return undefined;
  }

  /** Every project, in creation order. */
  listProjects(): ProjectRecord[] {
    return [...this.projects.values()];
  }

  findRoleByName(name: string): RoleRecord | undefined {
    for (const role of this.roles.values()) if (role.name === name) return role;
    return undefined;
  }

  getRole(id: string): RoleRecord | undefined {
    return this.roles.get(id);
  }

  listRoles(): RoleRecord[] {
    return [...this.roles.values()];
  }

  /** Assigns the role on the project; assigning it twice changes nothing. */
  grantProjectRole(userId: string, projectId: string, roleId: string): void {
    const key = `${userId}:${projectId}`;
    const assigned = this.assignments.get(key) ?? [];
    if (!assigned.includes(roleId)) this.assignments.set(key, [...assigned, roleId]);
  }

  /** Roles assigned on the project followed by every role they imply, without duplicates. */
  effectiveRoles(userId: string, projectId: string): RoleRecord[] {
    return this.withImpliedRoles(this.assignments.get(`${userId}:${projectId}`) ?? []);
  }

  effectiveSystemRoles(userId: string): RoleRecord[] {
    return this.withImpliedRoles(this.assignments.get(systemKey(userId)) ?? []);
  }

  /** The roles a token carries: none when unscoped. */
  rolesOfToken(token: TokenRecord): RoleRecord[] {
    if (token.system) return this.effectiveSystemRoles(token.userId);
    if (token.projectId !== null) return this.effectiveRoles(token.userId, token.projectId);
    return [];
  }

  private withImpliedRoles(assigned: string[]): RoleRecord[] {
    const ordered: string[] = [];
    const pending = [...assigned];
    while (pending.length > 0) {
      const roleId = pending.shift() as string;
      if (ordered.includes(roleId)) continue;
      ordered.push(roleId);
      pending.push(...(this.implications.get(roleId) ?? []));
    }
    return ordered.map((roleId) => this.roles.get(roleId) as RoleRecord);
  }

  /** The enabled projects the user holds a role on, as `GET /auth/projects` lists them. */
  projectsOf(userId: string): ProjectRecord[] {
    return [...this.projects.values()].filter((project) => project.enabled && this.effectiveRoles(userId, project.id).length > 0);
  }

  issueToken(request: IssueTokenRequest): TokenRecord {
    const issuedAt = Math.floor(this.options.now() / 1000) * 1000;
    const token: StoredToken = {
      id: newTokenId(),
      userId: request.userId,
      projectId: request.projectId,
      system: request.system,
      methods: [...request.methods],
      auditIds: request.parentAuditId ? [newAuditId(), request.parentAuditId] : [newAuditId()],
      issuedAt,
      expiresAt: request.expiresAt ?? issuedAt + this.options.tokenTtlSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.id, token);
    return publicToken(token);
  }

  lookupToken(id: string): TokenLookup {
    const token = this.tokens.get(id);
    if (!token) return { status: 'unrecognized' };
    if (token.revoked || this.options.now() >= token.expiresAt) return { status: 'invalid' };
    if (!this.users.has(token.userId)) return { status: 'orphaned', userId: token.userId };
    return { status: 'valid', token: publicToken(token) };
  }

  /** Revokes this token only: tokens rescoped from it stay valid, as in Keystone. */
  revokeToken(id: string): void {
    const token = this.tokens.get(id);
    if (token) token.revoked = true;
  }

  getCredential(id: string): CredentialRecord | undefined {
    const credential = this.credentials.get(id);
    return credential ? { ...credential } : undefined;
  }

  listCredentials(filter: { userId?: string; type?: string } = {}): CredentialRecord[] {
    return [...this.credentials.values()]
      .filter((credential) => filter.userId === undefined || credential.userId === filter.userId)
      .filter((credential) => filter.type === undefined || credential.type === filter.type)
      .map((credential) => ({ ...credential }));
  }

  /** Returns `false`, storing nothing, when the id is taken. */
  addCredential(credential: CredentialRecord): boolean {
    if (this.credentials.has(credential.id)) return false;
    this.credentials.set(credential.id, { ...credential });
    return true;
  }

  updateCredentialBlob(id: string, blob: string): void {
    const credential = this.credentials.get(id);
    if (credential) credential.blob = blob;
  }

  deleteCredential(id: string): boolean {
    return this.credentials.delete(id);
  }

  private requireRoleByName(name: string): RoleRecord {
    const role = this.findRoleByName(name);
    if (!role) throw new Error(`seed: role ${name} is not seeded`);
    return role;
  }
}

function systemKey(userId: string): string {
  return `${userId}:system`;
}

function publicUser(stored: StoredUser): UserRecord {
  const { id, name, domainId, enabled, defaultProjectId, extra } = stored;
  return { id, name, domainId, enabled, defaultProjectId, extra: { ...extra } };
}

function publicToken(stored: StoredToken): TokenRecord {
  const { id, userId, projectId, system, methods, auditIds, issuedAt, expiresAt } = stored;
  return { id, userId, projectId, system, methods: [...methods], auditIds: [...auditIds], issuedAt, expiresAt };
}
