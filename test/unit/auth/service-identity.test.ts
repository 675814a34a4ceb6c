import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import { ServiceIdentity } from '../../../src/auth/service-identity';
import { ServiceCredentials } from '../../../src/config';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { FERNET_TOKEN, OTHER_TOKEN, scopedTokenBody, UNAUTHORIZED_BODY } from '../upstreams/keystone/keystone-fixtures';
import { jsonBody, JSON_HEADERS, strictMockAgent, upstreamFailure, upstreamHttp } from '../upstreams/upstream-test-kit';

const ORIGIN = 'http://keystone.test';
const ISSUED = Date.parse('2026-11-26T04:00:00.000Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;

const SERVICE: ServiceCredentials = {
  username: 'aksk-service',
  password: 'aksk-service-password-for-unit-tests',
  projectName: 'service',
  domainName: 'Default',
};

const LOGIN_BODY = {
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: SERVICE.username, domain: { name: 'Default' }, password: SERVICE.password } },
    },
    scope: { project: { name: 'service', domain: { name: 'Default' } } },
  },
};

/** A Keystone that issues the tokens queued in `tokens`, each valid for `lifetimeMs` (by Keystone's clock). */
class IssuingKeystone {
  logins = 0;
  status = 201;
  lifetimeMs = HOUR;
  /** Keystone's clock: deliberately a day off the gateway's, which must not matter. */
  readonly keystoneNow = ISSUED - 24 * HOUR;
  private readonly tokens = [FERNET_TOKEN, OTHER_TOKEN, `${FERNET_TOKEN}3`];

  constructor(agent: MockAgent) {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/auth/tokens?nocatalog=', method: 'POST', body: jsonBody(LOGIN_BODY) })
      .reply<object>(() => {
        this.logins += 1;
        const token = this.tokens[(this.logins - 1) % this.tokens.length];
        if (this.status !== 201)
          return { statusCode: this.status, data: UNAUTHORIZED_BODY, responseOptions: { headers: JSON_HEADERS } };
        return {
          statusCode: 201,
          data: scopedTokenBody({
            issued_at: new Date(this.keystoneNow).toISOString(),
            expires_at: new Date(this.keystoneNow + this.lifetimeMs).toISOString(),
          }),
          responseOptions: { headers: { ...JSON_HEADERS, 'x-subject-token': token } },
        };
      })
      .persist();
  }
}

describe('ServiceIdentity', () => {
  let agent: MockAgent;
  let keystone: IssuingKeystone;
  let now: number;
  let identity: ServiceIdentity;

  beforeEach(() => {
    now = ISSUED;
    agent = strictMockAgent();
    keystone = new IssuingKeystone(agent);
    const client = new KeystoneClient(upstreamHttp('keystone', `${ORIGIN}/v3`, agent));
    identity = new ServiceIdentity(client, SERVICE, { now: () => now, renewBeforeMs: 5 * MINUTE });
  });
  afterEach(async () => {
    await agent.close();
  });

  it('logs in once, with the password, scoped to the service project, and reuses the token', async () => {
    expect(await identity.token()).toBe(FERNET_TOKEN);
    now += 30 * MINUTE;
    expect(await identity.token()).toBe(FERNET_TOKEN);
    expect(keystone.logins).toBe(1);
  });

  it("renews before the token ends, by the token's lifetime on the gateway's clock", async () => {
    await identity.token();
    now = ISSUED + HOUR - 5 * MINUTE - 1;
    expect(await identity.token()).toBe(FERNET_TOKEN);
    now += 1;
    expect(await identity.token()).toBe(OTHER_TOKEN);
    expect(keystone.logins).toBe(2);
  });

  it('renews at half the lifetime of a token shorter than twice the margin', async () => {
    keystone.lifetimeMs = 4 * MINUTE;
    await identity.token();
    now = ISSUED + 2 * MINUTE - 1;
    expect(await identity.token()).toBe(FERNET_TOKEN);
    now += 1;
    expect(await identity.token()).toBe(OTHER_TOKEN);
  });

  it('shares one login among concurrent callers', async () => {
    const waiting = Array.from({ length: 20 }, () => identity.token());
    expect(new Set(await Promise.all(waiting))).toEqual(new Set([FERNET_TOKEN]));
    expect(keystone.logins).toBe(1);
  });

  it('logs in again after forget(), and a login in flight when forgotten is not cached', async () => {
    const inFlight = identity.token();
    identity.forget();
    expect(await inFlight).toBe(FERNET_TOKEN);
    expect(await identity.token()).toBe(OTHER_TOKEN);
    expect(await identity.token()).toBe(OTHER_TOKEN);
    identity.forget();
    expect(await identity.token()).toBe(`${FERNET_TOKEN}3`);
    expect(keystone.logins).toBe(3);
  });

  it('keeps no failure: the next call logs in again', async () => {
    keystone.status = 401;
    const failure = await upstreamFailure(identity.token());
    expect(failure.message).not.toContain(SERVICE.password);
    keystone.status = 201;
    expect(await identity.token()).toBe(OTHER_TOKEN);
    expect(keystone.logins).toBe(2);
  });

  it('shows neither the token nor the password when logged or serialised', async () => {
    await identity.token();
    for (const shown of [JSON.stringify(identity), inspect(identity, { showHidden: true, depth: 5 }), String(identity)]) {
      expect(shown).not.toContain(FERNET_TOKEN);
      expect(shown).not.toContain(SERVICE.password);
    }
    expect(JSON.parse(JSON.stringify(identity))).toEqual({ username: 'aksk-service', projectName: 'service' });
  });
});
