/** The emulator's identity data for a load run: the demo seed plus many members of one project. */
import { demoSeed, Seed } from '../src/emulator/seed';

export const LOAD_PROJECT = 'load';

export interface LoadUser {
  name: string;
  password: string;
}

/** `load-user-0` … `load-user-(count-1)`, plus `load-probe` for the autocannon phase. */
export function loadUsers(count: number): LoadUser[] {
  return Array.from({ length: count }, (_, index) => ({ name: `load-user-${index}`, password: `load-user-${index}-password` }));
}

export const PROBE_USER: LoadUser = { name: 'load-probe', password: 'load-probe-password' };

export function loadSeed(count: number): Seed {
  const member = { project: LOAD_PROJECT, role: 'member' as const };
  return {
    ...demoSeed,
    projects: [...demoSeed.projects, { name: LOAD_PROJECT, description: 'load test project' }],
    users: [...demoSeed.users, ...[...loadUsers(count), PROBE_USER].map((user) => ({ ...user, roles: [member] }))],
  };
}
