/**
 * AK/SK-signed (SigV4) requests through the real gateway, signed by clients nobody here wrote
 * (aws4, curl, botocore), against the embedded emulator and against the real Keystone. Keystone
 * checks each signature; the gateway acts with its service identity within the signer's policy.
 */

import { DEMO_LOGINS } from '../../src/emulator/seed';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { describeWithRealKeystone } from '../support/real-keystone';
import { aws4Client, aws4Request, AkSkKeys, operation, sendSigned, SIGNED_CLIENTS, SignedResult } from '../support/sigv4-clients';

const VIEWER = '{ viewer { user { id name } project { id name } roles { name } methods isAdmin } }';
const CREATE =
  'mutation($userId: ID!, $description: String) { createAkSk(input: { userId: $userId, description: $description }) { accessKey secretKey userId projectId } }';
const LIST = 'query($userId: ID!) { akSk(userId: $userId) { accessKey userId } }';
const DELETE_ONE = 'mutation($accessKey: String!) { deleteAkSkByAccessKey(accessKey: $accessKey) { accessKey userId } }';
const VERIFY =
  'mutation($accessKey: String!, $secretKey: String!) { verifyAkSk(accessKey: $accessKey, secretKey: $secretKey) { valid accessKey user { id name } project { name } reason } }';

/** The data of a signed request's answer; fails with the errors when there are any. */
function signedData(result: SignedResult): any {
  return dataOf<any>({ status: 200, headers: new Headers(), ...result });
}

function codeOf(result: SignedResult): string {
  return result.errors?.length ? String(result.errors[0].extensions?.code) : 'OK';
}

function describeSignedRequests(target: string, start: () => Promise<GatewayHarness>): void {
  describe(`AK/SK-signed requests: ${target}`, () => {
    let harness: GatewayHarness;
    let graphqlUrl: string;
    const alice = { id: '', token: '' };
    const bob = { id: '', token: '' };
    let pair: AkSkKeys;
    const made = new Set<string>();

    async function login(user: { name: string; password: string }) {
      const result = await harness.graphql<any>('mutation($input: LoginInput!) { login(input: $input) { token user { id } } }', {
        input: { username: user.name, password: user.password, scope: { projectName: 'demo' } },
      });
      const { token, user: who } = dataOf(result).login;
      return { id: who.id as string, token: token as string };
    }

    async function createFor(token: string, userId: string): Promise<AkSkKeys> {
      const created = dataOf(await harness.graphql<any>(CREATE, { userId }, { token })).createAkSk;
      made.add(created.accessKey);
      recordSecrets([created.secretKey]);
      return { accessKey: created.accessKey, secretKey: created.secretKey };
    }

    beforeAll(async () => {
      harness = await start();
      graphqlUrl = `${harness.gateway.url}/graphql`;
      Object.assign(alice, await login(DEMO_LOGINS.alice));
      Object.assign(bob, await login(DEMO_LOGINS.bob));
      pair = await createFor(alice.token, alice.id);
    });

    afterAll(async () => {
      if (!harness) return;
      for (const accessKey of made) await harness.graphql(DELETE_ONE, { accessKey }, { token: alice.token });
      await harness.close();
    });

    describe.each(SIGNED_CLIENTS)('%s', (_name, client) => {
      test('viewer: the pair owner in the pair project, as Keystone reports it', async () => {
        const { viewer } = signedData(await client(graphqlUrl, pair, operation(VIEWER)));
        expect(viewer.user).toEqual({ id: alice.id, name: 'alice' });
        expect(viewer.project.name).toBe('demo');
        expect(viewer.methods).toEqual(['ec2credential']);
        expect(viewer.isAdmin).toBe(false);
        expect(viewer.roles.map((role: { name: string }) => role.name)).toContain('member');
      });

      test('the seed flow: create a pair for itself, list it, delete it', async () => {
        // A body of its own per client: two clients signing the same mutation in the same second
        // would send the same signature, which the gateway rightly refuses as a replay.
        const variables = { userId: alice.id, description: `seed flow by ${_name}` };
        const created = signedData(await client(graphqlUrl, pair, operation(CREATE, variables))).createAkSk;
        made.add(created.accessKey);
        recordSecrets([created.secretKey]);
        expect(created).toMatchObject({ userId: alice.id });
        const listed = signedData(await client(graphqlUrl, pair, operation(LIST, { userId: alice.id }))).akSk;
        expect(listed.map((entry: { accessKey: string }) => entry.accessKey)).toContain(created.accessKey);
        const deleted = signedData(await client(graphqlUrl, pair, operation(DELETE_ONE, { accessKey: created.accessKey })));
        expect(deleted.deleteAkSkByAccessKey).toEqual({ accessKey: created.accessKey, userId: alice.id });
        made.delete(created.accessKey);
      });
    });

    test('nothing a signer does exceeds its password token: the same answer for each operation', async () => {
      const operations: [string, string, Record<string, unknown>][] = [
        ['create for another user', CREATE, { userId: bob.id }],
        ["list another user's pairs", LIST, { userId: bob.id }],
        ['list own pairs', LIST, { userId: alice.id }],
        ['list users', '{ users { id } }', {}],
        ['read another user', 'query($id: ID!) { user(id: $id) { id } }', { id: bob.id }],
        ['read itself', 'query($id: ID!) { user(id: $id) { id } }', { id: alice.id }],
      ];
      const answers = [];
      for (const [label, query, variables] of operations) {
        const signed = codeOf(await aws4Client(graphqlUrl, pair, operation(query, variables)));
        const withToken = codeOf((await harness.graphql(query, variables, { token: alice.token })) as SignedResult);
        answers.push({ label, signed, withToken });
      }
      for (const answer of answers) expect(answer.signed).toBe(answer.withToken);
      expect(answers.find((answer) => answer.label === 'create for another user')?.signed).toBe('FORBIDDEN');
      expect(answers.find((answer) => answer.label === 'list own pairs')?.signed).toBe('OK');
    });

    test('a wrong secret, a clock too far off: UNAUTHENTICATED with a reason to act on', async () => {
      const wrong = await aws4Client(graphqlUrl, { ...pair, secretKey: `${pair.secretKey}x` }, operation(VIEWER));
      expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors?.[0].message).toMatch(/Keystone refused the signature/);
      const late = await sendSigned(aws4Request(graphqlUrl, pair, operation(VIEWER), new Date(Date.now() - 20 * 60_000)));
      expect(codeOf(late)).toBe('UNAUTHENTICATED');
      expect(late.errors?.[0].message).toMatch(/too far from the server time/);
    });

    test('a replayed mutation is refused; a replayed query is not', async () => {
      const query = aws4Request(graphqlUrl, pair, operation(VIEWER));
      expect(codeOf(await sendSigned(query))).toBe('OK');
      expect(codeOf(await sendSigned(query))).toBe('OK');
      const mutation = aws4Request(graphqlUrl, pair, operation(CREATE, { userId: alice.id }));
      const first = signedData(await sendSigned(mutation)).createAkSk;
      made.add(first.accessKey);
      recordSecrets([first.secretKey]);
      const replay = await sendSigned(mutation);
      expect(codeOf(replay)).toBe('UNAUTHENTICATED');
      expect(replay.errors?.[0].message).toMatch(/already used/);
    });

    test('a deleted pair stops working at once', async () => {
      const doomed = await createFor(alice.token, alice.id);
      expect(codeOf(await aws4Client(graphqlUrl, doomed, operation(VIEWER)))).toBe('OK');
      dataOf(await harness.graphql(DELETE_ONE, { accessKey: doomed.accessKey }, { token: alice.token }));
      made.delete(doomed.accessKey);
      expect(codeOf(await aws4Client(graphqlUrl, doomed, operation(VIEWER)))).toBe('UNAUTHENTICATED');
    });

    test('verifyAkSk: the owner learns valid and whose; a wrong secret is not valid; another member may not ask', async () => {
      const good = dataOf(await harness.graphql<any>(VERIFY, { ...pair }, { token: alice.token })).verifyAkSk;
      expect(good).toEqual({
        valid: true,
        accessKey: pair.accessKey,
        user: { id: alice.id, name: 'alice' },
        project: { name: 'demo' },
        reason: null,
      });
      const wrong = dataOf(
        await harness.graphql<any>(VERIFY, { accessKey: pair.accessKey, secretKey: 'not-the-secret' }, { token: alice.token }),
      ).verifyAkSk;
      expect(wrong).toMatchObject({ valid: false, user: null, reason: expect.stringMatching(/not the secret/) });
      const other = await harness.graphql(VERIFY, { ...pair }, { token: bob.token });
      expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // A signed request may verify its own pair too.
      const signed = signedData(await aws4Client(graphqlUrl, pair, operation(VERIFY, { ...pair }))).verifyAkSk;
      expect(signed.valid).toBe(true);
    });

    test('no secret key or signature reaches a log line', () => {
      const leaks = harness.logLines.filter((line) => line.includes(pair.secretKey));
      expect(leaks).toEqual([]);
    });
  });
}

describeSignedRequests('embedded emulator', () => startGatewayHarness());

describeWithRealKeystone('AK/SK-signed requests against the real Keystone', (keystoneUrl) => {
  describeSignedRequests(`real Keystone at ${keystoneUrl}`, () =>
    startGatewayHarness({
      upstreams: { keystoneUrl, multicloudUrl: undefined },
      env: {
        AKSK_BACKEND: 'keystone',
        KEYSTONE_SERVICE_USERNAME: 'aksk-service',
        KEYSTONE_SERVICE_PASSWORD: 'aksk-service-password',
        KEYSTONE_SERVICE_PROJECT: 'service',
      },
    }),
  );
});
