/** Helpers shared by the parts of the Keystone contract (see `keystone.contract.ts`). */

import { createHash, randomBytes } from 'node:crypto';
import type { DemoLogin } from '../../src/emulator/seed';
import type { Exchange, KeystoneHttp } from './keystone-http';

export const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const KEYSTONE_ID = /^[0-9a-f]{32}$/;
export const FERNET_LIKE_TOKEN = /^gAAAAAB[A-Za-z0-9_-]{100,300}$/;
export const KEYSTONE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/;
export const AUDIT_ID = /^[A-Za-z0-9_-]{22}$/;
export const CLIENT_IN_ERROR =
  ' The server could not comply with the request since it is either malformed or otherwise' +
  ' incorrect. The client is assumed to be in error.';
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';
export const SUPPORTED_METHODS = ['external', 'password', 'token', 'oauth1', 'mapped', 'application_credential'];
export const PLAIN_500 = 'A server error occurred.  Please contact the administrator.';
/** oslo.middleware's default `max_request_body_size`. */
export const MAX_BODY_BYTES = 114_688;

export type Scope = unknown;

export function passwordIdentity(user: DemoLogin, reference: 'name' | { id: string } = 'name') {
  const userRef =
    reference === 'name'
      ? { name: user.name, domain: { name: 'Default' }, password: user.password }
      : { id: reference.id, password: user.password };
  return { methods: ['password'], password: { user: userRef } };
}

export function passwordAuth(user: DemoLogin, scope?: Scope) {
  return { auth: { identity: passwordIdentity(user), ...(scope === undefined ? {} : { scope }) } };
}

export function tokenAuth(token: string, scope?: Scope) {
  return { auth: { identity: { methods: ['token'], token: { id: token } }, ...(scope === undefined ? {} : { scope }) } };
}

export function demoScope() {
  return { project: { name: 'demo', domain: { id: 'default' } } };
}

/** Headers every response of Keystone's application carries. */
export function expectApplicationHeaders(exchange: Exchange): void {
  expect(exchange.headers['x-openstack-request-id']).toMatch(REQUEST_ID);
  expect(exchange.headers.vary).toBe('X-Auth-Token');
}

export function expectJson(exchange: Exchange, status: number): any {
  if (exchange.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${exchange.status}: ${exchange.text.slice(0, 500)}`);
  }
  expectApplicationHeaders(exchange);
  expect(exchange.headers['content-type']).toBe('application/json');
  return exchange.json();
}

export function expectError(exchange: Exchange, status: number, title: string, message: string): void {
  expect(expectJson(exchange, status)).toEqual({ error: { code: status, message, title } });
}

export function expectUnauthorized(exchange: Exchange, keystoneUrl: string): void {
  expectError(exchange, 401, 'Unauthorized', UNAUTHORIZED_MESSAGE);
  expect(exchange.headers['www-authenticate']).toBe(`Keystone uri="${keystoneUrl.replace(/\/+$/, '')}"`);
}

export function expectForbidden(exchange: Exchange, action: string): void {
  expectError(exchange, 403, 'Forbidden', `You are not authorized to perform the requested action: ${action}.`);
}

export function expectBadRequest(exchange: Exchange, message: string): void {
  expectError(exchange, 400, 'Bad Request', message);
}

export function expectNotFound(exchange: Exchange, message: string): void {
  expectError(exchange, 404, 'Not Found', message);
}

export function expectTokenShape(token: any, user: { id: string; name: string }): void {
  expect(token.user).toEqual({
    domain: { id: 'default', name: 'Default' },
    id: user.id,
    name: user.name,
    password_expires_at: null,
  });
  expect(token.issued_at).toMatch(KEYSTONE_TIME);
  expect(token.expires_at).toMatch(KEYSTONE_TIME);
  expect(token.audit_ids.length).toBeGreaterThanOrEqual(1);
  for (const auditId of token.audit_ids) expect(auditId).toMatch(AUDIT_ID);
  // The token itself travels only in X-Subject-Token.
  expect(token).not.toHaveProperty('id');
}

export function roleNames(token: any): string[] {
  return token.roles.map((role: { name: string }) => role.name).sort();
}

export function randomAccessKey(): string {
  return `contract${randomBytes(8).toString('hex')}`;
}

export function ec2Blob(access: string, secret = randomBytes(16).toString('hex')): string {
  return JSON.stringify({ access, secret });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the contract's `beforeAll` sets up, shared with the parts defined in other files. */
export interface ContractContext {
  http: KeystoneHttp;
  /** The v3 base URL without a trailing slash. */
  keystoneUrl: string;
  /** Tokens of the seeded users; never revoked by a test. `admin` is scoped to project admin. */
  tokens: { admin: string; alice: string; bob: string; carol: string };
  ids: { admin: string; alice: string; bob: string; carol: string; demo: string; adminProject: string };
  /** Credential ids the contract's `afterAll` deletes (as admin). */
  createdCredentials: Set<string>;
  /** Password or token login; fails the test unless 201. */
  login(body: unknown, query?: string): Promise<{ subject: string; token: any; exchange: Exchange }>;
}

/** A name no other run uses, so tests can run again and again against one real Keystone. */
export function randomName(prefix = 'contract'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A user a test made for itself (and must delete): it alone may get credentials from tests. */
export interface ThrowawayUser extends DemoLogin {
  id: string;
  /** The `user` of the 201 answer. */
  body: any;
}

/** `POST /users` as admin, in the default domain, with a random name and password. */
export async function createThrowawayUser(
  context: ContractContext,
  attributes: Record<string, unknown> = {},
): Promise<ThrowawayUser> {
  const name = randomName();
  const password = randomBytes(12).toString('hex');
  const exchange = await context.http.send('POST', '/users', {
    token: context.tokens.admin,
    json: { user: { name, password, domain_id: 'default', ...attributes } },
  });
  const body = expectJson(exchange, 201).user;
  return { id: body.id, name, password, body };
}

/** Deletes the user (and with it its credentials); a user already gone is fine. */
export async function deleteThrowawayUser(context: ContractContext, id: string): Promise<void> {
  const exchange = await context.http.send('DELETE', `/users/${id}`, { token: context.tokens.admin });
  if (exchange.status !== 204 && exchange.status !== 404) {
    throw new Error(`could not delete throwaway user ${id}: HTTP ${exchange.status} ${exchange.text.slice(0, 200)}`);
  }
}
