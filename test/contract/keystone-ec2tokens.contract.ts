/**
 * The `/ec2tokens` part of the Keystone contract: how Keystone checks an AK/SK signature for a
 * service (the gateway's SigV4 authentication rests on it). Observed on a real Keystone 22; run
 * against both targets. Requests are signed by `aws4` from npm, a signer nobody here wrote.
 *
 * The pair belongs to a throwaway member of demo; the seeded users only make the calls.
 */

import { createHmac, randomBytes } from 'node:crypto';
import * as aws4 from 'aws4';
import {
  ContractContext,
  createThrowawayUser,
  deleteThrowawayUser,
  expectBadRequest,
  expectForbidden,
  expectJson,
  expectNotFound,
  expectUnauthorized,
  FERNET_LIKE_TOKEN,
  PLAIN_500,
  randomAccessKey,
  roleNames,
  sha256Hex,
  ThrowawayUser,
} from './keystone-contract-support';
import { describeSigned, GATEWAY_HOST, toDescription } from '../support/ec2-signature';

const BODY = '{"query":"{ viewer { user { id } } }"}';

/** A SigV4 description whose X-Amz-Date is `ageMs` old, signed by `aws4` at that date. */
function describeSignedAt(access: string, secret: string, ageMs: number) {
  const date = new Date(Date.now() - ageMs).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const signed = aws4.sign(
    {
      host: GATEWAY_HOST,
      method: 'POST',
      path: '/graphql',
      body: BODY,
      service: 'graphql',
      region: 'RegionOne',
      headers: { 'content-type': 'application/json', 'X-Amz-Date': date },
    },
    { accessKeyId: access, secretAccessKey: secret },
  );
  return toDescription(access, signed, { method: 'POST', path: '/graphql', body: BODY });
}

/** A signature version 2 description (`Ec2Signer._calc_signature_2`), signed for `host`. */
function describeVersion2(access: string, secret: string, signedHost: string, sentHost: string) {
  const params: Record<string, string> = {
    AWSAccessKeyId: access,
    Action: 'DescribeInstances',
    SignatureMethod: 'HmacSHA256',
    SignatureVersion: '2',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const query = Object.keys(params)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(params[key])}`)
    .join('&');
  const signature = createHmac('sha256', secret).update(`GET\n${signedHost}\n/\n${query}`).digest('base64');
  return { access, signature, host: sentHost, verb: 'GET', path: '/', params, headers: {} };
}

const REFUSED_EC2_TOKEN =
  '{"error": {"code": 403, "title": "Forbidden", "message": "You are not authorized to perform the requested action."}}';

export function describeEc2TokensContract(context: ContractContext): void {
  describe('POST /ec2tokens (EC2/S3 signature check for services)', () => {
    let owner: ThrowawayUser;
    const pair = { access: '', secret: '' };

    beforeAll(async () => {
      const { http, tokens, ids } = context;
      owner = await createThrowawayUser(context);
      const roles = expectJson(await http.send('GET', '/roles?name=member', { token: tokens.admin }), 200).roles;
      const grant = await http.send('PUT', `/projects/${ids.demo}/users/${owner.id}/roles/${roles[0].id}`, {
        token: tokens.admin,
      });
      expect(grant.status).toBe(204);
      pair.access = randomAccessKey();
      pair.secret = randomBytes(16).toString('hex');
      const created = await http.send('POST', '/credentials', {
        token: tokens.admin,
        json: {
          credential: {
            user_id: owner.id,
            project_id: ids.demo,
            type: 'ec2',
            blob: JSON.stringify({ access: pair.access, secret: pair.secret }),
          },
        },
      });
      expect(expectJson(created, 201).credential.id).toBe(sha256Hex(pair.access));
      context.createdCredentials.add(sha256Hex(pair.access));
    });

    afterAll(async () => {
      if (owner) await deleteThrowawayUser(context, owner.id);
    });

    /** As admin unless another token, or `null` for none, is given. */
    const post = (body: unknown, token: string | null = context.tokens.admin, query = '') =>
      context.http.send('POST', `/ec2tokens${query}`, { token: token ?? undefined, json: body });
    const signedPost = () => describeSigned(pair.access, pair.secret, { method: 'POST', path: '/graphql', body: BODY });

    test('a good SigV4 signature: 200, a token for the pair owner scoped to its project, methods ec2credential', async () => {
      const exchange = await post({ credentials: signedPost() }, context.tokens.admin, '?nocatalog');
      const { token } = expectJson(exchange, 200);
      expect(exchange.headers['x-subject-token']).toMatch(FERNET_LIKE_TOKEN);
      expect(token.methods).toEqual(['ec2credential']);
      expect(token.user).toMatchObject({ id: owner.id, name: owner.name });
      expect(token.project).toMatchObject({ id: context.ids.demo, name: 'demo' });
      expect(roleNames(token)).toContain('member');
      expect(roleNames(token)).not.toContain('admin');
      // ec2tokens ignores ?nocatalog.
      expect(Array.isArray(token.catalog)).toBe(true);
    });

    test('the older body key `credential` is accepted too', async () => {
      expectJson(await post({ credential: signedPost() }), 200);
    });

    test('the query-string form of a GET (X-Amz-* parameters) is checked as well', async () => {
      const description = describeSigned(pair.access, pair.secret, { method: 'GET', path: '/graphql', signQuery: true });
      expect(description.params['X-Amz-Algorithm']).toBe('AWS4-HMAC-SHA256');
      expectJson(await post({ credentials: description }), 200);
    });

    test('signature version 2 signed without the port passes on the retry without it', async () => {
      const withoutPort = describeVersion2(pair.access, pair.secret, 'gateway.example', GATEWAY_HOST);
      expectJson(await post({ credentials: withoutPort }), 200);
      const wrongHost = describeVersion2(pair.access, pair.secret, 'elsewhere.example', GATEWAY_HOST);
      expectUnauthorized(await post({ credentials: wrongHost }), context.keystoneUrl);
    });

    test('the ec2 token can be validated by an admin, but authorizes nothing on Keystone itself', async () => {
      const exchange = await post({ credentials: signedPost() });
      const ec2Token = exchange.headers['x-subject-token'] as string;
      const validated = await context.http.send('GET', '/auth/tokens?nocatalog', {
        token: context.tokens.admin,
        subjectToken: ec2Token,
      });
      expect(expectJson(validated, 200).token.methods).toEqual(['ec2credential']);

      for (const path of [`/users/${owner.id}`, '/auth/tokens', '/credentials', '/no-such-route']) {
        const refused = await context.http.send('GET', path, { token: ec2Token, subjectToken: ec2Token });
        expect({ path, status: refused.status, text: refused.text }).toEqual({ path, status: 403, text: REFUSED_EC2_TOKEN });
        expect(refused.headers['www-authenticate']).toBeUndefined();
      }
      const again = await post({ credentials: signedPost() }, ec2Token);
      expect([again.status, again.text]).toEqual([403, REFUSED_EC2_TOKEN]);
    });

    test('policy is admin-or-service: a member gets 403, no token 401', async () => {
      expectForbidden(await post({ credentials: signedPost() }, context.tokens.alice), 'identity:ec2tokens_validate');
      expectUnauthorized(await post({ credentials: signedPost() }, null), context.keystoneUrl);
    });

    test('an empty body or an empty object: 400', async () => {
      expectBadRequest(await post({}), 'request must include a request body');
      const empty = await context.http.send('POST', '/ec2tokens', { token: context.tokens.admin });
      expectBadRequest(empty, 'request must include a request body');
    });

    test('a bad, missing or tampered signature, a missing access key: the same bare 401', async () => {
      const { keystoneUrl } = context;
      const good = signedPost();
      expectUnauthorized(await post({ credentials: { ...good, signature: '0'.repeat(64) } }), keystoneUrl);
      const { signature: _dropped, ...unsigned } = good;
      expectUnauthorized(await post({ credentials: unsigned }), keystoneUrl);
      const { access: _access, ...anonymous } = good;
      expectUnauthorized(await post({ credentials: anonymous }), keystoneUrl);
      // The body is covered through body_hash, and the path and verb through the canonical request.
      expectUnauthorized(await post({ credentials: { ...good, body_hash: sha256Hex('{}') } }), keystoneUrl);
      expectUnauthorized(await post({ credentials: { ...good, path: '/other' } }), keystoneUrl);
      const other = describeSigned(pair.access, randomBytes(16).toString('hex'), {
        method: 'POST',
        path: '/graphql',
        body: BODY,
      });
      expectUnauthorized(await post({ credentials: other }), keystoneUrl);
    });

    test('an unknown access key: 404 naming the credential id, not 401', async () => {
      const unknown = randomAccessKey();
      const description = describeSigned(unknown, pair.secret, { method: 'POST', path: '/graphql', body: BODY });
      expectNotFound(await post({ credentials: description }), `Could not find credential: ${sha256Hex(unknown)}.`);
    });

    test('a timestamp older than 15 minutes: 401; a few minutes old: accepted', async () => {
      expectUnauthorized(
        await post({ credentials: describeSignedAt(pair.access, pair.secret, 20 * 60_000) }),
        context.keystoneUrl,
      );
      expectJson(await post({ credentials: describeSignedAt(pair.access, pair.secret, 5 * 60_000) }), 200);
    });

    test('an X-Amz-Date that does not match the credential scope date: a plain 500', async () => {
      const good = signedPost();
      const headers = { ...good.headers, 'X-Amz-Date': '20200101T000000Z' };
      const exchange = await post({ credentials: { ...good, headers } });
      expect([exchange.status, exchange.text]).toEqual([500, PLAIN_500]);
    });

    test('GET is not served: 405', async () => {
      const exchange = await context.http.send('GET', '/ec2tokens', { token: context.tokens.admin });
      expect(exchange.status).toBe(405);
    });
  });
}
