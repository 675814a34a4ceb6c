/**
 * Authenticates AK/SK-signed (SigV4) requests. Keystone decides who: every signature goes to
 * `/v3/ec2tokens` with the service identity's token, because checking an HMAC signature locally
 * needs the secret or a key derived from it (SigV4's signing key), and either one is enough to
 * forge any request to this gateway: there is no verify-only form of an AK/SK pair. What the
 * gateway keeps per access key is only the pair's state (status, expiry), read from the
 * credential with the service identity, reused for at most `recheckMs` (in Redis too when set).
 * A replayed signature of a state-changing request is refused within the clock-skew window.
 */

import { hash } from 'node:crypto';
import { ErrorCode } from '../errors/error-code';
import { GatewayError, unauthenticated } from '../errors/gateway-error';
import { KeyValueStore } from '../state/key-value-store';
import { Credential } from '../upstreams/credentials/credentials.types';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { TokenDetails } from '../upstreams/keystone/keystone.types';
import { UpstreamError } from '../errors/upstream-error';
import { signProbe } from './sigv4-signer';
import { HttpRequestParts, readSignedRequest, SignedRequest, SigV4Refusal, SigV4Settings } from './sigv4-request';

/** What the gateway needs of the service identity (`service-identity.ts`). */
export interface ServiceTokenSource {
  token(): Promise<string>;
  forget(): void;
}

/** A pair's state as its credential blob tells it. */
export interface PairState {
  active: boolean;
  /** Epoch milliseconds; `undefined` for a pair that never expires. */
  expiresAt: number | undefined;
}

export interface SigV4AuthenticatorOptions {
  /** The scope clients sign for and the clock-skew window (replays are remembered that long each way). */
  settings: SigV4Settings;
  /** How long a pair's state is trusted before it is read again. */
  recheckMs: number;
  /** Shared with other replicas when Redis is configured. */
  store: KeyValueStore;
  now?: () => number;
  /** Reads the pair's state from its credential (the lifecycle module owns the blob's fields). */
  readPairState(credential: Credential): PairState;
  /** Reads the credential of a pair with the service token. */
  getCredential(serviceToken: string, credentialId: string): Promise<Credential>;
  /** A pair's use, recorded at most once per `lastUsedResolutionMs` (its `lastUsedAt`); absent: not recorded. */
  recordUse?: {
    resolutionMs: number;
    /** Writes the time into the pair's credential with the service token (the lifecycle module owns the blob). */
    write(serviceToken: string, accessKey: string, at: Date): Promise<unknown>;
    /** A write that failed: the request it came from has succeeded all the same. */
    onFailure(error: unknown): void;
  };
}

/** The caller of a signed request, as Keystone's ec2tokens answer describes it. */
export type SignedCaller = TokenDetails & { accessKey: string };

export class SigV4Authenticator {
  private readonly now: () => number;
  private readonly pairStates = new Map<string, { state: PairState; checkedAt: number }>();
  private readonly pending = new Map<string, Promise<PairState>>();
  /** When this replica last saw each pair used, so most uses cost nothing at all. */
  private readonly usesNoted = new Map<string, number>();
  private readonly useWrites = new Set<Promise<void>>();

  constructor(
    private readonly serviceIdentity: ServiceTokenSource,
    private readonly options: SigV4AuthenticatorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Reads the request (refusals are UNAUTHENTICATED with the reason), then `authenticate`. */
  async authenticateHttp(parts: HttpRequestParts, keystone: KeystoneClient, changesState: boolean): Promise<SignedCaller> {
    let signed: SignedRequest;
    try {
      signed = readSignedRequest(parts, this.options.settings, this.now());
    } catch (error) {
      if (error instanceof SigV4Refusal) throw unauthenticated(error.reason);
      throw error;
    }
    return this.authenticate(signed, keystone, changesState);
  }

  /** Keystone checks the signature; then the pair's state and, for a change of state, replays. */
  async authenticate(signed: SignedRequest, keystone: KeystoneClient, changesState: boolean): Promise<SignedCaller> {
    const serviceToken = await this.serviceIdentity.token();
    const details = await keystone.createEc2Token(serviceToken, signed.credentials);
    if (!details.project)
      throw new GatewayError(ErrorCode.UpstreamError, 'Keystone answered the signature check without a project.');
    const state = await this.pairState(signed.accessKey, serviceToken);
    if (!state.active) throw unauthenticated('The access key is inactive: activate it, or sign with another pair.');
    if (state.expiresAt !== undefined && state.expiresAt <= this.now()) {
      throw unauthenticated('The access key has expired: sign with another pair.');
    }
    if (changesState) await this.refuseReplay(signed);
    this.noteUse(signed.accessKey);
    return { ...details, accessKey: signed.accessKey };
  }

  /** Resolves once every `lastUsedAt` write started so far has ended (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.useWrites]);
  }

  /**
   * Records a successful use off the request's path, never failing it: at most one write per
   * pair per resolution, decided here for this replica and through the store (Redis) for all.
   */
  private noteUse(accessKey: string): void {
    const recordUse = this.options.recordUse;
    if (!recordUse) return;
    const now = this.now();
    const noted = this.usesNoted.get(accessKey);
    if (noted !== undefined && now - noted < recordUse.resolutionMs) return;
    this.usesNoted.set(accessKey, now);
    const key = `sigv4-used:${hash('sha256', accessKey, 'base64url')}`;
    const write = (async () => {
      if (!(await this.options.store.setIfAbsent(key, String(now), recordUse.resolutionMs))) return;
      try {
        await recordUse.write(await this.serviceIdentity.token(), accessKey, new Date(now));
      } catch (error) {
        // The next use, on any replica, tries again.
        this.usesNoted.delete(accessKey);
        await this.options.store.delete(key).catch(() => undefined);
        throw error;
      }
    })().catch((error: unknown) => recordUse.onFailure(error));
    this.useWrites.add(write);
    void write.finally(() => this.useWrites.delete(write));
  }

  /**
   * Whether `secretKey` is the secret of `accessKey`, as Keystone says when asked to check a
   * probe signed with it. `undefined` when Keystone refuses the signature.
   */
  async checkPair(accessKey: string, secretKey: string, keystone: KeystoneClient): Promise<TokenDetails | undefined> {
    const probe = signProbe(accessKey, secretKey, this.options.settings, this.now());
    try {
      return await keystone.createEc2Token(await this.serviceIdentity.token(), probe);
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(401, 404)) return undefined;
      throw error;
    }
  }

  /** A pair's credential, read with the service identity; 404 when there is none. */
  async credentialOf(accessKey: string): Promise<Credential> {
    return this.options.getCredential(await this.serviceIdentity.token(), hash('sha256', accessKey, 'hex'));
  }

  /** The token to act upstream with for a signer, once the policy allowed the operation. */
  serviceToken(): Promise<string> {
    return this.serviceIdentity.token();
  }

  /** Forgets a pair's state at once, e.g. after it was deactivated through this gateway. */
  async forget(accessKey: string): Promise<void> {
    this.pairStates.delete(accessKey);
    await this.options.store.delete(stateKey(accessKey)).catch(() => undefined);
  }

  private async pairState(accessKey: string, serviceToken: string): Promise<PairState> {
    const cached = this.pairStates.get(accessKey);
    if (cached && this.now() - cached.checkedAt < this.options.recheckMs) return cached.state;
    let lookup = this.pending.get(accessKey);
    if (!lookup) {
      lookup = this.readState(accessKey, serviceToken).finally(() => this.pending.delete(accessKey));
      this.pending.set(accessKey, lookup);
    }
    return lookup;
  }

  private async readState(accessKey: string, serviceToken: string): Promise<PairState> {
    const shared = await this.options.store.get(stateKey(accessKey)).catch(() => undefined);
    if (shared) {
      const { state, checkedAt } = JSON.parse(shared) as { state: PairState; checkedAt: number };
      if (this.now() - checkedAt < this.options.recheckMs) {
        this.pairStates.set(accessKey, { state, checkedAt });
        return state;
      }
    }
    const checkedAt = this.now();
    let credential: Credential;
    try {
      credential = await this.options.getCredential(serviceToken, hash('sha256', accessKey, 'hex'));
    } catch (error) {
      // Deleted between Keystone's check and this read.
      if (error instanceof UpstreamError && error.hasStatus(404))
        throw unauthenticated('The access key is unknown or not active.');
      throw error;
    }
    const state = this.options.readPairState(credential);
    this.pairStates.set(accessKey, { state, checkedAt });
    if (this.options.recheckMs > 0) {
      await this.options.store
        .set(stateKey(accessKey), JSON.stringify({ state, checkedAt }), this.options.recheckMs)
        .catch(() => undefined);
    }
    return state;
  }

  /** One use per signature: the first replica to count it wins, Redis making the count shared. */
  private async refuseReplay(signed: SignedRequest): Promise<void> {
    const uses = await this.options.store.increment(`sigv4-replay:${signed.signature}`, 2 * this.options.settings.clockSkewMs);
    if (uses > 1) {
      throw unauthenticated('This signed request was already used to change something: sign each request anew.');
    }
  }
}

const stateKey = (accessKey: string) => `sigv4-pair:${hash('sha256', accessKey, 'base64url')}`;
