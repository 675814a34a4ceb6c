import { MockAgent } from 'undici';
import { UserIdLookup } from '../../../src/auth/user-id-lookup';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { exactHeaders, strictMockAgent, upstreamFailure, upstreamHttp } from '../upstreams/upstream-test-kit';

const ORIGIN = 'http://keystone.test';
const SERVICE_TOKEN = 'service-token-for-user-id-lookup';
const DOMAINS = '/v3/domains?name=Default';
const usersPath = (name: string) => `/v3/users?domain_id=default&name=${encodeURIComponent(name)}`;

describe('UserIdLookup', () => {
  let agent: MockAgent;
  let now = 0;
  let calls: string[];
  let lookup: UserIdLookup;

  /** Keystone's answers: domain Default, user alice; `times` calls of each allowed. */
  function keystoneKnows(users: Record<string, string>, times = 1) {
    const keystone = agent.get(ORIGIN);
    keystone
      .intercept({ path: DOMAINS, method: 'GET', headers: exactHeaders({ 'x-auth-token': SERVICE_TOKEN }) })
      .reply(() => {
        calls.push('domains');
        return { statusCode: 200, data: { domains: [{ id: 'default', name: 'Default' }], links: {} } };
      })
      .times(times);
    for (const name of ['alice', 'nobody']) {
      keystone
        .intercept({ path: usersPath(name), method: 'GET' })
        .reply(() => {
          calls.push(`users:${name}`);
          const id = users[name];
          return { statusCode: 200, data: { users: id ? [{ id, name, domain_id: 'default', enabled: true }] : [], links: {} } };
        })
        .times(times);
    }
  }

  beforeEach(() => {
    agent = strictMockAgent();
    now = 0;
    calls = [];
    const keystone = new KeystoneClient(upstreamHttp('keystone', `${ORIGIN}/v3`, agent));
    lookup = new UserIdLookup(keystone, async () => SERVICE_TOKEN, { ttlMs: 60_000, now: () => now });
  });
  afterEach(() => agent.close());

  it("answers a name's user id, and undefined for a name Keystone does not know", async () => {
    keystoneKnows({ alice: 'a11ce' });
    await expect(lookup.userId('alice', 'Default')).resolves.toBe('a11ce');
    await expect(lookup.userId('nobody', 'Default')).resolves.toBeUndefined();
  });

  it('asks once per name, known or not, until the answer is older than its ttl', async () => {
    keystoneKnows({ alice: 'a11ce' }, 2);
    for (let round = 0; round < 3; round += 1) {
      await lookup.userId('alice', 'Default');
      await lookup.userId('nobody', 'Default');
    }
    expect(calls).toEqual(['domains', 'users:alice', 'users:nobody']);
    now = 60_000;
    await lookup.userId('nobody', 'Default');
    expect(calls).toEqual(['domains', 'users:alice', 'users:nobody', 'domains', 'users:nobody']);
  });

  it('shares one lookup among concurrent attempts by one name', async () => {
    keystoneKnows({ alice: 'a11ce' });
    const ids = await Promise.all(Array.from({ length: 20 }, () => lookup.userId('alice', 'Default')));
    expect(new Set(ids)).toEqual(new Set(['a11ce']));
    expect(calls).toEqual(['domains', 'users:alice']);
  });

  it('answers undefined without asking for users when the domain is unknown', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/domains?name=Elsewhere', method: 'GET' }).reply(200, { domains: [], links: {} });
    await expect(lookup.userId('alice', 'Elsewhere')).resolves.toBeUndefined();
  });

  it('caches no failure: the next attempt asks again', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: DOMAINS, method: 'GET' })
      .reply(403, { error: { code: 403 } });
    await upstreamFailure(lookup.userId('alice', 'Default'));
    keystoneKnows({ alice: 'a11ce' });
    await expect(lookup.userId('alice', 'Default')).resolves.toBe('a11ce');
  });
});
