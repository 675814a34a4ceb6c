/**
 * Keystone 22's default policy as it answers with scope enforcement off: a token carrying the
 * `admin` role (project- or system-scoped) passes every rule, as the deprecated `admin_required`
 * rule still applies; otherwise only the owner of the target does.
 */

import type { Caller } from './request-context';
import { keystoneErrors } from './keystone-errors';

export type PolicyAction =
  | 'identity:validate_token'
  | 'identity:revoke_token'
  | 'identity:create_credential'
  | 'identity:get_credential'
  | 'identity:delete_credential'
  | 'identity:list_users'
  | 'identity:get_user'
  | 'identity:get_project';

export function isAdmin(caller: Caller): boolean {
  return caller.roleNames.includes('admin');
}

/** Throws 403 naming the action unless the caller is an admin or `isOwner` holds. */
export function enforce(caller: Caller, action: PolicyAction, isOwner: boolean): void {
  if (isAdmin(caller) || isOwner) return;
  throw keystoneErrors.forbiddenAction(action);
}
