/** JSON representations of users, projects and credentials, as Keystone renders them. */

import type { CredentialRecord, ProjectRecord, UserRecord } from './identity-store';

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

export function renderUser(user: UserRecord, identityUrl: string) {
  return {
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
