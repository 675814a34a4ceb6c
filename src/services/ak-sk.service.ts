import DataLoader from 'dataloader';
import { failureFor } from '../errors/client-error';
import { badUserInput } from '../errors/gateway-error';
import { AkSkFileFormat } from '../downloads/ak-sk-file';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../upstreams/ak-sk-backend';
import { CredentialsClient, parseEc2Blob } from '../upstreams/credentials/credentials-client';
import { ec2CredentialId } from '../upstreams/credentials/keystone-ak-sk-backend';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { UpstreamError } from '../errors/upstream-error';
import { checkAccessKey, checkId, checkOptionalId } from './input-rules';
import { AuthService } from './auth.service';
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

/** AK/SK pairs for one request, on whichever backend is configured. */
export class AkSkService {
  /** Pairs per `projectId|userId`: one upstream call per user per request, whatever the query. */
  private pairsLoader: DataLoader<string, AkSkPair[]> | undefined;

  constructor(private readonly deps: AkSkServiceDependencies) {}

  /** Made on first use: most requests never list many users' pairs. */
  private get pairsOfUser(): DataLoader<string, AkSkPair[]> {
    this.pairsLoader ??= new DataLoader(async (keys: readonly string[]) => {
      const token = this.token();
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
    await this.requireRoleOnProject(target);
    return this.deps.backend.createAkSk(this.token(), target);
  }

  async list(userId: string, projectId?: string | null): Promise<AkSkPair[]> {
    const target = await this.targetOf(userId, projectId);
    const pairs = await this.deps.backend.listAkSks(this.token(), target);
    if (pairs.length === 0) await this.explainEmptyList(target.userId);
    return pairs;
  }

  async delete(userId: string, projectId?: string | null): Promise<DeletedAkSks> {
    const target = await this.targetOf(userId, projectId);
    // Neither backend tells "deleted nothing" from "not yours" or "no such user"; asking first does.
    await this.requireManageable(target.userId);
    const deletedAccessKeys = await this.deps.backend.deleteAkSks(this.token(), target).catch(async (error: unknown) => {
      // Two deletes of the same pairs at once: the later one trips over credentials the other
      // already removed (the multicloud service passes on Keystone's 403 for them). Nothing
      // left is what was asked for.
      const raced = error instanceof UpstreamError && error.hasStatus(403, 404);
      if (raced && (await this.deps.backend.listAkSks(this.token(), target)).length === 0) return [];
      throw error;
    });
    return { ...target, deletedAccessKeys };
  }

  /**
   * Deletes one pair, whichever backend made it: every pair is a Keystone `ec2` credential
   * whose id is the SHA-256 of its access key.
   */
  async deleteByAccessKey(accessKey: string): Promise<DeletedAkSkPair> {
    checkAccessKey(accessKey);
    const token = this.token();
    const credentialId = ec2CredentialId(accessKey);
    const credential = await this.deps.credentials.getCredential(token, credentialId);
    // Another kind of credential under that id reads as missing too: it tells nobody whose keys exist.
    if (credential.type !== 'ec2' || parseEc2Blob(credential.blob)?.access !== accessKey) {
      throw failureFor('credential-not-visible');
    }
    await this.deps.credentials.deleteCredential(token, credentialId);
    return { accessKey, userId: credential.userId, projectId: credential.projectId ?? null };
  }

  async createDownloadLink(
    userId: string,
    projectId: string | null | undefined,
    format: AkSkFileFormat,
  ): Promise<IssuedDownloadLink> {
    const target = await this.targetOf(userId, projectId);
    // Checking the caller now turns a bad token or someone else's user into an error here,
    // rather than a dead link or a file holding `[]` later.
    await this.requireManageable(target.userId);
    const link = await this.deps.downloads.issue({ token: this.token(), ...target, format });
    return { url: `${this.deps.publicBaseUrl}/downloads/${link.id}`, expiresAt: link.expiresAt, format };
  }

  private token(): string {
    return this.deps.auth.requireToken();
  }

  /** The explicit project, else the project of the caller's scoped token. */
  private async targetOf(userId: string, projectId: string | null | undefined): Promise<AkSkTarget> {
    checkId('userId', userId);
    const explicit = checkOptionalId('projectId', projectId);
    this.token();
    if (explicit) return { userId, projectId: explicit };
    const caller = await this.deps.auth.caller();
    if (!caller.project) {
      throw badUserInput('The token is not scoped to a project: call scopeToken first, or pass projectId.');
    }
    return { userId, projectId: caller.project.id };
  }

  /**
   * Refuses, as `akSk` does, a user the caller may not manage (`FORBIDDEN`) or that does not exist
   * (`NOT_FOUND`); the caller itself needs no upstream call.
   */
  private async requireManageable(userId: string): Promise<void> {
    const caller = await this.deps.auth.caller();
    if (caller.user.id === userId) return;
    await this.deps.keystone.getUser(this.token(), userId).catch((error: unknown) => {
      throw error instanceof UpstreamError && error.hasStatus(403) ? error.withReason('user-not-manageable') : error;
    });
  }

  /**
   * A pair belongs to a project its user works in. Keystone stores a credential for any project
   * id, so the user's projects are asked for, unless the caller's own scoped token already
   * proves its role there. A project the user has no role on is `BAD_USER_INPUT`: the caller may
   * manage the user (else `FORBIDDEN` came first), only the project argument is wrong.
   */
  private async requireRoleOnProject(target: AkSkTarget): Promise<void> {
    const caller = await this.deps.auth.caller();
    if (caller.user.id === target.userId && caller.project?.id === target.projectId) return;
    const projects = await this.deps.keystone.listUserProjects(this.token(), target.userId);
    if (!projects.some((project) => project.id === target.projectId)) {
      throw badUserInput('The user has no role on that project: a pair must belong to a project its user works in.');
    }
  }

  /**
   * Keystone answers a member asking for someone else's credentials with an empty list, and
   * an unknown user the same way. Asking for the user tells "none" from "not yours to see"
   * and "no such user"; it costs a call only when the list is empty.
   */
  private async explainEmptyList(userId: string): Promise<void> {
    try {
      await this.deps.keystone.getUser(this.token(), userId);
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(403)) throw error.withReason('pairs-of-other-user');
      if (error instanceof UpstreamError && error.hasStatus(404)) throw error;
      // Anything else leaves the empty list standing: it was a valid answer.
    }
  }
}
