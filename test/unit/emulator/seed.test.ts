import { IdentityStore } from '../../../src/emulator/keystone';
import { DEMO_LOGINS, demoSeed } from '../../../src/emulator/seed';

describe('demo seed', () => {
  const store = new IdentityStore(demoSeed, { tokenTtlSeconds: 3600, now: Date.now });

  test('every demo login is a seeded user whose password works', () => {
    for (const login of Object.values(DEMO_LOGINS)) {
      const user = store.findUserByName(login.name, 'default');
      expect(user).toBeDefined();
      expect(store.verifyPassword(user!.id, login.password)).toBe(true);
      expect(store.verifyPassword(user!.id, `${login.password}x`)).toBe(false);
    }
  });

  test('ids look like Keystone ids; the domain keeps the literal id default', () => {
    expect(store.domain).toEqual({ id: 'default', name: 'Default', description: 'The default domain', enabled: true });
    for (const user of store.listUsers()) expect(user.id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.findProjectByName('demo', 'default')?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  test('roles and default projects are as the README and scripts/keystone.sh describe', () => {
    const demo = store.findProjectByName('demo', 'default')!;
    const admin = store.findProjectByName('admin', 'default')!;
    const user = (name: string) => store.findUserByName(name, 'default')!;
    const names = (roles: { name: string }[]) => roles.map((role) => role.name);

    expect(names(store.effectiveRoles(user('admin').id, admin.id))).toEqual(['admin', 'member', 'reader']);
    expect(names(store.effectiveSystemRoles(user('admin').id))).toEqual(['admin', 'member', 'reader']);
    expect(user('admin').defaultProjectId).toBeNull();
    expect(names(store.effectiveRoles(user('alice').id, demo.id))).toEqual(['member', 'reader']);
    expect(user('alice').defaultProjectId).toBe(demo.id);
    expect(names(store.effectiveRoles(user('bob').id, demo.id))).toEqual(['member', 'reader']);
    expect(user('bob').defaultProjectId).toBeNull();
    expect(store.projectsOf(user('carol').id)).toEqual([]);
  });

  test('each store has its own random ids', () => {
    const other = new IdentityStore(demoSeed, { tokenTtlSeconds: 3600, now: Date.now });
    expect(other.findUserByName('alice', 'default')!.id).not.toBe(store.findUserByName('alice', 'default')!.id);
  });
});
