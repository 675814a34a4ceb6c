/** JSON representations of domains, users, projects, roles and credentials, as Keystone renders them. */

import type { CredentialRecord, DomainRecord, ProjectRecord, RoleRecord, UserRecord } from './identity-store';

function selfLink(identityUrl: string, collection: string, id: string) {
  return { self: `${identityUrl}/${collection}/${encodeURIComponent(id)}` };
}

export function renderProject(project: ProjectRecord, identityUrl: string) {
  return {
    id: project.id,
    name: project.name,
    domain_id: project.domainId,
    description: project.description,
    enabled: project.enabled,
    parent_id: project.parentId,
    is_domain: false,
    tags: [] as string[],
    options: {},
    links: selfLink(identityUrl, 'projects', project.id),
  };
}

export function renderDomain(domain: DomainRecord, identityUrl: string) {
  return {
    id: domain.id,
    name: domain.name,
    description: domain.description,
    enabled: domain.enabled,
    tags: [] as string[],
    options: {},
    links: selfLink(identityUrl, 'domains', domain.id),
  };
}

/** A domain is also a project (`is_domain`), which `GET /projects?is_domain=true` lists. */
export function renderDomainAsProject(domain: DomainRecord, identityUrl: string) {
  return {
    id: domain.id,
    name: domain.name,
    domain_id: null,
    description: domain.description,
    enabled: domain.enabled,
    parent_id: null,
    is_domain: true,
    tags: [] as string[],
    options: {},
    links: selfLink(identityUrl, 'projects', domain.id),
  };
}

/** The roles `keystone-manage bootstrap` creates are global and immutable. */
export function renderRole(role: RoleRecord, identityUrl: string) {
  return {
    id: role.id,
    name: role.name,
    domain_id: null,
    description: null,
    options: { immutable: true },
    links: selfLink(identityUrl, 'roles', role.id),
  };
}

export function renderUser(user: UserRecord, identityUrl: string) {
  return {
    // Extra attributes come first, and the columns win over an extra of the same name.
    ...user.extra,
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    // Keystone leaves the key out, rather than sending null, when there is no default project.
    ...(user.defaultProjectId !== null ? { default_project_id: user.defaultProjectId } : {}),
    password_expires_at: null,
    options: {},
    links: selfLink(identityUrl, 'users', user.id),
  };
}

export function renderCredential(credential: CredentialRecord, identityUrl: string) {
  return {
    id: credential.id,
    user_id: credential.userId,
    project_id: credential.projectId,
    type: credential.type,
    blob: credential.blob,
    links: selfLink(identityUrl, 'credentials', credential.id),
  };
}
