/**
 * Creating and deleting users, listing roles and granting a role on a project: what a test
 * needs to make a throwaway user of its own (admin only, as on a real Keystone).
 */

import { keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse, noContent } from './keystone-response';
import { applyListFilters } from './list-filters';
import { enforce, isSystemReader } from './policy';
import { RequestContext, requireCaller } from './request-context';
import { renderRole, renderUser } from './resource-bodies';
import { assertMatchesSchema, JsonSchema } from './schema-check';

const ID_STRING: JsonSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' };
/** `parameter_types.boolean`, whose enum Keystone's own `nullable()` has extended with None. */
const BOOLEAN: JsonSchema = { type: 'boolean', enum: [true, false, null] };
const NULLABLE_BOOLEAN: JsonSchema = { type: ['boolean', 'null'], enum: [true, false, null] };

/** keystone/identity/schema.py `user_create` of Keystone 22, keys in source order. */
const USER_CREATE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    default_project_id: { ...ID_STRING, type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    domain_id: ID_STRING,
    enabled: BOOLEAN,
    federated: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          idp_id: { type: 'string' },
          protocols: {
            type: 'array',
            items: {
              type: 'object',
              properties: { protocol_id: { type: 'string' }, unique_id: { type: 'string' } },
              required: ['protocol_id', 'unique_id'],
            },
            minItems: 1,
          },
        },
        required: ['idp_id', 'protocols'],
      },
    },
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '[\\S]+' },
    password: { type: ['string', 'null'] },
    options: {
      type: 'object',
      properties: {
        ignore_change_password_upon_first_use: NULLABLE_BOOLEAN,
        ignore_password_expiry: NULLABLE_BOOLEAN,
        ignore_lockout_failure_attempts: NULLABLE_BOOLEAN,
        lock_password: NULLABLE_BOOLEAN,
        ignore_user_inactivity: NULLABLE_BOOLEAN,
        multi_factor_auth_rules: {
          type: ['array', 'null'],
          items: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
          uniqueItems: true,
        },
        multi_factor_auth_enabled: NULLABLE_BOOLEAN,
      },
      additionalProperties: false,
    },
  },
  required: ['name'],
  options: { type: 'object' },
  additionalProperties: true,
};

/** Attributes with a meaning of their own; anything else is kept as an extra and echoed. */
const USER_ATTRIBUTES = ['id', 'name', 'domain_id', 'enabled', 'default_project_id', 'password', 'options', 'federated'];

/**
 * `POST /users`. User options and federation data are validated but not kept (the emulator
 * renders `options` as `{}`).
 */
export function createUser(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const body = context.body ?? {};
  const requested = Object.prototype.hasOwnProperty.call(body, 'user') ? body.user : {};
  enforce(caller, 'identity:create_user', false);
  assertMatchesSchema(USER_CREATE_SCHEMA, requested);
  const fields = requested as Record<string, unknown>;
  const domainId = typeof fields.domain_id === 'string' ? fields.domain_id : context.store.domain.id;
  if (!context.store.getDomain(domainId)) throw keystoneErrors.notFound('domain', domainId);
  const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !USER_ATTRIBUTES.includes(key)));
  const name = fields.name as string;
  const user = context.store.createUser({
    name,
    domainId,
    password: typeof fields.password === 'string' ? fields.password : null,
    enabled: fields.enabled !== false,
    defaultProjectId: typeof fields.default_project_id === 'string' ? fields.default_project_id : null,
    extra,
  });
  if (!user) {
    throw keystoneErrors.conflict('user', `Duplicate entry found with name ${name} at domain ID ${domainId}`);
  }
  return json(201, { user: renderUser(user, context.identityUrl) });
}

/** `DELETE /users/{id}`: its credentials and role assignments go with it. */
export function deleteUser(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const id = context.params.userId;
  enforce(caller, 'identity:delete_user', false);
  if (!context.store.deleteUser(id)) throw keystoneErrors.notFound('user', id);
  return noContent();
}

/** `GET /roles`: the global roles; `?name=` filters. */
export function listRoles(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  enforce(caller, 'identity:list_roles', isSystemReader(caller));
  const roles = applyListFilters(context.store.listRoles(), context.query, {
    name: (role) => role.name,
    domain_id: () => null,
  });
  return json(200, {
    roles: roles.map((role) => renderRole(role, context.identityUrl)),
    links: { self: context.requestUrl, previous: null, next: null },
  });
}

/**
 * `PUT /projects/{project_id}/users/{user_id}/roles/{role_id}`: role, user and project are
 * looked up, in that order and before policy, so a member learns which one is missing.
 */
export function grantProjectRole(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const { projectId, userId, roleId } = context.params;
  if (!context.store.getRole(roleId)) throw keystoneErrors.notFound('role', roleId);
  if (!context.store.getUser(userId)) throw keystoneErrors.notFound('user', userId);
  if (!context.store.getProject(projectId)) throw keystoneErrors.notFound('project', projectId);
  enforce(caller, 'identity:create_grant', false);
  context.store.grantProjectRole(userId, projectId, roleId);
  return noContent();
}
