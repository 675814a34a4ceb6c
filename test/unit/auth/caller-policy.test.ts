import { isAllowed, PolicyAction, PolicySubject } from '../../../src/auth/caller-policy';

const member: PolicySubject = { userId: 'u-alice', projectId: 'p-demo', domainId: 'default', roleNames: ['member', 'reader'] };
const admin: PolicySubject = {
  userId: 'u-admin',
  projectId: 'p-admin',
  domainId: 'default',
  roleNames: ['admin', 'member', 'reader'],
};

/** Keystone 22's default answers for the same operations with the subject's password token. */
const TABLE: [string, PolicyAction, boolean, boolean][] = [
  ['own credentials', { name: 'credentials', userId: 'u-alice' }, true, true],
  ["another user's credentials", { name: 'credentials', userId: 'u-bob' }, false, true],
  ['itself', { name: 'get_user', userId: 'u-alice' }, true, true],
  ['another user', { name: 'get_user', userId: 'u-bob' }, false, true],
  ['the user list', { name: 'list_users' }, false, true],
  ['its projects', { name: 'list_user_projects', userId: 'u-alice' }, true, true],
  ["another user's projects", { name: 'list_user_projects', userId: 'u-bob' }, false, true],
  ['its project', { name: 'get_project', projectId: 'p-demo' }, true, true],
  ['another project', { name: 'get_project', projectId: 'p-other' }, false, true],
  ['its domain', { name: 'get_domain', domainId: 'default' }, true, true],
  ['another domain', { name: 'get_domain', domainId: 'other' }, false, true],
];

describe('caller policy (Keystone default policy, scope enforcement off)', () => {
  test.each(TABLE)('%s: member %#', (_label, action, memberAllowed, adminAllowed) => {
    expect(isAllowed(member, action)).toBe(memberAllowed);
    expect(isAllowed(admin, action)).toBe(adminAllowed);
  });

  test('a user with no role at all passes only the owner checks', () => {
    const nobody = { ...member, roleNames: [] };
    expect(isAllowed(nobody, { name: 'credentials', userId: 'u-alice' })).toBe(true);
    expect(isAllowed(nobody, { name: 'list_users' })).toBe(false);
  });
});
