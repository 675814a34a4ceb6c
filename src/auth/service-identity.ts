import { inspect } from 'node:util';
import { ServiceCredentials } from '../config';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';

export interface ServiceIdentityOptions {
  now?: () => number;
  /** How long before the token's end a new one is fetched; at most half the token's lifetime. */
  renewBeforeMs?: number;
}

const DEFAULT_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * A project-scoped token of the service user, for work no caller's token may do (the expiry
 * sweeper, ec2tokens checks). Password login, not an application credential: Keystone refuses
 * delegated tokens any access to `/v3/credentials`. One login per token lifetime, shared by
 * every concurrent caller, renewed before it ends; the token and the password stay in private
 * fields so neither logging nor `JSON.stringify` can reach them.
 */
export class ServiceIdentity {
  readonly #keystone: KeystoneClient;
  readonly #credentials: ServiceCredentials;
  readonly #now: () => number;
  readonly #renewBeforeMs: number;
  #cached: { token: string; renewAt: number } | undefined;
  #pending: Promise<string> | undefined;
  /** Bumped by `forget()`, so a login started before it cannot cache a token after it. */
  #generation = 0;

  constructor(keystone: KeystoneClient, credentials: ServiceCredentials, options: ServiceIdentityOptions = {}) {
    this.#keystone = keystone;
    this.#credentials = credentials;
    this.#now = options.now ?? Date.now;
    this.#renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  }

  /** Who the gateway acts as, for log lines and start-up messages: never the password. */
  get username(): string {
    return this.#credentials.username;
  }

  get projectName(): string {
    return this.#credentials.projectName;
  }

  token(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.renewAt) return Promise.resolve(cached.token);
    this.#pending ??= this.#login().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Drops the cached token, e.g. after Keystone answered 401 to it (revoked, keys rotated). */
  forget(): void {
    this.#cached = undefined;
    this.#pending = undefined;
    this.#generation += 1;
  }

  async #login(): Promise<string> {
    const generation = this.#generation;
    const startedAt = this.#now();
    const { username, password, projectName, domainName } = this.#credentials;
    const issued = await this.#keystone.createToken({
      auth: { method: 'password', user: { name: username, domainName, password } },
      scope: { name: projectName, domainName },
    });
    // Measured on Keystone's clock, applied on ours: immune to skew between the two.
    const lifetimeMs = issued.details.expiresAt.getTime() - issued.details.issuedAt.getTime();
    const renewBeforeMs = Math.min(this.#renewBeforeMs, lifetimeMs / 2);
    if (generation === this.#generation) {
      this.#cached = { token: issued.token, renewAt: startedAt + lifetimeMs - renewBeforeMs };
    }
    return issued.token;
  }

  toJSON(): object {
    return { username: this.username, projectName: this.projectName };
  }

  toString(): string {
    return `ServiceIdentity(${this.username}@${this.projectName})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
