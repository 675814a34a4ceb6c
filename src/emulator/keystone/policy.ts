/**
 * Keystone 22's default policy as it answers with scope enforcement off: a token carrying the
 * `admin` role (project- or system-scoped) passes every rule, as the deprecated `admin_required`
 * rule still applies; otherwise only the owner of the target does, where each route says what
 * owning its target means.
 */

import type { Caller } from './request-context';
import { keystoneErrors } from './keystone-errors';

export type PolicyAction =
  | 'identity:validate_token'
  | 'identity:revoke_token'
  | 'identity:create_credential'
  | 'identity:get_credential'
  | 'identity:update_credential'
  | 'identity:delete_credential'
  | 'identity:ec2_create_credential'
  | 'identity:ec2_list_credentials'
  | 'identity:ec2_get_credential'
  | 'identity:ec2_delete_credential'
  | 'identity:get_domain'
  | 'identity:list_domains'
  | 'identity:list_users'
  | 'identity:get_user'
  | 'identity:create_user'
  | 'identity:delete_user'
  | 'identity:list_projects'
  | 'identity:get_project'
  | 'identity:list_user_projects'
  | 'identity:list_roles'
  | 'identity:create_grant';

export function isAdmin(caller: Caller): boolean {
  return caller.roleNames.includes('admin');
}

/** `role:reader and system_scope:all`, which some read rules accept beside admin. */
export function isSystemReader(caller: Caller): boolean {
  return caller.token.system && caller.roleNames.includes('reader');
}

/** Throws 403 naming the action unless the caller is an admin or `isOwner` holds. */
export function enforce(caller: Caller, action: PolicyAction, isOwner: boolean): void {
  if (isAdmin(caller) || isOwner) return;
  throw keystoneErrors.forbiddenAction(action);
}
