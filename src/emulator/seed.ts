/**
 * The demo identity data, shared by the embedded emulator and by `scripts/keystone.sh`, which
 * creates the same domain, projects, users and role assignments on a real Keystone.
 * Names and passwords are the contract; ids are not (Keystone makes its own).
 */

import type { ServiceCredentials } from '../config';

export type SeedRoleName = 'admin' | 'member' | 'reader';

export interface SeedDomain {
  /** Keystone's bootstrap domain really has the literal id `default`. */
  readonly id: string;
  readonly name: string;
}

export interface SeedProject {
  readonly name: string;
  readonly description: string;
}

export interface SeedRoleAssignment {
  readonly project: string;
  readonly role: SeedRoleName;
}

export interface SeedUser {
  readonly name: string;
  readonly password: string;
  /** Name of the project an unscoped password login is scoped to, when the user has a role on it. */
  readonly defaultProject?: string;
  readonly roles: readonly SeedRoleAssignment[];
  /** Roles on the whole system (`"scope": {"system": {"all": true}}`); bootstrap gives admin `admin`. */
  readonly systemRoles?: readonly SeedRoleName[];
}

export interface SeedRoleImplication {
  readonly prior: SeedRoleName;
  readonly implied: SeedRoleName;
}

/** An AK/SK pair the emulator makes at start-up (its keys are random), as an `ec2` credential. */
export interface SeedAkSk {
  readonly user: string;
  readonly project: string;
}

export interface Seed {
  readonly domain: SeedDomain;
  readonly projects: readonly SeedProject[];
  readonly roles: readonly SeedRoleName[];
  /** As `keystone-manage bootstrap` creates them: admin implies member implies reader. */
  readonly impliedRoles: readonly SeedRoleImplication[];
  readonly users: readonly SeedUser[];
  /** Pairs that exist from the start; none in the demo seed. */
  readonly akSks?: readonly SeedAkSk[];
}

export interface DemoLogin {
  readonly name: string;
  readonly password: string;
}

/** Logins of the demo users, for tests, the README and the real-Keystone setup script. */
export const DEMO_LOGINS = {
  /** The public how-to's example login (`keystone-manage bootstrap --bootstrap-password password`); no default project. */
  admin: { name: 'admin', password: 'password' },
  /** Member of `demo`, whose default project it is: a login without scope is scoped to demo. */
  alice: { name: 'alice', password: 'alice-password' },
  /** Member of `demo` without a default project: a login without scope is unscoped. */
  bob: { name: 'bob', password: 'bob-password' },
  /** No role anywhere. */
  carol: { name: 'carol', password: 'carol-password' },
} as const satisfies Record<string, DemoLogin>;

/**
 * The gateway's service user (see `KEYSTONE_SERVICE_*`): admin on project `service`, as
 * OpenStack services' users are. The embedded emulator and `scripts/keystone.sh` both seed it.
 */
export const SERVICE_LOGIN = {
  name: 'aksk-service',
  password: 'aksk-service-password',
  project: 'service',
} as const;

/** How a gateway in front of a seeded Keystone logs in as the service user. */
export function seededServiceIdentity(): ServiceCredentials {
  return {
    username: SERVICE_LOGIN.name,
    password: SERVICE_LOGIN.password,
    projectName: SERVICE_LOGIN.project,
    domainName: DEMO_DOMAIN.name,
  };
}

export type DemoUserKey = keyof typeof DEMO_LOGINS;

export const DEMO_DOMAIN = { id: 'default', name: 'Default' } as const satisfies SeedDomain;

export const DEMO_PROJECTS = {
  admin: 'admin',
  demo: 'demo',
} as const;

export const demoSeed: Seed = {
  domain: DEMO_DOMAIN,
  projects: [
    { name: DEMO_PROJECTS.admin, description: 'Bootstrap project for initializing the cloud.' },
    { name: DEMO_PROJECTS.demo, description: 'test project of soda-aksk-gateway' },
    { name: SERVICE_LOGIN.project, description: 'Service users of soda-aksk-gateway.' },
  ],
  roles: ['admin', 'member', 'reader'],
  impliedRoles: [
    { prior: 'admin', implied: 'member' },
    { prior: 'member', implied: 'reader' },
  ],
  users: [
    { ...DEMO_LOGINS.admin, roles: [{ project: DEMO_PROJECTS.admin, role: 'admin' }], systemRoles: ['admin'] },
    {
      ...DEMO_LOGINS.alice,
      defaultProject: DEMO_PROJECTS.demo,
      roles: [{ project: DEMO_PROJECTS.demo, role: 'member' }],
    },
    { ...DEMO_LOGINS.bob, roles: [{ project: DEMO_PROJECTS.demo, role: 'member' }] },
    { ...DEMO_LOGINS.carol, roles: [] },
    {
      name: SERVICE_LOGIN.name,
      password: SERVICE_LOGIN.password,
      roles: [{ project: SERVICE_LOGIN.project, role: 'admin' }],
    },
  ],
};

/** How many generated users and pairs to add to the demo seed (`EMULATOR_SEED_USERS`, `EMULATOR_SEED_PAIRS`). */
export interface SeedScale {
  readonly users: number;
  readonly pairs: number;
}

/** Generated users are `user-0001`, `user-0002`…: names that sort as they count. */
export function scaledUserName(index: number, count: number): string {
  return `user-${String(index + 1).padStart(Math.max(4, String(count).length), '0')}`;
}

/**
 * The demo seed plus `users` members of `demo` and `pairs` AK/SK pairs among them, for trying a
 * console with a thousand users. Every fifth generated user has no pair, so a "with keys" filter
 * has something to leave out; the others get the pairs in turn.
 */
export function scaledSeed(scale: SeedScale, base: Seed = demoSeed): Seed {
  if (scale.users === 0) return base;
  const member = { project: DEMO_PROJECTS.demo, role: 'member' as const };
  const generated = Array.from({ length: scale.users }, (_, index) => ({
    name: scaledUserName(index, scale.users),
    password: `${scaledUserName(index, scale.users)}-password`,
    roles: [member],
  }));
  const owners = generated.filter((_, index) => index % 5 !== 4);
  const akSks = Array.from({ length: owners.length === 0 ? 0 : scale.pairs }, (_, index) => ({
    user: owners[index % owners.length].name,
    project: DEMO_PROJECTS.demo,
  }));
  return { ...base, users: [...base.users, ...generated], akSks: [...(base.akSks ?? []), ...akSks] };
}
