/**
 * The Keystone identity v3 contract the gateway relies on, written once as raw HTTP exchanges
 * and run against both the emulator and a real Keystone 22 seeded with `demoSeed`.
 * Statuses, headers and bodies here were observed on the real service: where a test and the
 * real Keystone disagree, the test is wrong.
 */

import { DEMO_LOGINS } from '../../src/emulator/seed';
import { describeDirectoryContract } from './keystone-directory.contract';
import { describeEc2Contract } from './keystone-ec2.contract';
import { describeEc2TokensContract } from './keystone-ec2tokens.contract';
import {
  CLIENT_IN_ERROR,
  ContractContext,
  demoScope,
  ec2Blob,
  expectApplicationHeaders,
  expectBadRequest,
  expectError,
  expectForbidden,
  expectJson,
  expectNotFound,
  expectTokenShape,
  expectUnauthorized,
  FERNET_LIKE_TOKEN,
  KEYSTONE_ID,
  MAX_BODY_BYTES,
  passwordAuth,
  passwordIdentity,
  PLAIN_500,
  randomAccessKey,
  roleNames,
  sha256Hex,
  SUPPORTED_METHODS,
  tokenAuth,
} from './keystone-contract-support';
import { KeystoneHttp } from './keystone-http';

export interface KeystoneTarget {
  /** The v3 base URL, e.g. `http://127.0.0.1:15000/v3`. */
  keystoneUrl: string;
}

export function describeKeystoneContract(targetName: string, getTarget: () => KeystoneTarget): void {
  describe(`Keystone identity v3 contract: ${targetName}`, () => {
    let http: KeystoneHttp;
    let keystoneUrl: string;
    /** Tokens of the seeded users; never revoked by a test. */
    const tokens = { admin: '', alice: '', bob: '', carol: '' };
    const ids = { admin: '', alice: '', bob: '', carol: '', demo: '', adminProject: '' };
    const createdCredentials = new Set<string>();
    /** The same state, for the parts of the contract defined in other files. */
    const context = { tokens, ids, createdCredentials } as ContractContext;

    async function login(body: unknown, query = '?nocatalog') {
      const exchange = await http.send('POST', `/auth/tokens${query}`, { json: body });
      const token = expectJson(exchange, 201).token;
      return { subject: exchange.headers['x-subject-token'] as string, token, exchange };
    }

    async function createCredential(token: string, credential: Record<string, unknown>) {
      const exchange = await http.send('POST', '/credentials', { token, json: { credential } });
      if (exchange.status === 201) createdCredentials.add(exchange.json().credential.id);
      return exchange;
    }

    beforeAll(async () => {
      keystoneUrl = getTarget().keystoneUrl.replace(/\/+$/, '');
      http = new KeystoneHttp(keystoneUrl);
      Object.assign(context, { http, keystoneUrl, login });
      const admin = await login(passwordAuth(DEMO_LOGINS.admin, { project: { name: 'admin', domain: { name: 'Default' } } }));
      const alice = await login(passwordAuth(DEMO_LOGINS.alice));
      const bob = await login(passwordAuth(DEMO_LOGINS.bob));
      const carol = await login(passwordAuth(DEMO_LOGINS.carol));
      Object.assign(tokens, { admin: admin.subject, alice: alice.subject, bob: bob.subject, carol: carol.subject });
      Object.assign(ids, {
        admin: admin.token.user.id,
        alice: alice.token.user.id,
        bob: bob.token.user.id,
        carol: carol.token.user.id,
        demo: alice.token.project.id,
        adminProject: admin.token.project.id,
      });
    });

    afterAll(async () => {
      if (!http) return;
      for (const id of createdCredentials) {
        await http.send('DELETE', `/credentials/${id}`, { token: tokens.admin });
      }
      await http.close();
    });

    describe('GET {base} (version document)', () => {
      test('describes identity v3', async () => {
        const body = expectJson(await http.send('GET', ''), 200);
        expect(body.version).toMatchObject({ id: 'v3.14', status: 'stable' });
        expect(body.version.links).toEqual([{ rel: 'self', href: `${keystoneUrl}/` }]);
      });
    });

    describe('POST /auth/tokens with the password method', () => {
      test('a user with a default project gets a token scoped to it, with roles and catalog', async () => {
        const exchange = await http.send('POST', '/auth/tokens', { json: passwordAuth(DEMO_LOGINS.alice) });
        const { token } = expectJson(exchange, 201);
        expect(exchange.headers['x-subject-token']).toMatch(FERNET_LIKE_TOKEN);
        expectTokenShape(token, { id: ids.alice, name: 'alice' });
        expect(token.methods).toEqual(['password']);
        expect(token.audit_ids).toHaveLength(1);
        expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBe(3600_000);
        expect(token.project).toEqual({ domain: { id: 'default', name: 'Default' }, id: ids.demo, name: 'demo' });
        expect(token.is_domain).toBe(false);
        expect(roleNames(token)).toEqual(['member', 'reader']);
        for (const role of token.roles) expect(Object.keys(role).sort()).toEqual(['id', 'name']);
        const identity = token.catalog.find((service: any) => service.type === 'identity');
        expect(identity).toMatchObject({ name: 'keystone', id: expect.stringMatching(KEYSTONE_ID) });
        expect(identity.endpoints.map((endpoint: any) => endpoint.interface).sort()).toEqual(['admin', 'internal', 'public']);
        for (const endpoint of identity.endpoints) {
          expect(endpoint).toEqual({
            id: expect.stringMatching(KEYSTONE_ID),
            interface: expect.any(String),
            region_id: 'RegionOne',
            region: 'RegionOne',
            url: keystoneUrl,
          });
        }
      });

      test('?nocatalog leaves the catalog out', async () => {
        const { token } = await login(passwordAuth(DEMO_LOGINS.alice), '?nocatalog');
        expect(token).not.toHaveProperty('catalog');
        expect(token.project.name).toBe('demo');
      });

      test('a user without a default project gets an unscoped token', async () => {
        for (const user of [DEMO_LOGINS.bob, DEMO_LOGINS.admin, DEMO_LOGINS.carol]) {
          const { token } = await login(passwordAuth(user), '');
          expect(Object.keys(token).sort()).toEqual(['audit_ids', 'expires_at', 'issued_at', 'methods', 'user']);
        }
      });

      test('"scope": "unscoped" overrides the default project', async () => {
        const { token } = await login(passwordAuth(DEMO_LOGINS.alice, 'unscoped'));
        expect(token).not.toHaveProperty('project');
        expect(token).not.toHaveProperty('roles');
      });

      test('the user may be named by id, the domain by id or name, the project by id or name', async () => {
        const byId = await login({
          auth: { identity: passwordIdentity(DEMO_LOGINS.bob, { id: ids.bob }), scope: { project: { id: ids.demo } } },
        });
        expect(byId.token.project.id).toBe(ids.demo);
        const byDomainId = await login({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'bob', domain: { id: 'default' }, password: DEMO_LOGINS.bob.password } },
            },
            scope: { project: { name: 'demo', domain: { name: 'Default' } } },
          },
        });
        expect(byDomainId.token.user.id).toBe(ids.bob);
        expect(roleNames(byDomainId.token)).toEqual(['member', 'reader']);
      });

      test('admin implies member implies reader', async () => {
        const { token } = await login(passwordAuth(DEMO_LOGINS.admin, { project: { id: ids.adminProject } }));
        expect(roleNames(token)).toEqual(['admin', 'member', 'reader']);
      });

      test('admin may take a system-scoped token', async () => {
        const { token } = await login(passwordAuth(DEMO_LOGINS.admin, { system: { all: true } }));
        expect(token.system).toEqual({ all: true });
        expect(roleNames(token)).toEqual(['admin', 'member', 'reader']);
        expect(token).not.toHaveProperty('project');
      });

      test('a garbage X-Auth-Token beside a password login is ignored', async () => {
        const exchange = await http.send('POST', '/auth/tokens?nocatalog', {
          token: 'garbage',
          json: passwordAuth(DEMO_LOGINS.carol),
        });
        expect(exchange.status).toBe(201);
      });

      test.each([
        ['a wrong password', passwordAuth({ name: 'alice', password: 'wrong' })],
        ['an unknown user', passwordAuth({ name: 'nobody', password: 'x' })],
        ['an unknown user id', { auth: { identity: passwordIdentity(DEMO_LOGINS.alice, { id: 'nope' }) } }],
        [
          'an unknown domain',
          {
            auth: {
              identity: {
                methods: ['password'],
                password: { user: { name: 'alice', domain: { name: 'Nope' }, password: 'alice-password' } },
              },
            },
          },
        ],
        [
          'no password',
          { auth: { identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' } } } } } },
        ],
        ['an unknown project', passwordAuth(DEMO_LOGINS.alice, { project: { id: 'nope' } })],
        [
          'a project without a role on it',
          passwordAuth(DEMO_LOGINS.bob, { project: { name: 'admin', domain: { id: 'default' } } }),
        ],
        ['a user with no role at all', passwordAuth(DEMO_LOGINS.carol, demoScope())],
        ['a domain scope nobody has a role on', passwordAuth(DEMO_LOGINS.admin, { domain: { name: 'Default' } })],
        ['a system scope for a non-admin', passwordAuth(DEMO_LOGINS.alice, { system: { all: true } })],
        ['no method at all', { auth: { identity: { methods: [] } } }],
      ])('%s: 401 with the generic message', async (_name, body) => {
        expectUnauthorized(await http.send('POST', '/auth/tokens', { json: body }), keystoneUrl);
      });

      test('an unsupported method: 401 listing the supported ones', async () => {
        const exchange = await http.send('POST', '/auth/tokens', {
          json: { auth: { identity: { methods: ['totp'], totp: {} } } },
        });
        expect(expectJson(exchange, 401)).toEqual({
          error: {
            code: 401,
            identity: { methods: SUPPORTED_METHODS },
            message: 'Attempted to authenticate with an unsupported method.',
            title: 'Unauthorized',
          },
        });
      });
    });

    describe('POST /auth/tokens with a malformed body: 400', () => {
      test.each([
        ['no body', undefined, `Expecting to find auth in request body.${CLIENT_IN_ERROR}`],
        ['an empty object', '{}', `Expecting to find auth in request body.${CLIENT_IN_ERROR}`],
        ['"auth": null', '{"auth":null}', `Expecting to find auth in request body.${CLIENT_IN_ERROR}`],
        ['not JSON', 'not json', `Expecting to find valid JSON in request body.${CLIENT_IN_ERROR}`],
        ['a JSON array', '[1]', `Expecting to find valid JSON in request body.${CLIENT_IN_ERROR}`],
      ])('%s', async (_name, body, message) => {
        const headers = { 'Content-Type': 'application/json' };
        expectBadRequest(await http.send('POST', '/auth/tokens', { body, headers }), message);
      });

      test('a body that is not sent as application/json', async () => {
        const exchange = await http.send('POST', '/auth/tokens', {
          body: JSON.stringify(passwordAuth(DEMO_LOGINS.alice)),
          headers: { 'Content-Type': 'text/plain' },
        });
        expectBadRequest(exchange, `Expecting to find application/json in Content-Type header.${CLIENT_IN_ERROR}`);
      });

      test.each([
        [
          'methods is not an array',
          { identity: { methods: 'password' } },
          "Invalid input for field 'identity/methods': 'password' is not of type 'array'\n\n" +
            "Failed validating 'type' in schema['properties']['identity']['properties']['methods']:\n" +
            "    {'items': {'type': 'string'}, 'type': 'array'}\n\n" +
            "On instance['identity']['methods']:\n    'password'",
        ],
        [
          'no methods',
          { identity: {} },
          "Invalid input for field 'identity': 'methods' is a required property\n\n" +
            "Failed validating 'required' in schema['properties']['identity']:\n" +
            "    {'properties': {'methods': {'items': {'type': 'string'},\n" +
            "                                'type': 'array'},\n" +
            "                    'password': {'properties': {'user': {'properties': {'domain': {'properties': {'id': {'type': 'string'},\n" +
            "                                                                                                  'name': {'type': 'string'}},\n" +
            "                                                                                   'type': 'object'},\n" +
            "                                                                        'id': {'type': 'string'},\n" +
            "                                                                        'name': {'type': 'string'},\n" +
            "                                                                        'password': {'type': 'string'}},\n" +
            "                                                         'type': 'object'}},\n" +
            "                                 'type': 'object'},\n" +
            "                    'token': {'properties': {'id': {'type': 'string'}},\n" +
            "                              'required': ['id'],\n" +
            "                              'type': 'object'}},\n" +
            "     'required': ['methods'],\n" +
            "     'type': 'object'}\n\n" +
            "On instance['identity']:\n    {}",
        ],
        [
          'a token without id',
          { identity: { methods: ['token'], token: {} } },
          "Invalid input for field 'identity/token': 'id' is a required property\n\n" +
            "Failed validating 'required' in schema['properties']['identity']['properties']['token']:\n" +
            "    {'properties': {'id': {'type': 'string'}},\n" +
            "     'required': ['id'],\n" +
            "     'type': 'object'}\n\n" +
            "On instance['identity']['token']:\n    {}",
        ],
        [
          'a scope that is neither object nor string',
          { identity: passwordIdentity(DEMO_LOGINS.carol), scope: 5 },
          "Invalid input for field 'scope': 5 is not of type 'object', 'string'\n\n" +
            "Failed validating 'type' in schema['properties']['scope']:\n" +
            "    {'properties': {'OS-TRUST:trust': {'properties': {'id': {'type': 'string'}},\n" +
            "                                       'type': 'object'},\n" +
            "                    'domain': {'properties': {'id': {'type': 'string'},\n" +
            "                                              'name': {'type': 'string'}},\n" +
            "                               'type': 'object'},\n" +
            "                    'project': {'properties': {'domain': {'properties': {'id': {'type': 'string'},\n" +
            "                                                                         'name': {'type': 'string'}},\n" +
            "                                                          'type': 'object'},\n" +
            "                                               'id': {'type': 'string'},\n" +
            "                                               'name': {'type': 'string'}},\n" +
            "                                'type': 'object'},\n" +
            "                    'system': {'properties': {'all': {'enum': [True,\n" +
            '                                                               False,\n' +
            '                                                               None],\n' +
            "                                                      'type': 'boolean'}},\n" +
            "                               'type': 'object'}},\n" +
            "     'type': ['object', 'string']}\n\n" +
            "On instance['scope']:\n    5",
        ],
        [
          'a password that is not a string',
          { identity: { methods: ['password'], password: { user: { name: 'carol', domain: { id: 'default' }, password: 5 } } } },
          "Invalid input for field 'identity/password/user/password': 5 is not of type 'string'\n\n" +
            "Failed validating 'type' in schema['properties']['identity']['properties']['password']['properties']['user']['properties']['password']:\n" +
            "    {'type': 'string'}\n\n" +
            "On instance['identity']['password']['user']['password']:\n    5",
        ],
        [
          'a method name that is not a string',
          { identity: { methods: ['password', [['x']]] } },
          "Invalid input for field 'identity/methods/1': [['x']] is not of type 'string'\n\n" +
            "Failed validating 'type' in schema['properties']['identity']['properties']['methods']['items']:\n" +
            "    {'type': 'string'}\n\n" +
            "On instance['identity']['methods'][1]:\n    [['x']]",
        ],
        [
          'a method without its payload',
          { identity: { methods: ['password'] } },
          `Expecting to find password in identity.${CLIENT_IN_ERROR}`,
        ],
        [
          'a password without user',
          { identity: { methods: ['password'], password: {} } },
          `Expecting to find user in None.${CLIENT_IN_ERROR}`,
        ],
        [
          'a user named without domain',
          { identity: { methods: ['password'], password: { user: { name: 'alice', password: 'alice-password' } } } },
          `Expecting to find domain in user.${CLIENT_IN_ERROR}`,
        ],
        [
          'a user with neither id nor name',
          { identity: { methods: ['password'], password: { user: { domain: { id: 'default' }, password: 'x' } } } },
          'Invalid input for field identity/password/user: id or name must be present.',
        ],
        [
          'a project named without domain',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: { project: { name: 'demo' } } },
          `Expecting to find domain in project.${CLIENT_IN_ERROR}`,
        ],
        [
          'a project domain with neither id nor name',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: { project: { name: 'demo', domain: {} } } },
          'Invalid input for field scope/project/domain: id or name must be present.',
        ],
        [
          'an empty scope',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: {} },
          `Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.${CLIENT_IN_ERROR}`,
        ],
        [
          'two scopes',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: { ...demoScope(), unscoped: {} } },
          `Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.${CLIENT_IN_ERROR}`,
        ],
        [
          'an unknown scope string',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: 'garbage' },
          `Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.${CLIENT_IN_ERROR}`,
        ],
        [
          'the scope string "project"',
          { identity: passwordIdentity(DEMO_LOGINS.alice), scope: 'project' },
          "string indices must be integers, not 'str'",
        ],
      ])('%s', async (_name, auth, message) => {
        expectBadRequest(await http.send('POST', '/auth/tokens', { json: { auth } }), message);
      });

      test('"auth" missing its identity: the long jsonschema message', async () => {
        const exchange = await http.send('POST', '/auth/tokens', { json: { auth: {} } });
        const { error } = expectJson(exchange, 400);
        expect(
          error.message.startsWith(
            "'identity' is a required property\n\nFailed validating 'required' in schema:\n    {'properties': {'identity':",
          ),
        ).toBe(true);
        expect(error.message.endsWith("\n     'required': ['identity'],\n     'type': 'object'}\n\nOn instance:\n    {}")).toBe(
          true,
        );
      });
    });

    describe('POST /auth/tokens with documents Python cannot cope with', () => {
      function nested(depth: number): string {
        return '['.repeat(depth) + ']'.repeat(depth);
      }

      test('a long string where the auth object belongs: pprint wraps it in the message', async () => {
        const words = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
        const { error } = expectJson(await http.send('POST', '/auth/tokens', { json: { auth: words } }), 400);
        expect(error.message.startsWith(`'${words}' is not of type 'object'\n\nFailed validating 'type' in schema:\n`)).toBe(
          true,
        );
        expect(
          error.message.endsWith(
            'On instance:\n' +
              "    ('word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 '\n" +
              "     'word11 word12 word13 word14 word15 word16 word17 word18 word19 '\n" +
              "     'word20 word21 word22 word23 word24 word25 word26 word27 word28 '\n" +
              "     'word29 word30 word31 word32 word33 word34 word35 word36 word37 '\n" +
              "     'word38 word39')",
          ),
        ).toBe(true);
      });

      test('an offending value nested 310 deep crashes the error rendering: plain-text 500', async () => {
        const headers = { 'Content-Type': 'application/json' };
        const rendered = await http.send('POST', '/auth/tokens', { body: `{"auth":${nested(309)}}`, headers });
        expect(expectJson(rendered, 400).error.message.startsWith(`${nested(309)} is not of type 'object'`)).toBe(true);
        const crashed = await http.send('POST', '/auth/tokens', { body: `{"auth":${nested(310)}}`, headers });
        expect(crashed.status).toBe(500);
        expect(crashed.text).toBe(PLAIN_500);
        expect(crashed.headers['x-openstack-request-id']).toBeUndefined();
      });

      test('a body nested 936 deep crashes the JSON decoder: plain-text 500', async () => {
        const login = JSON.stringify(passwordAuth(DEMO_LOGINS.carol)).slice(0, -2);
        const headers = { 'Content-Type': 'application/json' };
        const decoded = await http.send('POST', '/auth/tokens?nocatalog', { body: `${login},"extra":${nested(933)}}}`, headers });
        expect(decoded.status).toBe(201);
        const crashed = await http.send('POST', '/auth/tokens?nocatalog', { body: `${login},"extra":${nested(934)}}}`, headers });
        expect(crashed.status).toBe(500);
        expect(crashed.text).toBe(PLAIN_500);
      });
    });

    describe('POST /auth/tokens with the token method', () => {
      test('scopes an unscoped token, keeping its expiry and audit chain', async () => {
        const parent = await login(passwordAuth(DEMO_LOGINS.bob));
        const exchange = await http.send('POST', '/auth/tokens?nocatalog', {
          token: parent.subject,
          json: tokenAuth(parent.subject, demoScope()),
        });
        const { token } = expectJson(exchange, 201);
        expect(exchange.headers['x-subject-token']).toMatch(FERNET_LIKE_TOKEN);
        expect(exchange.headers['x-subject-token']).not.toBe(parent.subject);
        expectTokenShape(token, { id: ids.bob, name: 'bob' });
        expect([...token.methods].sort()).toEqual(['password', 'token']);
        expect(token.audit_ids).toHaveLength(2);
        expect(token.audit_ids[1]).toBe(parent.token.audit_ids[0]);
        expect(token.expires_at).toBe(parent.token.expires_at);
        expect(token.project.id).toBe(ids.demo);
        expect(roleNames(token)).toEqual(['member', 'reader']);
      });

      test('scopes by project id, and rescopes a scoped token to unscoped', async () => {
        const scoped = await login(tokenAuth(tokens.bob, { project: { id: ids.demo } }));
        expect(scoped.token.project.name).toBe('demo');
        const unscoped = await login(tokenAuth(scoped.subject, 'unscoped'));
        expect(unscoped.token).not.toHaveProperty('project');
        expect(unscoped.token.audit_ids[1]).toBe(scoped.token.audit_ids[1]);
      });

      test('without a scope, the default project applies again', async () => {
        const unscoped = await login(passwordAuth(DEMO_LOGINS.alice, 'unscoped'));
        const { token } = await login(tokenAuth(unscoped.subject));
        expect(token.project.name).toBe('demo');
      });

      test('password and token together must name the same user', async () => {
        const both = await login({
          auth: {
            identity: { ...passwordIdentity(DEMO_LOGINS.alice), methods: ['password', 'token'], token: { id: tokens.alice } },
          },
        });
        expect([...both.token.methods].sort()).toEqual(['password', 'token']);
        const mismatch = await http.send('POST', '/auth/tokens', {
          json: {
            auth: {
              identity: { ...passwordIdentity(DEMO_LOGINS.alice), methods: ['password', 'token'], token: { id: tokens.bob } },
            },
          },
        });
        expectUnauthorized(mismatch, keystoneUrl);
      });

      test('a garbage token: 404 Could not recognize Fernet token', async () => {
        const exchange = await http.send('POST', '/auth/tokens', { token: 'garbage', json: tokenAuth('garbage') });
        expectNotFound(exchange, 'Could not recognize Fernet token');
      });

      test('an empty token id: 404 No token in the request', async () => {
        expectNotFound(await http.send('POST', '/auth/tokens', { json: tokenAuth('') }), 'No token in the request');
      });

      test('a revoked token: 404 Failed to validate token', async () => {
        const victim = await login(passwordAuth(DEMO_LOGINS.bob));
        await http.send('DELETE', '/auth/tokens', { token: victim.subject, subjectToken: victim.subject });
        expectNotFound(await http.send('POST', '/auth/tokens', { json: tokenAuth(victim.subject) }), 'Failed to validate token');
      });

      test('a project the user has no role on: 401', async () => {
        expectUnauthorized(await http.send('POST', '/auth/tokens', { json: tokenAuth(tokens.carol, demoScope()) }), keystoneUrl);
        expectUnauthorized(
          await http.send('POST', '/auth/tokens', { json: tokenAuth(tokens.carol, { project: { id: 'nope' } }) }),
          keystoneUrl,
        );
      });
    });

    describe('GET /auth/tokens (validate)', () => {
      test('a user may validate its own token', async () => {
        const exchange = await http.send('GET', '/auth/tokens', { token: tokens.alice, subjectToken: tokens.alice });
        const { token } = expectJson(exchange, 200);
        expect(exchange.headers['x-subject-token']).toBe(tokens.alice);
        expectTokenShape(token, { id: ids.alice, name: 'alice' });
        expect(token.project.id).toBe(ids.demo);
        expect(roleNames(token)).toEqual(['member', 'reader']);
        expect(Array.isArray(token.catalog)).toBe(true);
      });

      test('?nocatalog leaves the catalog out', async () => {
        const exchange = await http.send('GET', '/auth/tokens?nocatalog', { token: tokens.alice, subjectToken: tokens.alice });
        expect(expectJson(exchange, 200).token).not.toHaveProperty('catalog');
      });

      test('HEAD answers 200 for a valid token', async () => {
        const exchange = await http.send('HEAD', '/auth/tokens', { token: tokens.alice, subjectToken: tokens.alice });
        expect(exchange.status).toBe(200);
        expectApplicationHeaders(exchange);
      });

      test("an admin may validate anyone's token", async () => {
        const exchange = await http.send('GET', '/auth/tokens', { token: tokens.admin, subjectToken: tokens.bob });
        expect(expectJson(exchange, 200).token.user.name).toBe('bob');
      });

      test("a member may not validate someone else's token: 403", async () => {
        expectForbidden(
          await http.send('GET', '/auth/tokens', { token: tokens.alice, subjectToken: tokens.bob }),
          'identity:validate_token',
        );
        expectForbidden(
          await http.send('GET', '/auth/tokens', { token: tokens.carol, subjectToken: tokens.admin }),
          'identity:validate_token',
        );
      });

      test('a garbage subject: 404 Could not recognize Fernet token', async () => {
        const exchange = await http.send('GET', '/auth/tokens', { token: tokens.alice, subjectToken: 'garbage' });
        expectNotFound(exchange, 'Could not recognize Fernet token');
      });

      test('a missing subject: 403 to a member, 404 No token in the request to an admin', async () => {
        expectForbidden(await http.send('GET', '/auth/tokens', { token: tokens.alice }), 'identity:validate_token');
        expectNotFound(await http.send('GET', '/auth/tokens', { token: tokens.admin }), 'No token in the request');
      });

      test('a missing or invalid X-Auth-Token: 401', async () => {
        expectUnauthorized(await http.send('GET', '/auth/tokens', { subjectToken: tokens.alice }), keystoneUrl);
        expectUnauthorized(await http.send('GET', '/auth/tokens', { token: 'garbage', subjectToken: tokens.alice }), keystoneUrl);
      });
    });

    describe('DELETE /auth/tokens (revoke)', () => {
      test('revokes: 204, then the token is refused as caller (401) and as subject (404)', async () => {
        const victim = await login(passwordAuth(DEMO_LOGINS.bob));
        const revoked = await http.send('DELETE', '/auth/tokens', { token: victim.subject, subjectToken: victim.subject });
        expect(revoked.status).toBe(204);
        expect(revoked.text).toBe('');
        expect(revoked.headers['content-type']).toBeUndefined();
        expectApplicationHeaders(revoked);

        expectUnauthorized(
          await http.send('GET', '/auth/tokens', { token: victim.subject, subjectToken: tokens.bob }),
          keystoneUrl,
        );
        expectNotFound(
          await http.send('GET', '/auth/tokens', { token: tokens.bob, subjectToken: victim.subject }),
          'Failed to validate token',
        );
        expectNotFound(
          await http.send('DELETE', '/auth/tokens', { token: tokens.bob, subjectToken: victim.subject }),
          'Failed to validate token',
        );
      });

      test('revoking a token leaves the tokens rescoped from it valid', async () => {
        const parent = await login(passwordAuth(DEMO_LOGINS.bob));
        const child = await login(tokenAuth(parent.subject, demoScope()));
        await http.send('DELETE', '/auth/tokens', { token: parent.subject, subjectToken: parent.subject });
        expect((await http.send('GET', '/auth/tokens', { token: child.subject, subjectToken: child.subject })).status).toBe(200);
      });

      test("only an admin may revoke someone else's token", async () => {
        const victim = await login(passwordAuth(DEMO_LOGINS.bob));
        expectForbidden(
          await http.send('DELETE', '/auth/tokens', { token: tokens.alice, subjectToken: victim.subject }),
          'identity:revoke_token',
        );
        expect((await http.send('DELETE', '/auth/tokens', { token: tokens.admin, subjectToken: victim.subject })).status).toBe(
          204,
        );
      });

      test('a garbage subject: 404 Could not recognize Fernet token', async () => {
        expectNotFound(
          await http.send('DELETE', '/auth/tokens', { token: tokens.admin, subjectToken: 'garbage' }),
          'Could not recognize Fernet token',
        );
      });
    });

    describe('GET /auth/projects', () => {
      test('lists the projects the user holds a role on', async () => {
        const body = expectJson(await http.send('GET', '/auth/projects', { token: tokens.alice }), 200);
        expect(body).toEqual({
          projects: [
            {
              id: ids.demo,
              name: 'demo',
              domain_id: 'default',
              description: expect.any(String),
              enabled: true,
              parent_id: 'default',
              is_domain: false,
              tags: [],
              options: {},
              links: { self: `${keystoneUrl}/projects/${ids.demo}` },
            },
          ],
          links: { self: `${keystoneUrl}/auth/projects`, previous: null, next: null },
        });
      });

      test('works with an unscoped token; a user without roles gets an empty list', async () => {
        const bob = expectJson(await http.send('GET', '/auth/projects', { token: tokens.bob }), 200);
        expect(bob.projects.map((project: any) => project.name)).toEqual(['demo']);
        const carol = expectJson(await http.send('GET', '/auth/projects', { token: tokens.carol }), 200);
        expect(carol.projects).toEqual([]);
        const admin = expectJson(await http.send('GET', '/auth/projects', { token: tokens.admin }), 200);
        expect(admin.projects.map((project: any) => project.name)).toEqual(['admin']);
      });

      test('without a token: 401', async () => {
        expectUnauthorized(await http.send('GET', '/auth/projects'), keystoneUrl);
      });
    });

    describe('/credentials', () => {
      function ec2For(userId: string, access = randomAccessKey(), projectId: string | null = ids.demo) {
        return { user_id: userId, ...(projectId ? { project_id: projectId } : {}), type: 'ec2', blob: ec2Blob(access) };
      }

      test('a member creates its own ec2 credential: 201, id = sha256(access key), blob a JSON string', async () => {
        const access = randomAccessKey();
        const credential = ec2For(ids.alice, access);
        const exchange = await createCredential(tokens.alice, credential);
        const id = sha256Hex(access);
        expect(expectJson(exchange, 201)).toEqual({
          credential: { ...credential, id, links: { self: `${keystoneUrl}/credentials/${id}` } },
        });
      });

      test('the same access key twice: 409', async () => {
        const access = randomAccessKey();
        expect((await createCredential(tokens.alice, ec2For(ids.alice, access))).status).toBe(201);
        const again = await createCredential(tokens.alice, ec2For(ids.alice, access));
        expectError(
          again,
          409,
          'Conflict',
          `Conflict occurred attempting to store credential - Duplicate entry found with ID ${sha256Hex(access)}.`,
        );
      });

      test('an unscoped token may manage its own credentials', async () => {
        const exchange = await createCredential(tokens.bob, ec2For(ids.bob));
        expect(exchange.status).toBe(201);
        const id = exchange.json().credential.id;
        expect((await http.send('GET', `/credentials/${id}`, { token: tokens.bob })).status).toBe(200);
      });

      test('other types get a random id, need no project and are not parsed', async () => {
        const exchange = await createCredential(tokens.alice, { user_id: ids.alice, type: 'totp', blob: 'not json' });
        const { credential } = expectJson(exchange, 201);
        expect(credential.id).toMatch(KEYSTONE_ID);
        expect(credential.project_id).toBeNull();
        expect(credential.blob).toBe('not json');
      });

      test('a member may not create one for someone else: 403', async () => {
        expectForbidden(await createCredential(tokens.alice, ec2For(ids.bob)), 'identity:create_credential');
        expectForbidden(await createCredential(tokens.alice, {}), 'identity:create_credential');
      });

      test('an admin may create one for a user id that does not exist (Keystone 22 does not check)', async () => {
        const exchange = await createCredential(tokens.admin, ec2For('00000000000000000000000000000000'));
        expect(expectJson(exchange, 201).credential.user_id).toBe('00000000000000000000000000000000');
      });

      test('an ec2 credential without project_id: 400 from the schema', async () => {
        const exchange = await createCredential(tokens.alice, ec2For(ids.alice, randomAccessKey(), null));
        const { error } = expectJson(exchange, 400);
        expect(error.message).toMatch(
          /^\{'user_id': '[0-9a-f]{32}', 'type': 'ec2', 'blob': '.*'\} is not valid under any of the given schemas\n\nFailed validating 'oneOf' in schema:\n/,
        );
      });

      test('an empty credential: 400 with the full schema message', async () => {
        expectBadRequest(
          await createCredential(tokens.admin, {}),
          '{} is not valid under any of the given schemas\n\n' +
            "Failed validating 'oneOf' in schema:\n" +
            "    {'additionalProperties': True,\n" +
            "     'oneOf': [{'properties': {'type': {'enum': ['ec2']}},\n" +
            "                'required': ['blob', 'type', 'user_id', 'project_id'],\n" +
            "                'title': 'ec2 credential requires project_id'},\n" +
            "               {'properties': {'type': {'not': {'enum': ['ec2']}}},\n" +
            "                'required': ['blob', 'type', 'user_id'],\n" +
            "                'title': 'non-ec2 credential does not require project_id'}],\n" +
            "     'properties': {'blob': {'type': 'string'},\n" +
            "                    'project_id': {'type': 'string'},\n" +
            "                    'type': {'type': 'string'},\n" +
            "                    'user_id': {'type': 'string'}},\n" +
            "     'type': 'object'}\n\n" +
            'On instance:\n    {}',
        );
      });

      test.each([
        ['a blob that is not JSON', 'notjson', 'Invalid blob in credential'],
        ['a blob that is not an object', '[1]', `Expecting to find blob in credential.${CLIENT_IN_ERROR}`],
        ['an empty blob object', '{}', `Expecting to find blob in credential.${CLIENT_IN_ERROR}`],
        ['a blob without access', '{"secret":"s"}', `Expecting to find access in credential.${CLIENT_IN_ERROR}`],
      ])('an ec2 credential with %s: 400', async (_name, blob, message) => {
        expectBadRequest(await createCredential(tokens.alice, { ...ec2For(ids.alice), blob }), message);
      });

      test('a blob sent as an object instead of a string: 400 from the schema', async () => {
        const exchange = await createCredential(tokens.alice, { ...ec2For(ids.alice), blob: { access: 'x' } });
        expectBadRequest(
          exchange,
          "Invalid input for field 'blob': {'access': 'x'} is not of type 'string'\n\n" +
            "Failed validating 'type' in schema['properties']['blob']:\n    {'type': 'string'}\n\n" +
            "On instance['blob']:\n    {'access': 'x'}",
        );
      });

      test('an access key that is not a string crashes Keystone: plain-text 500', async () => {
        const exchange = await createCredential(tokens.alice, { ...ec2For(ids.alice), blob: '{"access":5}' });
        expect(exchange.status).toBe(500);
        expect(exchange.headers['content-type']).toBe('text/plain');
        expect(exchange.text).toBe(PLAIN_500);
      });

      test('a user id longer than its column: 400', async () => {
        const long = 'a'.repeat(65);
        expectBadRequest(
          await createCredential(tokens.admin, ec2For(long)),
          `String length exceeded. The length of string '${long}' exceeds the limit of column user_id(CHAR(64)).`,
        );
      });

      test('without a token: 401', async () => {
        expectUnauthorized(await http.send('GET', '/credentials'), keystoneUrl);
        expectUnauthorized(await http.send('POST', '/credentials', { json: { credential: ec2For(ids.alice) } }), keystoneUrl);
      });

      describe('with one credential of alice', () => {
        let id = '';
        let access = '';

        beforeAll(async () => {
          access = randomAccessKey();
          const exchange = await createCredential(tokens.alice, ec2For(ids.alice, access));
          id = expectJson(exchange, 201).credential.id;
        });

        test('GET ?user_id lists it for alice and the admin, with type filter and links', async () => {
          const mine = expectJson(await http.send('GET', `/credentials?user_id=${ids.alice}`, { token: tokens.alice }), 200);
          expect(mine.credentials.map((credential: any) => credential.id)).toContain(id);
          expect(mine.links).toEqual({ self: `${keystoneUrl}/credentials?user_id=${ids.alice}`, previous: null, next: null });
          const found = mine.credentials.find((credential: any) => credential.id === id);
          expect(JSON.parse(found.blob).access).toBe(access);

          const byAdmin = expectJson(
            await http.send('GET', `/credentials?user_id=${ids.alice}&type=ec2`, { token: tokens.admin }),
            200,
          );
          expect(byAdmin.credentials.map((credential: any) => credential.id)).toContain(id);
          const otherType = expectJson(await http.send('GET', '/credentials?type=totp', { token: tokens.alice }), 200);
          expect(otherType.credentials.map((credential: any) => credential.id)).not.toContain(id);
        });

        test("another member asking for alice's credentials gets 200 with an empty list", async () => {
          const body = expectJson(await http.send('GET', `/credentials?user_id=${ids.alice}`, { token: tokens.bob }), 200);
          expect(body.credentials).toEqual([]);
          const unfiltered = expectJson(await http.send('GET', '/credentials', { token: tokens.bob }), 200);
          expect(unfiltered.credentials.map((credential: any) => credential.id)).not.toContain(id);
        });

        test('GET /credentials/{id}: 200 to its owner and the admin, 403 to another member', async () => {
          const own = expectJson(await http.send('GET', `/credentials/${id}`, { token: tokens.alice }), 200);
          expect(own.credential).toMatchObject({ id, user_id: ids.alice, project_id: ids.demo, type: 'ec2' });
          expect((await http.send('GET', `/credentials/${id}`, { token: tokens.admin })).status).toBe(200);
          expectForbidden(await http.send('GET', `/credentials/${id}`, { token: tokens.bob }), 'identity:get_credential');
        });

        test('PATCH changes the blob only: extra fields kept, type refused, not-JSON refused, owner or admin only', async () => {
          const blob = JSON.stringify({
            access,
            secret: 'patched-secret',
            description: 'Build server \u00e9t\u00e9',
            expires_at: null,
          });
          const patched = expectJson(
            await http.send('PATCH', `/credentials/${id}`, { token: tokens.alice, json: { credential: { blob } } }),
            200,
          );
          expect(patched.credential).toMatchObject({ id, user_id: ids.alice, type: 'ec2', blob });
          const read = expectJson(await http.send('GET', `/credentials/${id}`, { token: tokens.alice }), 200);
          expect(JSON.parse(read.credential.blob)).toEqual(JSON.parse(blob));
          // Python re-encodes a patched ec2 blob: json.dumps separators, non-ASCII escaped.
          expect(read.credential.blob).toContain('"description": "Build server \\u00e9t\\u00e9"');

          const typeChange = await http.send('PATCH', `/credentials/${id}`, {
            token: tokens.alice,
            json: { credential: { type: 'ec2-inactive' } },
          });
          expect(typeChange.status).toBe(400);
          expect(typeChange.json().error.message).toMatch(/^Additional properties are not allowed \('type' was unexpected\)/);
          expectBadRequest(
            await http.send('PATCH', `/credentials/${id}`, { token: tokens.alice, json: { credential: { blob: 'notjson' } } }),
            'Invalid blob in credential',
          );
          expectForbidden(
            await http.send('PATCH', `/credentials/${id}`, { token: tokens.bob, json: { credential: { blob } } }),
            'identity:update_credential',
          );
          expect(
            (await http.send('PATCH', `/credentials/${id}`, { token: tokens.admin, json: { credential: { blob } } })).status,
          ).toBe(200);
        });

        test('a trailing slash on the collection is the same collection', async () => {
          const body = expectJson(await http.send('GET', '/credentials/', { token: tokens.alice }), 200);
          expect(body.credentials.map((credential: any) => credential.id)).toContain(id);
        });

        test('DELETE: 403 to another member, 204 to its owner, then gone', async () => {
          expectForbidden(await http.send('DELETE', `/credentials/${id}`, { token: tokens.bob }), 'identity:delete_credential');
          const deleted = await http.send('DELETE', `/credentials/${id}`, { token: tokens.alice });
          expect(deleted.status).toBe(204);
          expect(deleted.text).toBe('');
          expectApplicationHeaders(deleted);
          createdCredentials.delete(id);
          // Gone: policy cannot find an owner any more, so a member is refused rather than told.
          expectForbidden(await http.send('GET', `/credentials/${id}`, { token: tokens.alice }), 'identity:get_credential');
          expectNotFound(
            await http.send('GET', `/credentials/${id}`, { token: tokens.admin }),
            `Could not find credential: ${id}.`,
          );
        });
      });

      test('a credential that does not exist: 404 to an admin, 403 to a member', async () => {
        expectNotFound(await http.send('GET', '/credentials/nope', { token: tokens.admin }), 'Could not find credential: nope.');
        expectNotFound(
          await http.send('DELETE', '/credentials/nope', { token: tokens.admin }),
          'Could not find credential: nope.',
        );
        expectForbidden(await http.send('GET', '/credentials/nope', { token: tokens.alice }), 'identity:get_credential');
        expectForbidden(await http.send('DELETE', '/credentials/nope', { token: tokens.alice }), 'identity:delete_credential');
      });
    });

    describe('/users and /projects', () => {
      test('a user reads itself; default_project_id only when set', async () => {
        const alice = expectJson(await http.send('GET', `/users/${ids.alice}`, { token: tokens.alice }), 200);
        expect(alice).toEqual({
          user: {
            id: ids.alice,
            name: 'alice',
            domain_id: 'default',
            enabled: true,
            default_project_id: ids.demo,
            password_expires_at: null,
            options: {},
            links: { self: `${keystoneUrl}/users/${ids.alice}` },
          },
        });
        const bob = expectJson(await http.send('GET', `/users/${ids.bob}`, { token: tokens.bob }), 200);
        expect(bob.user).not.toHaveProperty('default_project_id');
      });

      test('another user, or a missing one: 403 to a member, 404 to an admin', async () => {
        expectForbidden(await http.send('GET', `/users/${ids.bob}`, { token: tokens.alice }), 'identity:get_user');
        expectForbidden(await http.send('GET', '/users/nope', { token: tokens.alice }), 'identity:get_user');
        expect((await http.send('GET', `/users/${ids.bob}`, { token: tokens.admin })).status).toBe(200);
        expectNotFound(await http.send('GET', '/users/nope', { token: tokens.admin }), 'Could not find user: nope.');
      });

      test('GET /users needs admin', async () => {
        expectForbidden(await http.send('GET', '/users', { token: tokens.alice }), 'identity:list_users');
        const body = expectJson(await http.send('GET', '/users?name=alice', { token: tokens.admin }), 200);
        expect(body.users.map((user: any) => user.id)).toEqual([ids.alice]);
        expect(body.links).toEqual({ self: `${keystoneUrl}/users?name=alice`, previous: null, next: null });
      });

      test('a member reads the project its token is scoped to, and no other', async () => {
        const demo = expectJson(await http.send('GET', `/projects/${ids.demo}`, { token: tokens.alice }), 200);
        expect(demo.project).toMatchObject({ id: ids.demo, name: 'demo', domain_id: 'default', is_domain: false });
        expectForbidden(await http.send('GET', `/projects/${ids.demo}`, { token: tokens.bob }), 'identity:get_project');
        expectForbidden(await http.send('GET', `/projects/${ids.adminProject}`, { token: tokens.alice }), 'identity:get_project');
        expectForbidden(await http.send('GET', '/projects/nope', { token: tokens.alice }), 'identity:get_project');
      });

      test('an admin reads any project; a missing one is 404', async () => {
        expect((await http.send('GET', `/projects/${ids.demo}`, { token: tokens.admin })).status).toBe(200);
        expectNotFound(await http.send('GET', '/projects/nope', { token: tokens.admin }), 'Could not find project: nope.');
      });
    });

    describeDirectoryContract(context);
    describeEc2Contract(context);
    describeEc2TokensContract(context);

    describe('outside the API: routing, methods and size limits', () => {
      test("an unknown URL: werkzeug's HTML 404", async () => {
        const exchange = await http.send('GET', '/nonexistent', { token: tokens.alice });
        expect(exchange.status).toBe(404);
        expect(exchange.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(exchange.text).toContain('<title>404 Not Found</title>');
        expectApplicationHeaders(exchange);
      });

      test("a known URL with another method: 405 with flask-restful's body and Allow", async () => {
        const exchange = await http.send('PUT', '/auth/tokens', { token: tokens.alice });
        expect(expectJson(exchange, 405)).toEqual({ message: 'The method is not allowed for the requested URL.' });
        const allowed = (exchange.headers.allow ?? '')
          .split(',')
          .map((method) => method.trim())
          .sort();
        expect(allowed).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST']);
      });

      test('a body that is not JSON is refused before routing, even on an unknown URL', async () => {
        const exchange = await http.send('POST', '/nonexistent', {
          body: 'bad',
          headers: { 'Content-Type': 'application/json' },
        });
        expectBadRequest(exchange, `Expecting to find valid JSON in request body.${CLIENT_IN_ERROR}`);
      });

      test('OPTIONS: 200 naming the methods in Allow', async () => {
        const exchange = await http.send('OPTIONS', '/credentials', { token: tokens.alice });
        expect(exchange.status).toBe(200);
        expect(exchange.text).toBe('');
        expectApplicationHeaders(exchange);
        const allowed = (exchange.headers.allow ?? '').split(',').map((method) => method.trim());
        expect(allowed).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'POST']));
      });

      test('ids in the path are percent-decoded leniently', async () => {
        expectNotFound(await http.send('GET', '/credentials/%zz', { token: tokens.admin }), 'Could not find credential: %zz.');
        expectNotFound(await http.send('GET', '/credentials/%ff', { token: tokens.admin }), 'Could not find credential: \ufffd.');
        expectNotFound(await http.send('GET', '/credentials/a%20b', { token: tokens.admin }), 'Could not find credential: a b.');
      });

      test('a body over 112 KiB: 413 from the size limit, rendered by Accept, without request id', async () => {
        const body = 'a'.repeat(MAX_BODY_BYTES + 1);
        const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
        const asJson = await http.send('POST', '/auth/tokens', { body, headers });
        expect(asJson.status).toBe(413);
        expect(asJson.headers['x-openstack-request-id']).toBeUndefined();
        expect(asJson.json()).toEqual({
          message: `Request is too large. Larger than max_request_body_size (${MAX_BODY_BYTES}).<br /><br />\n\n\n`,
          code: '413 Request Entity Too Large',
          title: 'Request Entity Too Large',
        });
        const asText = await http.send('POST', '/auth/tokens', { body, headers: { 'Content-Type': 'application/json' } });
        expect(asText.status).toBe(413);
        expect(asText.headers['content-type']).toBe('text/plain; charset=UTF-8');
      });

      test('a body just under the limit is read and judged', async () => {
        const body = 'a'.repeat(MAX_BODY_BYTES - 1000);
        const exchange = await http.send('POST', '/auth/tokens', { body, headers: { 'Content-Type': 'application/json' } });
        expectBadRequest(exchange, `Expecting to find valid JSON in request body.${CLIENT_IN_ERROR}`);
      });
    });
  });
}
