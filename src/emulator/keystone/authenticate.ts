/**
 * `POST /auth/tokens`: checks the auth document in Keystone's order (schema, identifiers,
 * method payloads, scope lookup, then the methods themselves) and issues the token.
 */

import type { IdentityStore, ProjectRecord, TokenRecord } from './identity-store';
import { keystoneErrors } from './keystone-errors';
import { assertMatchesSchema, JsonSchema } from './schema-check';

/** Keystone's default `[auth] methods`, listed in the 401 for any other method. */
export const SUPPORTED_AUTH_METHODS = ['external', 'password', 'token', 'oauth1', 'mapped', 'application_credential'] as const;

const NAME_OR_ID: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' } },
};

/** keystone/auth/schema.py `token_issue`, keys in source order (it decides which error wins). */
const TOKEN_ISSUE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    identity: {
      type: 'object',
      properties: {
        methods: { type: 'array', items: { type: 'string' } },
        password: {
          type: 'object',
          properties: {
            user: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                password: { type: 'string' },
                domain: NAME_OR_ID,
              },
            },
          },
        },
        token: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
      required: ['methods'],
    },
    scope: {
      type: ['object', 'string'],
      properties: {
        project: {
          type: 'object',
          properties: { name: { type: 'string' }, id: { type: 'string' }, domain: NAME_OR_ID },
        },
        domain: NAME_OR_ID,
        'OS-TRUST:trust': { type: 'object', properties: { id: { type: 'string' } } },
        system: { type: 'object', properties: { all: { type: 'boolean', enum: [true, false, null] } } },
      },
    },
  },
  required: ['identity'],
};

type NameOrId = { id?: string; name?: string };

interface PasswordPayload {
  user?: NameOrId & { password?: string; domain?: NameOrId };
}

type RequestedScope =
  | { kind: 'default' }
  | { kind: 'unscoped' }
  | { kind: 'system' }
  | { kind: 'project'; project: ProjectRecord }
  /** Domain or trust scope: the seed grants neither, so these end in 401. */
  | { kind: 'ungrantable' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function has(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function requireIdOrName(reference: NameOrId | undefined, field: string): void {
  if (reference !== undefined && reference.id === undefined && reference.name === undefined) {
    throw keystoneErrors.badRequest(`Invalid input for field ${field}: id or name must be present.`);
  }
}

/** The checks `validate_issue_token_auth` adds after the schema. */
function assertIdentifiersPresent(auth: Record<string, unknown>): void {
  const identity = auth.identity as Record<string, unknown>;
  const password = identity.password as PasswordPayload | undefined;
  if (password?.user !== undefined) {
    requireIdOrName(password.user, 'identity/password/user');
    requireIdOrName(password.user.domain, 'identity/password/user/domain');
  }
  const scope = auth.scope;
  if (isRecord(scope)) {
    const project = scope.project as (NameOrId & { domain?: NameOrId }) | undefined;
    if (project !== undefined) {
      requireIdOrName(project, 'scope/project');
      requireIdOrName(project.domain, 'scope/project/domain');
    }
    requireIdOrName(scope.domain as NameOrId | undefined, 'scope/domain');
  }
}

function lookupDomain(store: IdentityStore, reference: NameOrId) {
  const domain = store.findDomain(reference);
  if (!domain || !domain.enabled) throw keystoneErrors.unauthorized();
  return domain;
}

function resolveScope(store: IdentityStore, scope: unknown): RequestedScope {
  if (scope === undefined) return { kind: 'default' };
  // Keystone tests each key with Python's `in`, which on the string form is a substring test.
  const keys = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'];
  const present = keys.filter((key) => (typeof scope === 'string' ? scope.includes(key) : has(scope as object, key)));
  if (present.length !== 1) {
    throw keystoneErrors.missingAttribute('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
  }
  if (present[0] === 'unscoped') return { kind: 'unscoped' };
  if (typeof scope === 'string') throw keystoneErrors.badRequest("string indices must be integers, not 'str'");
  if (present[0] === 'system') return { kind: 'system' };
  if (present[0] !== 'project') return { kind: 'ungrantable' };

  const reference = (scope as { project: NameOrId & { domain?: NameOrId } }).project;
  let project: ProjectRecord | undefined;
  if (reference.name !== undefined) {
    if (reference.domain === undefined) throw keystoneErrors.missingAttribute('domain', 'project');
    const domain = lookupDomain(store, reference.domain);
    project = store.findProjectByName(reference.name, domain.id);
  } else {
    project = store.getProject(reference.id as string);
  }
  if (!project || !project.enabled) throw keystoneErrors.unauthorized();
  return { kind: 'project', project };
}

function authenticatePassword(store: IdentityStore, payload: PasswordPayload): string {
  const reference = payload.user;
  // Keystone's own message: the plugin passes no target name.
  if (reference === undefined) throw keystoneErrors.missingAttribute('user', 'None');
  let user;
  if (reference.name !== undefined) {
    if (reference.domain === undefined) throw keystoneErrors.missingAttribute('domain', 'user');
    const domain = lookupDomain(store, reference.domain);
    user = store.findUserByName(reference.name, domain.id);
  } else {
    user = store.getUser(reference.id as string);
  }
  if (!user || !user.enabled) throw keystoneErrors.unauthorized();
  if (typeof reference.password !== 'string' || !store.verifyPassword(user.id, reference.password)) {
    throw keystoneErrors.unauthorized();
  }
  return user.id;
}

function authenticateToken(store: IdentityStore, payload: { id: string }): TokenRecord {
  if (payload.id === '') throw keystoneErrors.missingSubjectToken();
  const lookup = store.lookupToken(payload.id);
  if (lookup.status === 'unrecognized') throw keystoneErrors.unrecognizedToken();
  if (lookup.status === 'invalid') throw keystoneErrors.invalidToken();
  if (lookup.status === 'orphaned') throw keystoneErrors.notFound('user', lookup.userId);
  return lookup.token;
}

/** Issues the token a valid `{"auth": ...}` document asks for, or throws Keystone's error. */
export function authenticateForToken(store: IdentityStore, body: Record<string, unknown> | undefined): TokenRecord {
  const auth = body?.auth;
  // Only an absent or null `auth` skips the schema; `{}` fails it ('identity' is required).
  if (auth === undefined || auth === null) throw keystoneErrors.missingAttribute('auth', 'request body');
  assertMatchesSchema(TOKEN_ISSUE_SCHEMA, auth);
  const document = auth as Record<string, unknown>;
  assertIdentifiersPresent(document);

  const identity = document.identity as Record<string, unknown>;
  const methods = [...new Set(identity.methods as string[])];
  for (const method of methods) {
    if (!has(identity, method)) throw keystoneErrors.missingAttribute(method, 'identity');
  }
  if (methods.some((method) => !(SUPPORTED_AUTH_METHODS as readonly string[]).includes(method))) {
    throw keystoneErrors.unsupportedAuthMethod(SUPPORTED_AUTH_METHODS);
  }
  const scope = resolveScope(store, document.scope);

  let userId: string | undefined;
  let parent: TokenRecord | undefined;
  // Keystone inserts each method at the front, then appends a token's own methods.
  const methodNames: string[] = [];
  const claimUser = (id: string) => {
    // Two methods naming different users cannot be reconciled.
    if (userId !== undefined && userId !== id) throw keystoneErrors.unauthorized();
    userId = id;
  };
  for (const method of methods) {
    if (method === 'password') {
      claimUser(authenticatePassword(store, identity.password as PasswordPayload));
      methodNames.unshift(method);
    } else if (method === 'token') {
      parent = authenticateToken(store, identity.token as { id: string });
      claimUser(parent.userId);
      methodNames.unshift(method);
      methodNames.push(...parent.methods);
    } else {
      // Supported by Keystone but not emulated (external, oauth1, ...): fails as it would here.
      throw keystoneErrors.unauthorized();
    }
  }
  if (userId === undefined) throw keystoneErrors.unauthorized();

  let projectId: string | null = null;
  let system = false;
  switch (scope.kind) {
    case 'ungrantable':
      throw keystoneErrors.unauthorized();
    case 'system':
      if (store.effectiveSystemRoles(userId).length === 0) throw keystoneErrors.unauthorized();
      system = true;
      break;
    case 'project':
      if (store.effectiveRoles(userId, scope.project.id).length === 0) throw keystoneErrors.unauthorized();
      projectId = scope.project.id;
      break;
    case 'default': {
      // A default project the user holds no role on silently yields an unscoped token.
      const defaultProjectId = store.getUser(userId)?.defaultProjectId;
      const defaultProject = defaultProjectId ? store.getProject(defaultProjectId) : undefined;
      if (defaultProject?.enabled && store.effectiveRoles(userId, defaultProject.id).length > 0) {
        projectId = defaultProject.id;
      }
      break;
    }
    case 'unscoped':
      break;
  }

  return store.issueToken({
    userId,
    projectId,
    system,
    methods: [...new Set(methodNames)],
    expiresAt: parent?.expiresAt,
    parentAuditId: parent ? (parent.auditIds[1] ?? parent.auditIds[0]) : undefined,
  });
}
