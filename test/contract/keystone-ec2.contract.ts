/**
 * The EC2 extension part of the Keystone contract: `/users/{user_id}/credentials/OS-EC2` (list,
 * create) and `.../OS-EC2/{access}` (show, delete), as `openstack ec2 credentials` and Horizon
 * use them. Observed on a real Keystone 22; run against both targets.
 *
 * Credentials are made only for `admin` and for throwaway users made here (other suites work on
 * alice, bob and carol at the same time); alice and bob only ever get refused.
 */

import { DEMO_LOGINS } from '../../src/emulator/seed';
import {
  ContractContext,
  createThrowawayUser,
  deleteThrowawayUser,
  ec2Blob,
  expectApplicationHeaders,
  expectForbidden,
  expectJson,
  expectNotFound,
  expectUnauthorized,
  passwordAuth,
  PLAIN_500,
  randomAccessKey,
  sha256Hex,
  ThrowawayUser,
} from './keystone-contract-support';
import type { Exchange } from './keystone-http';

const HEX32 = /^[0-9a-f]{32}$/;

function allowed(exchange: Exchange): string[] {
  return (exchange.headers.allow ?? '')
    .split(',')
    .map((method) => method.trim())
    .sort();
}

export function describeEc2Contract(context: ContractContext): void {
  describe('/users/{user_id}/credentials/OS-EC2 (the EC2 extension)', () => {
    /** A throwaway member of demo, with a token scoped to demo and an unscoped one. */
    let member: ThrowawayUser;
    const memberTokens = { scoped: '', unscoped: '' };
    const extra = { adminUnscoped: '' };

    function ec2Path(userId: string, access?: string): string {
      return `/users/${userId}/credentials/OS-EC2${access === undefined ? '' : `/${access}`}`;
    }

    /** Creates an EC2 pair; a 201 is remembered for deletion. */
    async function createEc2(token: string, userId: string, body: unknown): Promise<Exchange> {
      const exchange = await context.http.send('POST', ec2Path(userId), { token, json: body });
      if (exchange.status === 201) context.createdCredentials.add(sha256Hex(exchange.json().credential.access));
      return exchange;
    }

    async function createdAccess(token: string, userId: string, tenantId: unknown = context.ids.demo): Promise<string> {
      return expectJson(await createEc2(token, userId, { tenant_id: tenantId }), 201).credential.access;
    }

    beforeAll(async () => {
      const { http, tokens, ids } = context;
      member = await createThrowawayUser(context);
      const roles = expectJson(await http.send('GET', '/roles?name=member', { token: tokens.admin }), 200).roles;
      const grant = await http.send('PUT', `/projects/${ids.demo}/users/${member.id}/roles/${roles[0].id}`, {
        token: tokens.admin,
      });
      expect(grant.status).toBe(204);
      const [scoped, unscoped, adminUnscoped] = await Promise.all([
        context.login(passwordAuth(member, { project: { id: ids.demo } })),
        context.login(passwordAuth(member)),
        context.login(passwordAuth(DEMO_LOGINS.admin)),
      ]);
      Object.assign(memberTokens, { scoped: scoped.subject, unscoped: unscoped.subject });
      extra.adminUnscoped = adminUnscoped.subject;
    });

    afterAll(async () => {
      if (member) await deleteThrowawayUser(context, member.id);
    });

    describe('POST (create)', () => {
      test('a member creates its own: 201, 32-hex keys, stored as an ec2 credential with id sha256(access)', async () => {
        const { http, keystoneUrl, ids } = context;
        const exchange = await createEc2(memberTokens.scoped, member.id, { tenant_id: ids.demo });
        const { credential } = expectJson(exchange, 201);
        expect(credential).toEqual({
          user_id: member.id,
          tenant_id: ids.demo,
          access: expect.stringMatching(HEX32),
          secret: expect.stringMatching(HEX32),
          trust_id: null,
          links: { self: `${keystoneUrl}/users/${member.id}/credentials/OS-EC2/${credential.access}` },
        });
        expect(credential.secret).not.toBe(credential.access);

        const id = sha256Hex(credential.access);
        const stored = expectJson(await http.send('GET', `/credentials/${id}`, { token: memberTokens.scoped }), 200);
        expect(stored.credential).toEqual({
          id,
          user_id: member.id,
          project_id: ids.demo,
          type: 'ec2',
          // Python's json.dumps, spaces included.
          blob: `{"access": "${credential.access}", "secret": "${credential.secret}", "trust_id": null}`,
          links: { self: `${keystoneUrl}/credentials/${id}` },
        });
      });

      test('roles do not matter: an unscoped token, for a project the user has no role on', async () => {
        const { ids } = context;
        const exchange = await createEc2(memberTokens.unscoped, member.id, { tenant_id: ids.adminProject });
        expect(expectJson(exchange, 201).credential).toMatchObject({ user_id: member.id, tenant_id: ids.adminProject });
      });

      test('the tenant may be the domain, which is a project too', async () => {
        const exchange = await createEc2(memberTokens.scoped, member.id, { tenant_id: 'default' });
        expect(expectJson(exchange, 201).credential.tenant_id).toBe('default');
      });

      test('an admin creates for itself and for another user', async () => {
        const { tokens, ids } = context;
        const own = expectJson(await createEc2(tokens.admin, ids.admin, { tenant_id: ids.adminProject }), 201).credential;
        expect(own).toMatchObject({ user_id: ids.admin, tenant_id: ids.adminProject, trust_id: null });
        const other = expectJson(await createEc2(tokens.admin, member.id, { tenant_id: ids.demo }), 201).credential;
        expect(other.user_id).toBe(member.id);
      });

      test('an unknown, missing, null or empty tenant: 404 for the project', async () => {
        const { http, tokens, ids } = context;
        const create = (body: unknown) => createEc2(memberTokens.scoped, member.id, body);
        expectNotFound(await create({ tenant_id: 'nope' }), 'Could not find project: nope.');
        expectNotFound(await create({}), 'Could not find project: None.');
        expectNotFound(await create({ tenant_id: null }), 'Could not find project: None.');
        expectNotFound(await create({ project_id: ids.demo }), 'Could not find project: None.');
        expectNotFound(await create({ tenant_id: '' }), 'Could not find project: .');
        const noBody = await http.send('POST', ec2Path(member.id), { token: memberTokens.scoped });
        expectNotFound(noBody, 'Could not find project: None.');
        // The admin's checks come in the same order: user first, then project.
        expectNotFound(await createEc2(tokens.admin, 'nope', { tenant_id: 'nope' }), 'Could not find user: nope.');
        expectNotFound(await createEc2(tokens.admin, ids.admin, { tenant_id: 'nope' }), 'Could not find project: nope.');
      });

      test('a tenant that is not a string: a one-string list is taken as that id, anything else crashes', async () => {
        const { http, ids } = context;
        const create = (body: unknown) => createEc2(memberTokens.scoped, member.id, body);
        expectNotFound(await create({ tenant_id: ['nope'] }), "Could not find project: ['nope'].");
        const listed = expectJson(await create({ tenant_id: [ids.demo] }), 201).credential;
        expect(listed.tenant_id).toEqual([ids.demo]);
        // PostgreSQL stores the list as an array literal.
        const stored = await http.send('GET', `/credentials/${sha256Hex(listed.access)}`, { token: memberTokens.scoped });
        expect(expectJson(stored, 200).credential.project_id).toBe(`{${ids.demo}}`);
        for (const tenant of [5, true, {}, [], [ids.demo, ids.adminProject]]) {
          const crashed = await create({ tenant_id: tenant });
          expect(crashed.status).toBe(500);
          expect(crashed.headers['content-type']).toBe('text/plain');
          expect(crashed.text).toBe(PLAIN_500);
        }
      });

      test('for another user: 403 to a member and to an unscoped admin, whatever the user', async () => {
        const { tokens, ids } = context;
        expectForbidden(await createEc2(tokens.alice, member.id, { tenant_id: ids.demo }), 'identity:ec2_create_credential');
        expectForbidden(
          await createEc2(memberTokens.scoped, ids.admin, { tenant_id: ids.demo }),
          'identity:ec2_create_credential',
        );
        expectForbidden(await createEc2(memberTokens.scoped, 'nope', { tenant_id: ids.demo }), 'identity:ec2_create_credential');
        expectForbidden(await createEc2(extra.adminUnscoped, member.id, { tenant_id: 'nope' }), 'identity:ec2_create_credential');
      });

      test('a body that is not a JSON object: 400', async () => {
        const exchange = await context.http.send('POST', ec2Path(member.id), {
          token: memberTokens.scoped,
          body: '[1]',
          headers: { 'Content-Type': 'application/json' },
        });
        expect(expectJson(exchange, 400).error.message).toMatch(/^Expecting to find valid JSON in request body\./);
      });

      test('without a token: 401', async () => {
        const exchange = await context.http.send('POST', ec2Path(member.id), { json: { tenant_id: context.ids.demo } });
        expectUnauthorized(exchange, context.keystoneUrl);
      });
    });

    describe('GET (list)', () => {
      test('lists every ec2 credential of the user, those made through /credentials too, and nothing else', async () => {
        const { http, keystoneUrl, ids } = context;
        const made = await createdAccess(memberTokens.scoped, member.id);
        // The SODA multicloud way: blob {"access","secret"} without trust_id, any access key shape.
        const sodaAccess = randomAccessKey();
        const soda = await http.send('POST', '/credentials', {
          token: memberTokens.scoped,
          json: {
            credential: { user_id: member.id, project_id: ids.demo, type: 'ec2', blob: ec2Blob(sodaAccess, 'soda-secret') },
          },
        });
        context.createdCredentials.add(expectJson(soda, 201).credential.id);
        const totp = await http.send('POST', '/credentials', {
          token: memberTokens.scoped,
          json: { credential: { user_id: member.id, type: 'totp', blob: 'not ec2' } },
        });
        context.createdCredentials.add(expectJson(totp, 201).credential.id);

        const body = expectJson(await http.send('GET', ec2Path(member.id), { token: memberTokens.scoped }), 200);
        expect(body.links).toEqual({ self: `${keystoneUrl}${ec2Path(member.id)}`, previous: null, next: null });
        const accesses = body.credentials.map((credential: any) => credential.access);
        expect(accesses).toEqual(expect.arrayContaining([made, sodaAccess]));
        expect(body.credentials).toHaveLength(
          expectJson(await http.send('GET', `/credentials?user_id=${member.id}&type=ec2`, { token: memberTokens.scoped }), 200)
            .credentials.length,
        );
        expect(body.credentials.find((credential: any) => credential.access === sodaAccess)).toEqual({
          user_id: member.id,
          tenant_id: ids.demo,
          access: sodaAccess,
          secret: 'soda-secret',
          trust_id: null,
          links: { self: `${keystoneUrl}${ec2Path(member.id, sodaAccess)}` },
        });
        for (const credential of body.credentials)
          expect(Object.keys(credential).sort()).toEqual(['access', 'links', 'secret', 'tenant_id', 'trust_id', 'user_id']);

        const unscoped = expectJson(await http.send('GET', ec2Path(member.id), { token: memberTokens.unscoped }), 200);
        expect(unscoped.credentials.map((credential: any) => credential.access).sort()).toEqual([...accesses].sort());
      });

      test("an admin lists anyone's; an unknown user is 404 to it", async () => {
        const { http, tokens, ids } = context;
        const access = await createdAccess(tokens.admin, ids.admin, ids.adminProject);
        const own = expectJson(await http.send('GET', ec2Path(ids.admin), { token: tokens.admin }), 200);
        expect(own.credentials.map((credential: any) => credential.access)).toContain(access);
        const other = expectJson(await http.send('GET', ec2Path(member.id), { token: tokens.admin }), 200);
        expect(other.credentials.length).toBeGreaterThan(0);
        expectNotFound(await http.send('GET', ec2Path('nope'), { token: tokens.admin }), 'Could not find user: nope.');
      });

      test("someone else's: 403 (not an empty list), to a member and to an unscoped admin", async () => {
        const { http, tokens, ids } = context;
        expectForbidden(await http.send('GET', ec2Path(member.id), { token: tokens.bob }), 'identity:ec2_list_credentials');
        expectForbidden(await http.send('GET', ec2Path(member.id), { token: tokens.alice }), 'identity:ec2_list_credentials');
        expectForbidden(
          await http.send('GET', ec2Path(ids.admin), { token: memberTokens.scoped }),
          'identity:ec2_list_credentials',
        );
        expectForbidden(await http.send('GET', ec2Path('nope'), { token: memberTokens.scoped }), 'identity:ec2_list_credentials');
        expectForbidden(
          await http.send('GET', ec2Path(member.id), { token: extra.adminUnscoped }),
          'identity:ec2_list_credentials',
        );
      });

      test('a trailing slash is the same list; without a token: 401', async () => {
        const { http, keystoneUrl } = context;
        expect((await http.send('GET', `${ec2Path(member.id)}/`, { token: memberTokens.scoped })).status).toBe(200);
        expectUnauthorized(await http.send('GET', ec2Path(member.id)), keystoneUrl);
      });

      test('OPTIONS', async () => {
        const exchange = await context.http.send('OPTIONS', ec2Path(member.id));
        expect(exchange.status).toBe(200);
        expect(allowed(exchange)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
      });
    });

    describe('GET /{access} (show)', () => {
      let access = '';

      beforeAll(async () => {
        access = await createdAccess(memberTokens.scoped, member.id);
      });

      test('its owner and an admin read it', async () => {
        const { http, keystoneUrl, tokens, ids } = context;
        const own = expectJson(await http.send('GET', ec2Path(member.id, access), { token: memberTokens.scoped }), 200);
        expect(own).toEqual({
          credential: {
            user_id: member.id,
            tenant_id: ids.demo,
            access,
            secret: expect.stringMatching(HEX32),
            trust_id: null,
            links: { self: `${keystoneUrl}${ec2Path(member.id, access)}` },
          },
        });
        const byAdmin = expectJson(await http.send('GET', ec2Path(member.id, access), { token: tokens.admin }), 200);
        expect(byAdmin).toEqual(own);
      });

      test("the user in the path only has to exist: policy looks at the credential's owner", async () => {
        const { http, keystoneUrl, tokens, ids } = context;
        const viaAdmin = expectJson(await http.send('GET', ec2Path(ids.admin, access), { token: memberTokens.scoped }), 200);
        // The link names the owner, not the path.
        expect(viaAdmin.credential.links.self).toBe(`${keystoneUrl}${ec2Path(member.id, access)}`);
        expectNotFound(
          await http.send('GET', ec2Path('nope', access), { token: memberTokens.scoped }),
          'Could not find user: nope.',
        );
        expectNotFound(await http.send('GET', ec2Path('nope', access), { token: tokens.admin }), 'Could not find user: nope.');
      });

      test("someone else's: 403 to a member and to an unscoped admin, even via its own path", async () => {
        const { http, tokens, ids } = context;
        expectForbidden(await http.send('GET', ec2Path(member.id, access), { token: tokens.bob }), 'identity:ec2_get_credential');
        expectForbidden(await http.send('GET', ec2Path(ids.bob, access), { token: tokens.bob }), 'identity:ec2_get_credential');
        expectForbidden(await http.send('GET', ec2Path('nope', access), { token: tokens.bob }), 'identity:ec2_get_credential');
        expectForbidden(
          await http.send('GET', ec2Path(member.id, access), { token: extra.adminUnscoped }),
          'identity:ec2_get_credential',
        );
      });

      test('an unknown access key: 404 naming its hash, to anyone, before the user is looked at', async () => {
        const { http, tokens } = context;
        const message = `Could not find credential: ${sha256Hex('nope')}.`;
        for (const token of [memberTokens.scoped, tokens.bob, tokens.admin]) {
          expectNotFound(await http.send('GET', ec2Path(member.id, 'nope'), { token }), message);
        }
        expectNotFound(await http.send('GET', ec2Path('nope', 'nope'), { token: tokens.admin }), message);
      });

      test('the path is percent-decoded before routing: %2F splits it, %ff is U+FFFD', async () => {
        const { http, tokens } = context;
        const split = await http.send('GET', ec2Path(member.id, 'a%2Fb'), { token: tokens.admin });
        expect(split.status).toBe(404);
        expect(split.headers['content-type']).toBe('text/html; charset=utf-8');
        expectNotFound(
          await http.send('GET', ec2Path(member.id, '%ff'), { token: tokens.admin }),
          `Could not find credential: ${sha256Hex('\ufffd')}.`,
        );
        expectNotFound(
          await http.send('GET', ec2Path(member.id, 'a%3Fb'), { token: tokens.admin }),
          `Could not find credential: ${sha256Hex('a?b')}.`,
        );
      });

      test('a credential of type "EC2" has an ec2 id but is no EC2 pair: a bare 401', async () => {
        const { http, keystoneUrl, ids } = context;
        const upper = randomAccessKey();
        const created = await http.send('POST', '/credentials', {
          token: memberTokens.scoped,
          json: { credential: { user_id: member.id, project_id: ids.demo, type: 'EC2', blob: ec2Blob(upper) } },
        });
        expect(expectJson(created, 201).credential.id).toBe(sha256Hex(upper));
        context.createdCredentials.add(sha256Hex(upper));
        expectUnauthorized(await http.send('GET', ec2Path(member.id, upper), { token: memberTokens.scoped }), keystoneUrl);
        expectUnauthorized(await http.send('DELETE', ec2Path(member.id, upper), { token: memberTokens.scoped }), keystoneUrl);
        const list = expectJson(await http.send('GET', ec2Path(member.id), { token: memberTokens.scoped }), 200);
        expect(list.credentials.map((credential: any) => credential.access)).not.toContain(upper);
      });

      test('without a token: 401; OPTIONS', async () => {
        const { http, keystoneUrl } = context;
        expectUnauthorized(await http.send('GET', ec2Path(member.id, access)), keystoneUrl);
        expect(allowed(await http.send('OPTIONS', ec2Path(member.id, access)))).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS']);
      });
    });

    describe('DELETE /{access}', () => {
      test('its owner deletes it: 204, then it is gone from both APIs', async () => {
        const { http, tokens } = context;
        const access = await createdAccess(memberTokens.scoped, member.id);
        expectForbidden(
          await http.send('DELETE', ec2Path(member.id, access), { token: tokens.bob }),
          'identity:ec2_delete_credential',
        );
        expectForbidden(
          await http.send('DELETE', ec2Path(member.id, access), { token: extra.adminUnscoped }),
          'identity:ec2_delete_credential',
        );
        const deleted = await http.send('DELETE', ec2Path(member.id, access), { token: memberTokens.scoped });
        expect(deleted.status).toBe(204);
        expect(deleted.text).toBe('');
        expect(deleted.headers['content-type']).toBeUndefined();
        expectApplicationHeaders(deleted);

        const id = sha256Hex(access);
        context.createdCredentials.delete(id);
        const message = `Could not find credential: ${id}.`;
        expectNotFound(await http.send('DELETE', ec2Path(member.id, access), { token: memberTokens.scoped }), message);
        expectNotFound(await http.send('GET', ec2Path(member.id, access), { token: memberTokens.scoped }), message);
        expectNotFound(await http.send('GET', `/credentials/${id}`, { token: tokens.admin }), message);
        const list = expectJson(await http.send('GET', ec2Path(member.id), { token: memberTokens.scoped }), 200);
        expect(list.credentials.map((credential: any) => credential.access)).not.toContain(access);
      });

      test("through another existing user's path, and by an admin", async () => {
        const { http, tokens, ids } = context;
        const first = await createdAccess(memberTokens.scoped, member.id);
        expectNotFound(
          await http.send('DELETE', ec2Path('nope', first), { token: memberTokens.scoped }),
          'Could not find user: nope.',
        );
        expect((await http.send('DELETE', ec2Path(ids.admin, first), { token: memberTokens.scoped })).status).toBe(204);
        context.createdCredentials.delete(sha256Hex(first));
        const second = await createdAccess(memberTokens.scoped, member.id);
        expectNotFound(await http.send('DELETE', ec2Path('nope', second), { token: tokens.admin }), 'Could not find user: nope.');
        expect((await http.send('DELETE', ec2Path(member.id, second), { token: tokens.admin })).status).toBe(204);
        context.createdCredentials.delete(sha256Hex(second));
      });

      test('a pair made through /credentials is deleted here too', async () => {
        const { http, ids } = context;
        const access = randomAccessKey();
        const created = await http.send('POST', '/credentials', {
          token: memberTokens.scoped,
          json: { credential: { user_id: member.id, project_id: ids.demo, type: 'ec2', blob: ec2Blob(access) } },
        });
        const id = expectJson(created, 201).credential.id;
        context.createdCredentials.add(id);
        expect((await http.send('DELETE', ec2Path(member.id, access), { token: memberTokens.scoped })).status).toBe(204);
        context.createdCredentials.delete(id);
        expectNotFound(
          await http.send('GET', `/credentials/${id}`, { token: context.tokens.admin }),
          `Could not find credential: ${id}.`,
        );
      });

      test('an unknown access key: 404 to anyone; without a token: 401', async () => {
        const { http, keystoneUrl, tokens } = context;
        const message = `Could not find credential: ${sha256Hex('nope')}.`;
        for (const token of [memberTokens.scoped, tokens.bob, tokens.admin]) {
          expectNotFound(await http.send('DELETE', ec2Path(member.id, 'nope'), { token }), message);
          expectNotFound(await http.send('DELETE', ec2Path('nope', 'nope'), { token }), message);
        }
        expectUnauthorized(await http.send('DELETE', ec2Path(member.id, 'nope')), keystoneUrl);
      });
    });
  });
}
