/**
 * `/domains`, `/users` and `/projects`: the views of the directory the gateway reads. (Creating
 * and deleting users, which tests need, is in `user-admin-routes.ts`.)
 */

import type { DomainRecord, ProjectRecord, UserRecord } from './identity-store';
import { keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse } from './keystone-response';
import { applyListFilters, attrAsBoolean } from './list-filters';
import { enforce, isSystemReader } from './policy';
import { RequestContext, requireCaller } from './request-context';
import { renderDomain, renderDomainAsProject, renderProject, renderUser } from './resource-bodies';

function collectionLinks(context: RequestContext) {
  return { self: context.requestUrl, previous: null, next: null };
}

/**
 * Admin, a system reader, or a token scoped to a project of that domain. A domain that does not
 * exist has no target to own, so only an admin learns that it is missing.
 */
export function getDomain(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const id = context.params.domainId;
  const domain = context.store.getDomain(id);
  const scopedProject = caller.token.projectId === null ? undefined : context.store.getProject(caller.token.projectId);
  const inDomain = domain !== undefined && scopedProject !== undefined && scopedProject.domainId === domain.id;
  enforce(caller, 'identity:get_domain', isSystemReader(caller) || inDomain);
  if (!domain) throw keystoneErrors.notFound('domain', id);
  return json(200, { domain: renderDomain(domain, context.identityUrl) });
}

/** Admin (or a system reader) only; `?name=` and `?enabled=` filter. */
export function listDomains(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  enforce(caller, 'identity:list_domains', isSystemReader(caller));
  const domains = applyListFilters([context.store.domain], context.query, {
    name: (domain: DomainRecord) => domain.name,
    enabled: (domain) => domain.enabled,
  });
  return json(200, {
    domains: domains.map((domain) => renderDomain(domain, context.identityUrl)),
    links: collectionLinks(context),
  });
}

export function listUsers(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  enforce(caller, 'identity:list_users', isSystemReader(caller));
  const users = applyListFilters(context.store.listUsers(), context.query, {
    domain_id: (user: UserRecord) => user.domainId,
    enabled: (user) => user.enabled,
    name: (user) => user.name,
  });
  return json(200, {
    users: users.map((user) => renderUser(user, context.identityUrl)),
    links: collectionLinks(context),
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

/** A project, or a domain acting as one: what `?is_domain=` chooses between. */
type ListedProject = { kind: 'project'; project: ProjectRecord } | { kind: 'domain'; domain: DomainRecord };

/** Projects carry no tags here, so `tags`/`tags-any` match nothing and `not-tags*` everything. */
function tagFilter(query: URLSearchParams): (entry: ListedProject) => boolean {
  return () => !query.has('tags') && !query.has('tags-any');
}

/**
 * Admin (or a system reader) only: a project-scoped member is refused, even for its own project.
 * Without `?is_domain=`, domains (which are projects too) are left out.
 */
export function listProjects(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  enforce(caller, 'identity:list_projects', isSystemReader(caller));
  const entries: ListedProject[] = [
    { kind: 'domain', domain: context.store.domain },
    ...context.store.listProjects().map((project): ListedProject => ({ kind: 'project', project })),
  ];
  const isDomain = context.query.has('is_domain') ? attrAsBoolean(context.query.get('is_domain') as string) : false;
  const query = new URLSearchParams([...context.query].filter(([key]) => key !== 'is_domain'));
  const filtered = applyListFilters(
    entries.filter((entry) => (entry.kind === 'domain') === isDomain).filter(tagFilter(context.query)),
    query,
    {
      domain_id: (entry) => (entry.kind === 'project' ? entry.project.domainId : null),
      enabled: (entry) => (entry.kind === 'project' ? entry.project.enabled : entry.domain.enabled),
      name: (entry) => (entry.kind === 'project' ? entry.project.name : entry.domain.name),
      parent_id: (entry) => (entry.kind === 'project' ? entry.project.parentId : null),
    },
  );
  return json(200, {
    projects: filtered.map((entry) =>
      entry.kind === 'project'
        ? renderProject(entry.project, context.identityUrl)
        : renderDomainAsProject(entry.domain, context.identityUrl),
    ),
    links: collectionLinks(context),
  });
}

/** Admin or the user itself, whatever its token's scope. */
export function listUserProjects(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const id = context.params.userId;
  enforce(caller, 'identity:list_user_projects', isSystemReader(caller) || id === caller.token.userId);
  if (!context.store.getUser(id)) throw keystoneErrors.notFound('user', id);
  const projects = applyListFilters(context.store.projectsOf(id), context.query, {
    domain_id: (project: ProjectRecord) => project.domainId,
    enabled: (project) => project.enabled,
    name: (project) => project.name,
  });
  return json(200, {
    projects: projects.map((project) => renderProject(project, context.identityUrl)),
    links: collectionLinks(context),
  });
}
