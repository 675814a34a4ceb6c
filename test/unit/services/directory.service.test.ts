import { DirectoryService } from '../../../src/services/directory.service';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { NamedRef } from '../../../src/upstreams/keystone/keystone.types';
import { CredentialsClient } from '../../../src/upstreams/credentials/credentials-client';
import { authRig, codeOf, DEFAULT_DOMAIN, fakeOf, tokenDetails, upstreamStatus } from './service-fakes';

const SALES = { id: 'd-sales', name: 'sales' };

function rig(keystone: Partial<KeystoneClient> = {}, projectDomain: NamedRef = DEFAULT_DOMAIN) {
  const domainLookups: string[] = [];
  const getDomain = keystone.getDomain;
  const {
    auth,
    keystone: client,
    introspected,
  } = authRig({
    token: 'caller-token',
    details: tokenDetails({ project: { id: 'p-x', name: 'x', domain: projectDomain } }),
    keystone: {
      ...keystone,
      getDomain: async (token, id) => {
        domainLookups.push(id);
        if (!getDomain) throw new Error('unexpected upstream call: getDomain');
        return getDomain(token, id);
      },
    },
  });
  return { directory: new DirectoryService(client, auth, fakeOf<CredentialsClient>({})), domainLookups, introspected };
}

describe('DirectoryService', () => {
  describe('projectById', () => {
    it("names the caller's own projects from one list, and reads others as null when Keystone refuses", async () => {
      const projectLookups: string[] = [];
      const { directory } = rig({
        listAuthProjects: async () => [{ id: 'p-y', name: 'y', domainId: 'default', enabled: true }],
        getProject: async (_token, id) => {
          projectLookups.push(id);
          throw upstreamStatus(403);
        },
      });
      const [own, listed, hidden] = await Promise.all(['p-x', 'p-y', 'p-z'].map((id) => directory.projectById(id)));
      expect([own?.name, listed?.name, hidden]).toEqual(['x', 'y', null]);
      expect(projectLookups).toEqual(['p-z']);
    });
  });

  describe('domainOf', () => {
    it('a domain already known is returned as is, without a call', async () => {
      const { directory, introspected } = rig();
      expect(await directory.domainOf({ domain: SALES, domainId: 'd-sales' })).toBe(SALES);
      expect(introspected).toEqual([]);
    });

    it("a domain named in the caller's token (user's or project's) needs no Keystone call", async () => {
      const { directory, domainLookups } = rig({}, SALES);
      expect(await directory.domainOf({ domainId: 'default' })).toEqual(DEFAULT_DOMAIN);
      expect(await directory.domainOf({ domainId: 'd-sales' })).toEqual(SALES);
      expect(domainLookups).toEqual([]);
    });

    it('another domain is read from Keystone once per request, however many entities are in it', async () => {
      const { directory, domainLookups } = rig({ getDomain: async (_token, id) => ({ id, name: `name-of-${id}` }) });
      const domains = await Promise.all([
        directory.domainOf({ domainId: 'd-far' }),
        directory.domainOf({ domainId: 'd-far' }),
        directory.domainOf({ domainId: 'd-other' }),
      ]);
      expect(domains.map((domain) => domain.name)).toEqual(['name-of-d-far', 'name-of-d-far', 'name-of-d-other']);
      expect(domainLookups.sort()).toEqual(['d-far', 'd-other']);
      await directory.domainOf({ domainId: 'd-far' });
      expect(domainLookups).toHaveLength(2);
    });

    it('where Keystone will not say, the id stands in as the name', async () => {
      const { directory } = rig({ getDomain: () => Promise.reject(upstreamStatus(403)) });
      expect(await directory.domainOf({ domainId: 'd-hidden' })).toEqual({ id: 'd-hidden', name: 'd-hidden' });
    });

    it('an id that could change the upstream path is never sent: the id stands in', async () => {
      const { directory, domainLookups } = rig({ getDomain: async (_token, id) => ({ id, name: 'should not be asked' }) });
      expect(await directory.domainOf({ domainId: '../admin' })).toEqual({ id: '../admin', name: '../admin' });
      expect(domainLookups).toEqual([]);
    });
  });

  it('user(id) checks the id before asking Keystone', async () => {
    const asked: string[] = [];
    const { directory } = rig({
      getUser: async (_token, id) => (
        asked.push(id),
        { id, name: 'bob', domainId: 'default', enabled: true, defaultProjectId: undefined }
      ),
    });
    expect(await codeOf(directory.user('a/b'))).toBe('BAD_USER_INPUT');
    expect((await directory.user('u-bob')).name).toBe('bob');
    expect(asked).toEqual(['u-bob']);
  });

  it('projects: the fields a picker needs, with the caller token', async () => {
    const tokens: string[] = [];
    const { directory } = rig({
      listAuthProjects: async (token) => (tokens.push(token), [{ id: 'p-1', name: 'one', domainId: 'default', enabled: true }]),
    });
    expect(await directory.projects()).toEqual([{ id: 'p-1', name: 'one', domainId: 'default', enabled: true }]);
    expect(tokens).toEqual(['caller-token']);
  });
});
