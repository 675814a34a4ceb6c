/**
 * The directory part of the Keystone contract: `GET /domains/{id}`, the filters and policies of
 * `GET /users`, `GET /projects` and `GET /users/{id}/projects`, and the user administration
 * (`POST /users`, `DELETE /users/{id}`, `GET /roles`, role grants) that tests use to make
 * throwaway users of their own. Observed on a real Keystone 22; run against both targets.
 */

import { DEMO_LOGINS } from '../../src/emulator/seed';
import {
  ContractContext,
  createThrowawayUser,
  deleteThrowawayUser,
  expectApplicationHeaders,
  expectBadRequest,
  expectError,
  expectForbidden,
  expectJson,
  expectNotFound,
  expectUnauthorized,
  KEYSTONE_ID,
  passwordAuth,
  randomName,
  ThrowawayUser,
} from './keystone-contract-support';
import type { Exchange } from './keystone-http';

const CRUD_ALLOW = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST'];

function allowed(exchange: Exchange): string[] {
  return (exchange.headers.allow ?? '')
    .split(',')
    .map((method) => method.trim())
    .sort();
}

/** `user_create`'s schema as Keystone 22 renders it in a 400 about the whole user `{"password": "x"}`. */
const MISSING_NAME_MESSAGE =
  "'name' is a required property\n" +
  '\n' +
  "Failed validating 'required' in schema:\n" +
  "    {'additionalProperties': True,\n" +
  "     'options': {'type': 'object'},\n" +
  "     'properties': {'default_project_id': {'maxLength': 64,\n" +
  "                                           'minLength': 1,\n" +
  "                                           'pattern': '^[a-zA-Z0-9-]+$',\n" +
  "                                           'type': ['string', 'null']},\n" +
  "                    'description': {'type': ['string', 'null']},\n" +
  "                    'domain_id': {'maxLength': 64,\n" +
  "                                  'minLength': 1,\n" +
  "                                  'pattern': '^[a-zA-Z0-9-]+$',\n" +
  "                                  'type': 'string'},\n" +
  "                    'enabled': {'enum': [True, False, None],\n" +
  "                                'type': 'boolean'},\n" +
  "                    'federated': {'items': {'properties': {'idp_id': {'type': 'string'},\n" +
  "                                                           'protocols': {'items': {'properties': {'protocol_id': {'type': 'string'},\n" +
  "                                                                                                  'unique_id': {'type': 'string'}},\n" +
  "                                                                                   'required': ['protocol_id',\n" +
  "                                                                                                'unique_id'],\n" +
  "                                                                                   'type': 'object'},\n" +
  "                                                                         'minItems': 1,\n" +
  "                                                                         'type': 'array'}},\n" +
  "                                            'required': ['idp_id',\n" +
  "                                                         'protocols'],\n" +
  "                                            'type': 'object'},\n" +
  "                                  'type': 'array'},\n" +
  "                    'name': {'maxLength': 255,\n" +
  "                             'minLength': 1,\n" +
  "                             'pattern': '[\\\\S]+',\n" +
  "                             'type': 'string'},\n" +
  "                    'options': {'additionalProperties': False,\n" +
  "                                'properties': {'ignore_change_password_upon_first_use': {'enum': [True,\n" +
  '                                                                                                  False,\n' +
  '                                                                                                  None],\n' +
  "                                                                                         'type': ['boolean',\n" +
  "                                                                                                  'null']},\n" +
  "                                               'ignore_lockout_failure_attempts': {'enum': [True,\n" +
  '                                                                                            False,\n' +
  '                                                                                            None],\n' +
  "                                                                                   'type': ['boolean',\n" +
  "                                                                                            'null']},\n" +
  "                                               'ignore_password_expiry': {'enum': [True,\n" +
  '                                                                                   False,\n' +
  '                                                                                   None],\n' +
  "                                                                          'type': ['boolean',\n" +
  "                                                                                   'null']},\n" +
  "                                               'ignore_user_inactivity': {'enum': [True,\n" +
  '                                                                                   False,\n' +
  '                                                                                   None],\n' +
  "                                                                          'type': ['boolean',\n" +
  "                                                                                   'null']},\n" +
  "                                               'lock_password': {'enum': [True,\n" +
  '                                                                          False,\n' +
  '                                                                          None],\n' +
  "                                                                 'type': ['boolean',\n" +
  "                                                                          'null']},\n" +
  "                                               'multi_factor_auth_enabled': {'enum': [True,\n" +
  '                                                                                      False,\n' +
  '                                                                                      None],\n' +
  "                                                                             'type': ['boolean',\n" +
  "                                                                                      'null']},\n" +
  "                                               'multi_factor_auth_rules': {'items': {'items': {'type': 'string'},\n" +
  "                                                                                     'minItems': 1,\n" +
  "                                                                                     'type': 'array',\n" +
  "                                                                                     'uniqueItems': True},\n" +
  "                                                                           'type': ['array',\n" +
  "                                                                                    'null'],\n" +
  "                                                                           'uniqueItems': True}},\n" +
  "                                'type': 'object'},\n" +
  "                    'password': {'type': ['string', 'null']}},\n" +
  "     'required': ['name'],\n" +
  "     'type': 'object'}\n" +
  '\n' +
  'On instance:\n' +
  "    {'password': 'x'}";

export function describeDirectoryContract(context: ContractContext): void {
  /** Extra tokens of the seeded users: admin unscoped and system-scoped, bob scoped to demo. */
  const extra = { adminUnscoped: '', adminSystem: '', bobDemo: '' };

  beforeAll(async () => {
    const [adminUnscoped, adminSystem, bobDemo] = await Promise.all([
      context.login(passwordAuth(DEMO_LOGINS.admin)),
      context.login(passwordAuth(DEMO_LOGINS.admin, { system: { all: true } })),
      context.login(passwordAuth(DEMO_LOGINS.bob, { project: { name: 'demo', domain: { id: 'default' } } })),
    ]);
    Object.assign(extra, { adminUnscoped: adminUnscoped.subject, adminSystem: adminSystem.subject, bobDemo: bobDemo.subject });
  });

  function userIds(body: any): string[] {
    return body.users.map((user: any) => user.id);
  }

  function projectNames(body: any): string[] {
    return body.projects.map((project: any) => project.name);
  }

  describe('GET /domains/{id}', () => {
    test('an admin reads the default domain, as bootstrap made it', async () => {
      const { http, keystoneUrl, tokens } = context;
      expect(expectJson(await http.send('GET', '/domains/default', { token: tokens.admin }), 200)).toEqual({
        domain: {
          id: 'default',
          name: 'Default',
          description: 'The default domain',
          enabled: true,
          tags: [],
          options: {},
          links: { self: `${keystoneUrl}/domains/default` },
        },
      });
      expect((await http.send('GET', '/domains/default', { token: extra.adminSystem })).status).toBe(200);
    });

    test("any token scoped to a project of the domain may read it, a member's included", async () => {
      const { http, tokens } = context;
      expect(expectJson(await http.send('GET', '/domains/default', { token: tokens.alice }), 200).domain.id).toBe('default');
      expect((await http.send('GET', '/domains/default', { token: extra.bobDemo })).status).toBe(200);
    });

    test("an unscoped token may not, not even the admin's: 403", async () => {
      const { http, tokens } = context;
      for (const token of [tokens.bob, tokens.carol, extra.adminUnscoped]) {
        expectForbidden(await http.send('GET', '/domains/default', { token }), 'identity:get_domain');
      }
    });

    test('a domain that does not exist: 404 to an admin, 403 to a member', async () => {
      const { http, tokens } = context;
      expectNotFound(await http.send('GET', '/domains/nope', { token: tokens.admin }), 'Could not find domain: nope.');
      expectForbidden(await http.send('GET', '/domains/nope', { token: tokens.alice }), 'identity:get_domain');
    });

    test('without a token: 401', async () => {
      expectUnauthorized(await context.http.send('GET', '/domains/default'), context.keystoneUrl);
    });

    test('OPTIONS names the methods of the whole domain resource', async () => {
      const exchange = await context.http.send('OPTIONS', '/domains/default');
      expect(exchange.status).toBe(200);
      expect(allowed(exchange)).toEqual(CRUD_ALLOW);
    });
  });

  describe('GET /users filters', () => {
    test('?name= is exact and case-sensitive', async () => {
      const { http, keystoneUrl, tokens, ids } = context;
      const body = expectJson(await http.send('GET', '/users?name=alice', { token: tokens.admin }), 200);
      expect(userIds(body)).toEqual([ids.alice]);
      expect(body.users[0]).toMatchObject({ name: 'alice', domain_id: 'default', default_project_id: ids.demo });
      expect(body.links).toEqual({ self: `${keystoneUrl}/users?name=alice`, previous: null, next: null });
      expect(userIds(expectJson(await http.send('GET', '/users?name=ALICE', { token: tokens.admin }), 200))).toEqual([]);
      expect(userIds(expectJson(await http.send('GET', '/users?name=nobody', { token: tokens.admin }), 200))).toEqual([]);
    });

    test('?domain_id= lists the users of the domain; an unknown domain lists none', async () => {
      const { http, tokens, ids } = context;
      const body = expectJson(await http.send('GET', '/users?domain_id=default', { token: tokens.admin }), 200);
      expect(userIds(body)).toEqual(expect.arrayContaining([ids.admin, ids.alice, ids.bob, ids.carol]));
      for (const user of body.users) expect(user.domain_id).toBe('default');
      const none = expectJson(await http.send('GET', '/users?domain_id=nope', { token: tokens.admin }), 200);
      expect(none.users).toEqual([]);
    });

    test('filters combine, and a repeated key is one more filter', async () => {
      const { http, tokens, ids } = context;
      const list = async (query: string) =>
        userIds(expectJson(await http.send('GET', `/users?${query}`, { token: tokens.admin }), 200));
      expect(await list('name=alice&domain_id=default')).toEqual([ids.alice]);
      expect(await list('name=alice&domain_id=nope')).toEqual([]);
      expect(await list('name=alice&name=alice')).toEqual([ids.alice]);
      expect(await list('name=alice&name=bob')).toEqual([]);
      expect(await list('name=alice&enabled=false')).toEqual([]);
      expect(await list('name=alice&enabled=0')).toEqual([]);
      expect(await list('name=alice&enabled=yes')).toEqual([ids.alice]);
      expect(await list('name=alice&unknown=1')).toEqual([ids.alice]);
    });

    test('?name__startswith= and the other inexact filters', async () => {
      const { http, tokens, ids } = context;
      const starts = expectJson(await http.send('GET', '/users?name__startswith=ali', { token: tokens.admin }), 200);
      expect(userIds(starts)).toContain(ids.alice);
      for (const user of starts.users) expect(user.name.startsWith('ali')).toBe(true);
      const ends = expectJson(
        await http.send('GET', '/users?name__iendswith=ROL&domain_id=default', { token: tokens.admin }),
        200,
      );
      expect(userIds(ends)).toContain(ids.carol);
      for (const user of ends.users) expect(user.name.toLowerCase().endsWith('rol')).toBe(true);
    });

    test('only an admin may list, filters or not: 403 to members and unscoped tokens', async () => {
      const { http, tokens } = context;
      for (const token of [tokens.alice, tokens.bob, extra.bobDemo, extra.adminUnscoped]) {
        expectForbidden(await http.send('GET', '/users?name=alice', { token }), 'identity:list_users');
      }
      expect((await http.send('GET', '/users?name=alice', { token: extra.adminSystem })).status).toBe(200);
    });
  });

  describe('GET /projects', () => {
    test('an admin lists the projects; domains are left out', async () => {
      const { http, keystoneUrl, tokens } = context;
      const body = expectJson(await http.send('GET', '/projects', { token: tokens.admin }), 200);
      expect(projectNames(body)).toEqual(expect.arrayContaining(['admin', 'demo']));
      for (const project of body.projects) expect(project.is_domain).toBe(false);
      expect(body.links).toEqual({ self: `${keystoneUrl}/projects`, previous: null, next: null });
    });

    test('?name= finds one project, with its full body', async () => {
      const { http, keystoneUrl, tokens, ids } = context;
      const body = expectJson(await http.send('GET', '/projects?name=demo', { token: tokens.admin }), 200);
      expect(body).toEqual({
        projects: [
          {
            id: ids.demo,
            name: 'demo',
            domain_id: 'default',
            description: 'test project of soda-aksk-gateway',
            enabled: true,
            parent_id: 'default',
            is_domain: false,
            tags: [],
            options: {},
            links: { self: `${keystoneUrl}/projects/${ids.demo}` },
          },
        ],
        links: { self: `${keystoneUrl}/projects?name=demo`, previous: null, next: null },
      });
    });

    test('filters: name, domain_id, parent_id, enabled, repeated keys, tags', async () => {
      const { http, tokens } = context;
      const list = async (query: string) =>
        projectNames(expectJson(await http.send('GET', `/projects?${query}`, { token: tokens.admin }), 200));
      expect(await list('name=DEMO')).toEqual([]);
      expect(await list('name=nope')).toEqual([]);
      expect(await list('name=demo&domain_id=default')).toEqual(['demo']);
      expect(await list('name=demo&domain_id=nope')).toEqual([]);
      expect(await list('name=admin&parent_id=default')).toEqual(['admin']);
      expect(await list('name=demo&enabled=false')).toEqual([]);
      expect(await list('name=demo&name=admin')).toEqual([]);
      expect(await list('name=demo&name=demo')).toEqual(['demo']);
      expect(await list('name=demo&tags=x')).toEqual([]);
      expect(await list('name=demo&not-tags=x')).toEqual(['demo']);
    });

    test('?is_domain=true lists the domains, as projects', async () => {
      const { http, keystoneUrl, tokens } = context;
      const body = expectJson(await http.send('GET', '/projects?is_domain=true', { token: tokens.admin }), 200);
      expect(body.projects).toContainEqual({
        id: 'default',
        name: 'Default',
        domain_id: null,
        description: 'The default domain',
        enabled: true,
        parent_id: null,
        is_domain: true,
        tags: [],
        options: {},
        links: { self: `${keystoneUrl}/projects/default` },
      });
      for (const project of body.projects) expect(project.is_domain).toBe(true);
    });

    test('only an admin may list: 403 to a member, even filtering on its own project', async () => {
      const { http, tokens } = context;
      for (const token of [tokens.alice, tokens.bob, extra.bobDemo, tokens.carol, extra.adminUnscoped]) {
        expectForbidden(await http.send('GET', '/projects?name=demo', { token }), 'identity:list_projects');
      }
      expect((await http.send('GET', '/projects?name=demo', { token: extra.adminSystem })).status).toBe(200);
      expectUnauthorized(await http.send('GET', '/projects'), context.keystoneUrl);
    });
  });

  describe('GET /users/{id}/projects', () => {
    test('a user lists its own projects with any token, scoped or not', async () => {
      const { http, keystoneUrl, tokens, ids } = context;
      const alice = expectJson(await http.send('GET', `/users/${ids.alice}/projects`, { token: tokens.alice }), 200);
      expect(alice.projects).toHaveLength(1);
      expect(alice.projects[0]).toMatchObject({ id: ids.demo, name: 'demo', domain_id: 'default', is_domain: false });
      expect(alice.links).toEqual({ self: `${keystoneUrl}/users/${ids.alice}/projects`, previous: null, next: null });
      expect(projectNames(expectJson(await http.send('GET', `/users/${ids.bob}/projects`, { token: tokens.bob }), 200))).toEqual([
        'demo',
      ]);
      expect(
        projectNames(expectJson(await http.send('GET', `/users/${ids.carol}/projects`, { token: tokens.carol }), 200)),
      ).toEqual([]);
      const admin = await http.send('GET', `/users/${ids.admin}/projects`, { token: extra.adminUnscoped });
      expect(projectNames(expectJson(admin, 200))).toEqual(['admin']);
    });

    test("an admin lists anyone's; ?name= filters", async () => {
      const { http, tokens, ids } = context;
      expect(
        projectNames(expectJson(await http.send('GET', `/users/${ids.alice}/projects`, { token: tokens.admin }), 200)),
      ).toEqual(['demo']);
      const filtered = await http.send('GET', `/users/${ids.alice}/projects?name=admin`, { token: tokens.admin });
      expect(expectJson(filtered, 200).projects).toEqual([]);
      const kept = await http.send('GET', `/users/${ids.alice}/projects?name=demo&domain_id=default`, { token: tokens.admin });
      expect(projectNames(expectJson(kept, 200))).toEqual(['demo']);
    });

    test("someone else's: 403 to a member and to an unscoped admin; an unknown user: 403, or 404 to an admin", async () => {
      const { http, tokens, ids } = context;
      expectForbidden(
        await http.send('GET', `/users/${ids.bob}/projects`, { token: tokens.alice }),
        'identity:list_user_projects',
      );
      expectForbidden(
        await http.send('GET', `/users/${ids.alice}/projects`, { token: extra.adminUnscoped }),
        'identity:list_user_projects',
      );
      expectForbidden(await http.send('GET', '/users/nope/projects', { token: tokens.alice }), 'identity:list_user_projects');
      expectNotFound(await http.send('GET', '/users/nope/projects', { token: tokens.admin }), 'Could not find user: nope.');
      expectUnauthorized(await http.send('GET', `/users/${ids.alice}/projects`), context.keystoneUrl);
    });

    test('OPTIONS', async () => {
      const exchange = await context.http.send('OPTIONS', `/users/${context.ids.alice}/projects`);
      expect(allowed(exchange)).toEqual(['GET', 'HEAD', 'OPTIONS']);
    });
  });

  describe('user administration (throwaway users for tests)', () => {
    const made = new Set<string>();

    afterAll(async () => {
      for (const id of made) await deleteThrowawayUser(context, id);
    });

    async function throwaway(attributes: Record<string, unknown> = {}): Promise<ThrowawayUser> {
      const user = await createThrowawayUser(context, attributes);
      made.add(user.id);
      return user;
    }

    test('POST /users: 201; extra attributes are kept and echoed; the user can log in', async () => {
      const { http, keystoneUrl } = context;
      const user = await throwaway({ description: 'made by the contract', email: 'x@example.com' });
      expect(user.body).toEqual({
        id: expect.stringMatching(KEYSTONE_ID),
        name: user.name,
        domain_id: 'default',
        enabled: true,
        description: 'made by the contract',
        email: 'x@example.com',
        password_expires_at: null,
        options: {},
        links: { self: `${keystoneUrl}/users/${user.id}` },
      });
      const { token } = await context.login(passwordAuth(user));
      expect(token.user).toMatchObject({ id: user.id, name: user.name });
      expect(token).not.toHaveProperty('project');
      const read = expectJson(await http.send('GET', `/users/${user.id}`, { token: context.tokens.admin }), 200);
      expect(read.user).toEqual(user.body);
    });

    test('POST /users: the same name twice is 409; an unknown domain 404', async () => {
      const { http, tokens } = context;
      const user = await throwaway();
      const again = await http.send('POST', '/users', { token: tokens.admin, json: { user: { name: user.name } } });
      expectError(
        again,
        409,
        'Conflict',
        `Conflict occurred attempting to store user - Duplicate entry found with name ${user.name} at domain ID default.`,
      );
      const elsewhere = await http.send('POST', '/users', {
        token: tokens.admin,
        json: { user: { name: randomName(), domain_id: 'nope' } },
      });
      expectNotFound(elsewhere, 'Could not find domain: nope.');
    });

    test('POST /users: only an admin (403 before validation), 401 without a token', async () => {
      const { http } = context;
      for (const token of [extra.bobDemo, extra.adminUnscoped]) {
        expectForbidden(await http.send('POST', '/users', { token, json: { user: {} } }), 'identity:create_user');
      }
      expectUnauthorized(await http.send('POST', '/users', { json: { user: { name: 'x' } } }), context.keystoneUrl);
    });

    test('POST /users: schema errors', async () => {
      const { http, tokens } = context;
      const create = (user: unknown) => http.send('POST', '/users', { token: tokens.admin, json: { user } });
      expectBadRequest(await create({ password: 'x' }), MISSING_NAME_MESSAGE);
      expectBadRequest(
        await create({ name: 'x y', domain_id: 'bad id' }),
        "Invalid input for field 'domain_id': 'bad id' does not match '^[a-zA-Z0-9-]+$'\n" +
          '\n' +
          "Failed validating 'pattern' in schema['properties']['domain_id']:\n" +
          "    {'maxLength': 64,\n" +
          "     'minLength': 1,\n" +
          "     'pattern': '^[a-zA-Z0-9-]+$',\n" +
          "     'type': 'string'}\n" +
          '\n' +
          "On instance['domain_id']:\n" +
          "    'bad id'",
      );
      expectBadRequest(
        await create({ name: '   ' }),
        "Invalid input for field 'name': '   ' does not match '[\\\\S]+'\n" +
          '\n' +
          "Failed validating 'pattern' in schema['properties']['name']:\n" +
          "    {'maxLength': 255,\n" +
          "     'minLength': 1,\n" +
          "     'pattern': '[\\\\S]+',\n" +
          "     'type': 'string'}\n" +
          '\n' +
          "On instance['name']:\n" +
          "    '   '",
      );
      expectBadRequest(
        await create({ name: randomName(), options: { bogus: 1 } }),
        "Invalid input for field 'options': Additional properties are not allowed ('bogus' was unexpected)\n" +
          '\n' +
          "Failed validating 'additionalProperties' in schema['properties']['options']:\n" +
          "    {'additionalProperties': False,\n" +
          "     'properties': {'ignore_change_password_upon_first_use': {'enum': [True,\n" +
          '                                                                       False,\n' +
          '                                                                       None],\n' +
          "                                                              'type': ['boolean',\n" +
          "                                                                       'null']},\n" +
          "                    'ignore_lockout_failure_attempts': {'enum': [True,\n" +
          '                                                                 False,\n' +
          '                                                                 None],\n' +
          "                                                        'type': ['boolean',\n" +
          "                                                                 'null']},\n" +
          "                    'ignore_password_expiry': {'enum': [True, False, None],\n" +
          "                                               'type': ['boolean', 'null']},\n" +
          "                    'ignore_user_inactivity': {'enum': [True, False, None],\n" +
          "                                               'type': ['boolean', 'null']},\n" +
          "                    'lock_password': {'enum': [True, False, None],\n" +
          "                                      'type': ['boolean', 'null']},\n" +
          "                    'multi_factor_auth_enabled': {'enum': [True,\n" +
          '                                                           False,\n' +
          '                                                           None],\n' +
          "                                                  'type': ['boolean',\n" +
          "                                                           'null']},\n" +
          "                    'multi_factor_auth_rules': {'items': {'items': {'type': 'string'},\n" +
          "                                                          'minItems': 1,\n" +
          "                                                          'type': 'array',\n" +
          "                                                          'uniqueItems': True},\n" +
          "                                                'type': ['array', 'null'],\n" +
          "                                                'uniqueItems': True}},\n" +
          "     'type': 'object'}\n" +
          '\n' +
          "On instance['options']:\n" +
          "    {'bogus': 1}",
      );
      const withoutUser = await http.send('POST', '/users', { token: tokens.admin, json: {} });
      expectBadRequest(withoutUser, MISSING_NAME_MESSAGE.replace("On instance:\n    {'password': 'x'}", 'On instance:\n    {}'));
    });

    test('GET /roles?name=: admin only', async () => {
      const { http, keystoneUrl, tokens } = context;
      const body = expectJson(await http.send('GET', '/roles?name=member', { token: tokens.admin }), 200);
      expect(body).toEqual({
        roles: [
          {
            id: expect.stringMatching(KEYSTONE_ID),
            name: 'member',
            domain_id: null,
            description: null,
            options: { immutable: true },
            links: { self: `${keystoneUrl}/roles/${body.roles[0].id}` },
          },
        ],
        links: { self: `${keystoneUrl}/roles?name=member`, previous: null, next: null },
      });
      const all = expectJson(await http.send('GET', '/roles', { token: extra.adminSystem }), 200);
      expect(all.roles.map((role: any) => role.name)).toEqual(expect.arrayContaining(['admin', 'member', 'reader']));
      expect(expectJson(await http.send('GET', '/roles?name=nope', { token: tokens.admin }), 200).roles).toEqual([]);
      expectForbidden(await http.send('GET', '/roles?name=member', { token: extra.bobDemo }), 'identity:list_roles');
    });

    test('PUT /projects/{p}/users/{u}/roles/{r}: 204 (twice too), then the user may scope to the project', async () => {
      const { http, tokens, ids } = context;
      const user = await throwaway();
      const memberRole = expectJson(await http.send('GET', '/roles?name=member', { token: tokens.admin }), 200).roles[0].id;
      const path = `/projects/${ids.demo}/users/${user.id}/roles/${memberRole}`;
      const granted = await http.send('PUT', path, { token: tokens.admin });
      expect(granted.status).toBe(204);
      expect(granted.text).toBe('');
      expectApplicationHeaders(granted);
      expect((await http.send('PUT', path, { token: tokens.admin })).status).toBe(204);
      const { token } = await context.login(passwordAuth(user, { project: { id: ids.demo } }));
      expect(token.roles.map((role: any) => role.name).sort()).toEqual(['member', 'reader']);
    });

    test('PUT grant: role, user, then project are looked up before policy', async () => {
      const { http, tokens, ids } = context;
      const memberRole = expectJson(await http.send('GET', '/roles?name=member', { token: tokens.admin }), 200).roles[0].id;
      const put = (project: string, user: string, role: string, token = tokens.admin) =>
        http.send('PUT', `/projects/${project}/users/${user}/roles/${role}`, { token });
      expectNotFound(await put('nope', 'nope', 'nope'), 'Could not find role: nope.');
      expectNotFound(await put('nope', 'nope', 'nope', extra.bobDemo), 'Could not find role: nope.');
      expectNotFound(await put('nope', 'nope', memberRole), 'Could not find user: nope.');
      expectNotFound(await put('nope', ids.carol, memberRole), 'Could not find project: nope.');
      expectForbidden(await put(ids.demo, ids.carol, memberRole, extra.bobDemo), 'identity:create_grant');
      const options = await http.send('OPTIONS', `/projects/${ids.demo}/users/${ids.carol}/roles/${memberRole}`);
      expect(allowed(options)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT']);
    });

    test('DELETE /users/{id}: admin only; 404 for an unknown user', async () => {
      const { http, tokens } = context;
      const user = await throwaway();
      expectForbidden(await http.send('DELETE', `/users/${user.id}`, { token: extra.bobDemo }), 'identity:delete_user');
      expectForbidden(await http.send('DELETE', '/users/nope', { token: extra.bobDemo }), 'identity:delete_user');
      expectNotFound(await http.send('DELETE', '/users/nope', { token: tokens.admin }), 'Could not find user: nope.');
      const deleted = await http.send('DELETE', `/users/${user.id}`, { token: tokens.admin });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      made.delete(user.id);
      expectNotFound(await http.send('GET', `/users/${user.id}`, { token: tokens.admin }), `Could not find user: ${user.id}.`);
      expectNotFound(await http.send('DELETE', `/users/${user.id}`, { token: tokens.admin }), `Could not find user: ${user.id}.`);
    });

    test('deleting a user deletes all its credentials; its live tokens then fail with 404', async () => {
      const { http, tokens, ids } = context;
      const user = await throwaway();
      const own = await context.login(passwordAuth(user));
      const totp = await http.send('POST', '/credentials', {
        token: own.subject,
        json: { credential: { user_id: user.id, type: 'totp', blob: 'x' } },
      });
      const credentialId = expectJson(totp, 201).credential.id;
      const ec2 = await http.send('POST', `/users/${user.id}/credentials/OS-EC2`, {
        token: own.subject,
        json: { tenant_id: ids.demo },
      });
      expect(ec2.status).toBe(201);
      expect((await http.send('DELETE', `/users/${user.id}`, { token: tokens.admin })).status).toBe(204);
      made.delete(user.id);

      expectNotFound(
        await http.send('GET', `/credentials/${credentialId}`, { token: tokens.admin }),
        `Could not find credential: ${credentialId}.`,
      );
      expect(
        expectJson(await http.send('GET', `/credentials?user_id=${user.id}`, { token: tokens.admin }), 200).credentials,
      ).toEqual([]);

      // As the caller, before anything else (even routing), in a body of its own making.
      const gone = `{"error": {"code": 404, "title": "Not Found", "message": "Could not find user: ${user.id}."}}`;
      for (const [method, path] of [
        ['GET', '/auth/projects'],
        ['GET', '/nonexistent'],
        ['GET', ''],
      ]) {
        const exchange = await http.send(method, path, { token: own.subject });
        expect(exchange.status).toBe(404);
        expect(exchange.headers['content-type']).toBe('application/json');
        expectApplicationHeaders(exchange);
        expect(exchange.text).toBe(gone);
      }
      // As the subject, an ordinary 404.
      const validated = await http.send('GET', '/auth/tokens', { token: tokens.admin, subjectToken: own.subject });
      expectNotFound(validated, `Could not find user: ${user.id}.`);
      expectNotFound(
        await http.send('POST', '/auth/tokens', {
          json: { auth: { identity: { methods: ['token'], token: { id: own.subject } } } },
        }),
        `Could not find user: ${user.id}.`,
      );
    });
  });
}
