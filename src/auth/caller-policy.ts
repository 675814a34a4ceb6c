/**
 * Keystone 22's default policy, as it answers with scope enforcement off, for callers the
 * gateway authenticated itself (AK/SK-signed requests) and then acts for with the service
 * identity, which Keystone would let do anything. Whatever such a caller asks must pass here
 * first: an `admin` role passes every rule (the deprecated `admin_required` still applies),
 * anyone else only the rule's owner check. Kept to the operations the gateway offers signed
 * callers; everything else is refused before this module is asked.
 */

export interface PolicySubject {
  userId: string;
  /** The project of the pair the request was signed with. */
  projectId: string;
  domainId: string;
  roleNames: readonly string[];
}

export type PolicyAction =
  /** `identity:create|list|get|delete_credential` on the credentials of `userId`. */
  | { name: 'credentials'; userId: string }
  /** `identity:get_user`. */
  | { name: 'get_user'; userId: string }
  /** `identity:list_users`: admin only. */
  | { name: 'list_users' }
  /** `identity:list_user_projects`. */
  | { name: 'list_user_projects'; userId: string }
  /** `identity:get_project`. */
  | { name: 'get_project'; projectId: string }
  /** `identity:get_domain`: members of a project of that domain. */
  | { name: 'get_domain'; domainId: string };

export function isAdmin(subject: Pick<PolicySubject, 'roleNames'>): boolean {
  return subject.roleNames.includes('admin');
}

/** Whether Keystone's default policy lets `subject` do `action`. */
export function isAllowed(subject: PolicySubject, action: PolicyAction): boolean {
  if (isAdmin(subject)) return true;
  switch (action.name) {
    case 'credentials':
    case 'get_user':
    case 'list_user_projects':
      return action.userId === subject.userId;
    case 'get_project':
      return action.projectId === subject.projectId;
    case 'get_domain':
      return action.domainId === subject.domainId;
    case 'list_users':
      return false;
  }
}
