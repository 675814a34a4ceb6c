/** `/auth/tokens` (issue, validate, check, revoke) and `/auth/projects`. */

import { authenticateForToken } from './authenticate';
import type { TokenRecord } from './identity-store';
import { keystoneErrors } from './keystone-errors';
import { json, KeystoneResponse, noContent } from './keystone-response';
import { enforce } from './policy';
import { headerValue, RequestContext, requireCaller } from './request-context';
import { renderProject } from './resource-bodies';
import { renderTokenBody } from './token-body';

function wantsCatalog(context: RequestContext): boolean {
  return !context.query.has('nocatalog');
}

function tokenResponse(context: RequestContext, status: number, token: TokenRecord): KeystoneResponse {
  const body = renderTokenBody(context.store, token, {
    includeCatalog: wantsCatalog(context),
    catalog: context.catalog,
    identityUrl: context.identityUrl,
  });
  return json(status, body, { 'X-Subject-Token': token.id });
}

export function issueToken(context: RequestContext): KeystoneResponse {
  const token = authenticateForToken(context.store, context.body);
  return tokenResponse(context, 201, token);
}

/**
 * The subject token of a validate or revoke call, in Keystone's order: the caller must be
 * authenticated (401), the subject must be a live token (404), then policy (403).
 */
function requireSubject(context: RequestContext, action: 'identity:validate_token' | 'identity:revoke_token'): TokenRecord {
  const caller = requireCaller(context);
  const subjectId = headerValue(context.headers, 'x-subject-token');
  if (!subjectId) {
    enforce(caller, action, false);
    throw keystoneErrors.missingSubjectToken();
  }
  const lookup = context.store.lookupToken(subjectId);
  if (lookup.status === 'unrecognized') throw keystoneErrors.unrecognizedToken();
  if (lookup.status === 'invalid') throw keystoneErrors.invalidToken();
  if (lookup.status === 'orphaned') throw keystoneErrors.notFound('user', lookup.userId);
  enforce(caller, action, lookup.token.userId === caller.token.userId);
  return lookup.token;
}

export function validateToken(context: RequestContext): KeystoneResponse {
  return tokenResponse(context, 200, requireSubject(context, 'identity:validate_token'));
}

export function revokeToken(context: RequestContext): KeystoneResponse {
  const subject = requireSubject(context, 'identity:revoke_token');
  context.store.revokeToken(subject.id);
  return noContent();
}

export function listAuthProjects(context: RequestContext): KeystoneResponse {
  const caller = requireCaller(context);
  const projects = context.store.projectsOf(caller.token.userId);
  return json(200, {
    projects: projects.map((project) => renderProject(project, context.identityUrl)),
    links: { self: context.requestUrl, previous: null, next: null },
  });
}
