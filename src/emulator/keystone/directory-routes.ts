/** `/users` and `/projects`: the read-only views of the seeded directory the gateway needs. */

import { keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse } from './keystone-response';
import { enforce } from './policy';
import { RequestContext, requireCaller } from './request-context';
import { renderProject, renderUser } from './resource-bodies';

export function listUsers(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  enforce(caller, 'identity:list_users', false);
  const name = context.query.get('name');
  const domainId = context.query.get('domain_id');
  const users = context.store
    .listUsers()
    .filter((user) => name === null || user.name === name)
    .filter((user) => domainId === null || user.domainId === domainId);
  return json(200, {
    users: users.map((user) => renderUser(user, context.identityUrl)),
    links: { self: context.requestUrl, previous: null, next: null },
  });
}

export function getUser(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const id = context.params.userId;
  enforce(caller, 'identity:get_user', id === caller.token.userId);
  const user = context.store.getUser(id);
  if (!user) throw keystoneErrors.notFound('user', id);
  return json(200, { user: renderUser(user, context.identityUrl) });
}

/** A non-admin may read the project its token is scoped to, and no other. */
export function getProject(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const id = context.params.projectId;
  enforce(caller, 'identity:get_project', id === caller.token.projectId);
  const project = context.store.getProject(id);
  if (!project) throw keystoneErrors.notFound('project', id);
  return json(200, { project: renderProject(project, context.identityUrl) });
}
