import { CreateTokenRequest, IssuedToken } from '../../../src/upstreams/keystone/keystone.types';
import { LoginInput } from '../../../src/schema/auth/login.input';
import { authRig, codeOf, loginRefused, tokenDetails, upstreamStatus } from './service-fakes';

const issued = (token = 'issued-token'): IssuedToken => ({ token, details: tokenDetails() });
const login = (overrides: Partial<LoginInput> = {}): LoginInput => ({
  username: 'alice',
  password: 'alice-password',
  domain: 'Default',
  session: false,
  ...overrides,
});

describe('AuthService', () => {
  describe('login', () => {
    it('sends the password login Keystone expects, with the scope, and hands the token out', async () => {
      const requests: CreateTokenRequest[] = [];
      const { auth, session } = authRig({ keystone: { createToken: async (request) => (requests.push(request), issued()) } });
      const result = await auth.login(login({ scope: { projectName: 'demo', domain: 'Default' } }));
      expect(requests).toEqual([
        {
          auth: { method: 'password', user: { name: 'alice', domainName: 'Default', password: 'alice-password' } },
          scope: { name: 'demo', domainName: 'Default' },
        },
      ]);
      expect(result).toMatchObject({ token: 'issued-token', user: { name: 'alice' }, project: { id: 'p-demo' } });
      expect(session.setCookies).toEqual([]);
    });

    it('by user id, without a scope: Keystone applies the default project', async () => {
      const requests: CreateTokenRequest[] = [];
      const { auth } = authRig({ keystone: { createToken: async (request) => (requests.push(request), issued()) } });
      await auth.login(login({ username: undefined, userId: 'u-alice' }));
      expect(requests).toEqual([{ auth: { method: 'password', user: { id: 'u-alice', password: 'alice-password' } } }]);
    });

    it('as a session: the token goes into the cookie only', async () => {
      const { auth, session } = authRig({ keystone: { createToken: async () => issued('cookie-token') } });
      const result = await auth.login(login({ session: true }));
      expect(result.token).toBeNull();
      expect(session.setCookies).toHaveLength(1);
      expect(session.setCookies[0]).toMatch(/^__Host-aksk_session=cookie-token; .*HttpOnly; Secure; SameSite=Strict$/);
    });

    it.each([
      ['both username and userId', { userId: 'u-alice' }],
      ['neither', { username: undefined }],
      ['an empty password', { password: '' }],
      ['a control character in the name', { username: 'al\u0000ice' }],
      ['an id with a slash', { username: undefined, userId: 'a/b' }],
    ])('refuses %s before calling Keystone', async (_case, overrides) => {
      const { auth } = authRig();
      expect(await codeOf(auth.login(login(overrides)))).toBe('BAD_USER_INPUT');
    });

    it('counts only refused logins: after the limit even the right password waits, until the window ends', async () => {
      let answer: () => Promise<IssuedToken> = () => Promise.reject(loginRefused());
      let calls = 0;
      const { auth, clock } = authRig({
        keystone: { createToken: () => ((calls += 1), answer()) },
        throttle: { maxFailuresPerUser: 3, maxFailuresPerAddress: 10, windowMs: 60_000 },
      });
      for (let attempt = 0; attempt < 3; attempt += 1) expect(await codeOf(auth.login(login()))).toBe('UNAUTHENTICATED');
      answer = () => Promise.resolve(issued());
      expect(await codeOf(auth.login(login()))).toBe('TOO_MANY_REQUESTS');
      expect(calls).toBe(3);
      clock.advance(60_000);
      expect((await auth.login(login())).token).toBe('issued-token');
      expect(calls).toBe(4);
    });

    it('does not count an upstream outage as a failed login', async () => {
      const { auth, throttle } = authRig({ keystone: { createToken: () => Promise.reject(upstreamStatus(503)) } });
      for (let attempt = 0; attempt < 5; attempt += 1) await codeOf(auth.login(login()));
      await expect(throttle.begin({ name: 'alice', domainName: 'Default' }, '192.0.2.7')).resolves.toBeDefined();
    });

    it('a success clears the user name count', async () => {
      let fail = true;
      const { auth } = authRig({
        keystone: { createToken: () => (fail ? Promise.reject(loginRefused()) : Promise.resolve(issued())) },
      });
      for (let attempt = 0; attempt < 2; attempt += 1) await codeOf(auth.login(login()));
      fail = false;
      await auth.login(login());
      fail = true;
      // Two more failures would be four in the window without the reset: still under the limit of 3 each.
      for (let attempt = 0; attempt < 2; attempt += 1) await codeOf(auth.login(login()));
      fail = false;
      expect((await auth.login(login())).token).toBe('issued-token');
    });
  });

  describe('scopeToken, logout, the caller', () => {
    // Regression (security review, finding 15): the replaced token stayed alive after logout.
    it('scopes the caller token, keeps a cookie session a session, and revokes the token it replaces', async () => {
      const requests: CreateTokenRequest[] = [];
      const revoked: string[] = [];
      const { auth, session } = authRig({
        token: 'cookie-token',
        source: 'cookie',
        keystone: {
          createToken: async (request) => (requests.push(request), issued('scoped-token')),
          revokeToken: async (token) => void revoked.push(token),
        },
      });
      const result = await auth.scopeToken({ projectId: 'p-demo', domain: 'Default' });
      expect(requests).toEqual([{ auth: { method: 'token', token: 'cookie-token' }, scope: { id: 'p-demo' } }]);
      expect(revoked).toEqual(['cookie-token']);
      expect(result.token).toBeNull();
      expect(session.setCookies[0]).toMatch(/^__Host-aksk_session=scoped-token;/);
    });

    it('refuses to scope without a token, or with both a project name and id', async () => {
      expect(await codeOf(authRig().auth.scopeToken({ projectId: 'p', domain: 'Default' }))).toBe('UNAUTHENTICATED');
      const { auth } = authRig({ token: 't' });
      expect(await codeOf(auth.scopeToken({ projectId: 'p', projectName: 'demo', domain: 'Default' }))).toBe('BAD_USER_INPUT');
    });

    it('logout forgets the token before revoking it, and ends a cookie session', async () => {
      const order: string[] = [];
      const rig = authRig({
        token: 'bye-token',
        source: 'cookie',
        keystone: { revokeToken: async (token) => void order.push(`revoke ${token}`) },
      });
      expect(await rig.auth.logout()).toBe(true);
      expect(rig.forgotten).toEqual(['bye-token']);
      expect(order).toEqual(['revoke bye-token']);
      expect(rig.session.setCookies).toEqual([expect.stringMatching(/^__Host-aksk_session=; Path=\/; Max-Age=0;/)]);
    });

    it('a header-token logout sets no cookie', async () => {
      const rig = authRig({ token: 'bye-token', keystone: { revokeToken: async () => undefined } });
      await rig.auth.logout();
      expect(rig.session.setCookies).toEqual([]);
    });

    it('refuses a missing or an oversized token without asking Keystone', async () => {
      expect(await codeOf(() => authRig().auth.requireToken())).toBe('UNAUTHENTICATED');
      const huge = authRig({ token: 'x'.repeat(4097) });
      expect(await codeOf(() => huge.auth.caller())).toBe('UNAUTHENTICATED');
      expect(huge.introspected).toEqual([]);
      expect(authRig({ token: 'x'.repeat(4096) }).auth.requireToken()).toHaveLength(4096);
    });

    it('introspects the caller once per request, and tells an admin by role', async () => {
      const member = authRig({ token: 't1' });
      await Promise.all([member.auth.caller(), member.auth.viewer(), member.auth.caller()]);
      expect(member.introspected).toEqual(['t1']);
      expect((await member.auth.viewer()).isAdmin).toBe(false);
      const admin = authRig({ token: 't2', details: tokenDetails({ roles: [{ id: 'r', name: 'admin' }] }) });
      expect((await admin.auth.viewer()).isAdmin).toBe(true);
    });
  });
});
