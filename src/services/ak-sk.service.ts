import DataLoader from 'dataloader';
import { failureFor } from '../errors/client-error';
import { ErrorCode } from '../errors/error-code';
import { badUserInput, GatewayError } from '../errors/gateway-error';
import { AkSkFileFormat } from '../downloads/ak-sk-file';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../upstreams/ak-sk-backend';
import { CredentialsClient, parseEc2Blob } from '../upstreams/credentials/credentials-client';
import { ec2CredentialId } from '../upstreams/credentials/keystone-ak-sk-backend';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { DomainScopedRef } from '../upstreams/keystone/keystone.types';
import { UpstreamError } from '../errors/upstream-error';
import { checkAccessKey, checkId, checkOptionalId } from './input-rules';
import { AuthService } from './auth.service';
import { pairStateOf } from '../auth/pair-state';
import { SigV4Authenticator } from '../auth/sigv4-authenticator';
import { mapWithConcurrency } from './concurrency';

/** Upstream AK/SK calls in flight at once for one request's `users { akSks }`. */
const PAIRS_CONCURRENCY = 8;

export interface AkSkServiceDependencies {
  backend: AkSkBackend;
  keystone: KeystoneClient;
  credentials: CredentialsClient;
  auth: AuthService;
  downloads: DownloadLinkStore;
  /** Where the gateway is reachable from the caller, for absolute download URLs. */
  publicBaseUrl: string;
  /** Checks pairs with the service identity; absent when none is configured. */
  sigv4?: SigV4Authenticator;
}

/** What `delete` did: the access keys are `undefined` when the backend does not say. */
export interface DeletedAkSks extends AkSkTarget {
  deletedAccessKeys: string[] | undefined;
}

export interface DeletedAkSkPair {
  accessKey: string;
  userId: string;
  projectId: string | null;
}

export interface IssuedDownloadLink {
  url: string;
  expiresAt: Date;
  format: AkSkFileFormat;
}

/** What `verify` found: Keystone's owner and project of a working pair, or why it does not work. */
export interface PairVerification {
  valid: boolean;
  accessKey: string;
  user?: DomainScopedRef;
  project?: DomainScopedRef;
  reason?: string;
}

/** AK/SK pairs for one request, on whichever backend is configured. */
export class AkSkService {
  /** Pairs per `projectId|userId`: one upstream call per user per request, whatever the query. */
  private pairsLoader: DataLoader<string, AkSkPair[]> | undefined;

  constructor(private readonly deps: AkSkServiceDependencies) {}

  /** Made on first use: most requests never list many users' pairs. */
  private get pairsOfUser(): DataLoader<string, AkSkPair[]> {
    this.pairsLoader ??= new DataLoader(async (keys: readonly string[]) => {
      const token = await this.deps.auth.upstreamToken();
      return mapWithConcurrency(keys, PAIRS_CONCURRENCY, (key) => {
        const [projectId, userId] = key.split('|');
        return this.deps.backend.listAkSks(token, { userId, projectId });
      });
    });
    return this.pairsLoader;
  }

  /**
   * The pairs of a user already known to exist and be visible (an entry of `users`), so an
   * empty list needs no explaining; batched and de-duplicated across the whole request.
   */
  async pairsOf(userId: string, projectId?: string | null): Promise<AkSkPair[]> {
    const target = await this.targetOf(userId, projectId);
    return this.pairsOfUser.load(`${target.projectId}|${target.userId}`);
  }

  async create(userId: string, projectId?: string | null): Promise<AkSkPair> {
    const target = await this.targetOf(userId, projectId);
    return this.deps.backend.createAkSk(await this.deps.auth.upstreamToken(), target);
  }

  async list(userId: string, projectId?: string | null): Promise<AkSkPair[]> {
    const target = await this.targetOf(userId, projectId);
    const pairs = await this.deps.backend.listAkSks(await this.deps.auth.upstreamToken(), target);
    if (pairs.length === 0) await this.explainEmptyList(target.userId);
    return pairs;
  }

  async delete(userId: string, projectId?: string | null): Promise<DeletedAkSks> {
    const target = await this.targetOf(userId, projectId);
    const deletedAccessKeys = await this.deps.backend.deleteAkSks(await this.deps.auth.upstreamToken(), target);
    return { ...target, deletedAccessKeys };
  }

  /**
   * Deletes one pair, whichever backend made it: every pair is a Keystone `ec2` credential
   * whose id is the SHA-256 of its access key.
   */
  async deleteByAccessKey(accessKey: string): Promise<DeletedAkSkPair> {
    checkAccessKey(accessKey);
    const token = await this.deps.auth.upstreamToken();
    const credentialId = ec2CredentialId(accessKey);
    const credential = await this.deps.credentials.getCredential(token, credentialId);
    // Another kind of credential under that id reads as missing too: it tells nobody whose keys exist.
    if (credential.type !== 'ec2' || parseEc2Blob(credential.blob)?.access !== accessKey) {
      throw failureFor('credential-not-visible');
    }
    // A signer may only see its own pairs, as Keystone would answer its password token.
    await this.deps.auth.authorize({ name: 'credentials', userId: credential.userId }).catch(() => {
      throw failureFor('credential-not-visible');
    });
    await this.deps.credentials.deleteCredential(token, credentialId);
    return { accessKey, userId: credential.userId, projectId: credential.projectId ?? null };
  }

  /** `verifyAkSk`: owner or admin only; the pair's state first, then Keystone's word on the signature. */
  async verify(accessKey: string, secretKey: string): Promise<PairVerification> {
    checkAccessKey(accessKey);
    if (secretKey.length === 0 || secretKey.length > 1024) throw badUserInput('secretKey must be 1 to 1024 characters.');
    const sigv4 = this.deps.sigv4;
    if (!sigv4) {
      throw new GatewayError(
        ErrorCode.UpstreamUnavailable,
        'Pairs cannot be checked here: the gateway has no service identity configured.',
      );
    }
    await this.deps.auth.caller();
    const credential = await sigv4.credentialOf(accessKey).catch((error: unknown) => {
      throw error instanceof UpstreamError && error.hasStatus(404) ? failureFor('credential-not-visible') : error;
    });
    // Another user's pair reads as missing, as in deleteAkSkByAccessKey.
    await this.deps.auth.requireAllowed({ name: 'credentials', userId: credential.userId }, 'not visible').catch(() => {
      throw failureFor('credential-not-visible');
    });
    const state = pairStateOf(credential);
    if (!state.active) return { valid: false, accessKey, reason: 'The pair is inactive.' };
    if (state.expiresAt !== undefined && state.expiresAt <= Date.now())
      return { valid: false, accessKey, reason: 'The pair has expired.' };
    const details = await sigv4.checkPair(accessKey, secretKey, this.deps.keystone);
    if (!details)
      return {
        valid: false,
        accessKey,
        reason: 'Keystone refused a request signed with this secret key: it is not the secret of this access key.',
      };
    return { valid: true, accessKey, user: details.user, project: details.project };
  }

  async createDownloadLink(
    userId: string,
    projectId: string | null | undefined,
    format: AkSkFileFormat,
  ): Promise<IssuedDownloadLink> {
    // A link carries the token it was made with: never the service identity's.
    const token = this.token();
    const target = await this.targetOf(userId, projectId);
    // Checking the token now turns a bad one into an error here rather than a dead link later.
    await this.deps.auth.caller();
    const link = await this.deps.downloads.issue({ token, ...target, format });
    return { url: `${this.deps.publicBaseUrl}/downloads/${link.id}`, expiresAt: link.expiresAt, format };
  }

  private token(): string {
    return this.deps.auth.requireToken();
  }

  /** The explicit project, else the project of the caller's scoped token. */
  private async targetOf(userId: string, projectId: string | null | undefined): Promise<AkSkTarget> {
    checkId('userId', userId);
    const explicit = checkOptionalId('projectId', projectId);
    await this.deps.auth.authorize({ name: 'credentials', userId }, "Only an admin may manage another user's AK/SK pairs.");
    if (explicit) return { userId, projectId: explicit };
    const caller = await this.deps.auth.caller();
    if (!caller.project) {
      throw badUserInput('The token is not scoped to a project: call scopeToken first, or pass projectId.');
    }
    return { userId, projectId: caller.project.id };
  }

  /**
   * Keystone answers a member asking for someone else's credentials with an empty list, and
   * an unknown user the same way. Asking for the user tells "none" from "not yours to see"
   * and "no such user"; it costs a call only when the list is empty.
   */
  private async explainEmptyList(userId: string): Promise<void> {
    try {
      await this.deps.keystone.getUser(await this.deps.auth.upstreamToken(), userId);
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(403)) throw error.withReason('pairs-of-other-user');
      if (error instanceof UpstreamError && error.hasStatus(404)) throw error;
      // Anything else leaves the empty list standing: it was a valid answer.
    }
  }
}
