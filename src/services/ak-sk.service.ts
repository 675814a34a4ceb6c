import DataLoader from 'dataloader';
import { failureFor } from '../errors/client-error';
import { ErrorCode } from '../errors/error-code';
import { badUserInput, GatewayError } from '../errors/gateway-error';
import { AkSkFileFormat } from '../downloads/ak-sk-file';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../upstreams/ak-sk-backend';
import { AkSkMetadata, AkSkState, stateOf } from '../upstreams/credentials/ak-sk-blob';
import { CredentialsClient } from '../upstreams/credentials/credentials-client';
import { Credential } from '../upstreams/credentials/credentials.types';
import { toPair } from '../upstreams/credentials/keystone-ak-sk-backend';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { DomainScopedRef } from '../upstreams/keystone/keystone.types';
import { UpstreamError } from '../errors/upstream-error';
import { checkAccessKey, checkId, checkOptionalId } from './input-rules';
import { AkSkLifecycle, pairOf } from './ak-sk-lifecycle';
import { AuthService } from './auth.service';
import { pairStateOf } from '../auth/pair-state';
import { SigV4Authenticator } from '../auth/sigv4-authenticator';
import { mapWithConcurrency } from './concurrency';
import { KeyLock, LockBusy } from '../state/key-lock';
import { AuditEvent, AuditEventName, AuditEventStore, AuditTrail, failureOf } from '../observability/audit-trail';

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
  /** The per-user limit on pairs (`AKSK_MAX_PER_USER`); absent or 0: none. */
  quota?: PairQuota;
  audit: AuditTrail;
  /** Where `akSkEvents` reads the trail back; absent without Redis (the trail is then only in the logs). */
  auditEvents?: AuditEventStore;
  /** The request's id, carried into audit events. */
  requestId: string;
  now?: () => number;
}

/** At most `maxPerUser` pairs per user, counted and created under a per-user lock shared by replicas. */
export interface PairQuota {
  maxPerUser: number;
  lock: KeyLock;
}

/** What is known of the pair a change is about: filled in as the change learns it, for a failure's event. */
interface AuditSubject {
  accessKey: string | null;
  userId: string | null;
  projectId: string | null;
}

const unknownSubject = (): AuditSubject => ({ accessKey: null, userId: null, projectId: null });

const subjectOf = (pair: { accessKey: string; userId: string; projectId: string | null }): AuditSubject => ({
  accessKey: pair.accessKey,
  userId: pair.userId,
  projectId: pair.projectId,
});

/** An audit event as `akSkEvents` shows it. */
export interface AkSkEventView {
  event: string;
  accessKey: string | null;
  userId: string | null;
  projectId: string | null;
  initiator: { service: boolean; userId: string | null; projectId: string | null };
  outcome: 'SUCCESS' | 'FAILURE';
  errorCode: string | null;
  requestId: string | null;
  time: Date;
}

function eventViewOf(event: AuditEvent): AkSkEventView {
  const { initiator, outcome } = event;
  return {
    event: event.event,
    accessKey: event.accessKey,
    userId: event.userId,
    projectId: event.projectId,
    initiator: initiator === 'service' ? { service: true, userId: null, projectId: null } : { service: false, ...initiator },
    outcome: outcome === 'success' ? 'SUCCESS' : 'FAILURE',
    errorCode: outcome === 'success' ? null : outcome.failure,
    requestId: event.requestId,
    time: new Date(event.time),
  };
}

/** `akSkEvents(first:)` bounds. */
const MAX_EVENTS = 1000;

/** What `verifyAkSk` found: Keystone's judgement of a signature made with the pair. */
export interface PairVerification {
  valid: boolean;
  accessKey: string;
  user?: DomainScopedRef;
  project?: DomainScopedRef;
  reason?: string;
}

/** A pair as callers see it: keys, owner, status and the gateway's metadata (null when unknown). */
export interface AkSkView {
  accessKey: string;
  secretKey: string;
  userId: string;
  projectId: string;
  type: string;
  status: AkSkState;
  description: string | null;
  createdAt: Date | null;
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** What `rotateAkSk` did. */
export interface RotatedAkSk {
  newPair: AkSkView;
  previousPair: AkSkView;
}

/** What a caller may set on a pair; `null` clears, `undefined` leaves as it is. */
export interface AkSkChanges {
  description?: string | null;
  expiresAt?: Date | null;
}

const MAX_DESCRIPTION_LENGTH = 255;

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

/**
 * How much of each pair a read needs: `keys` (keys, owner, project, credential type) comes from
 * the pair list alone; `lifecycle` adds Keystone's metadata and settles a transition cut short.
 */
export type PairDetail = 'keys' | 'lifecycle';

/** AK/SK pairs for one request, on whichever backend is configured. */
export class AkSkService {
  /** Pairs per `detail|projectId|userId`: one read per user per request, whatever the query. */
  private pairsLoader: DataLoader<string, AkSkPair[]> | undefined;
  private readonly lifecycle: AkSkLifecycle;
  private readonly now: () => number;

  constructor(private readonly deps: AkSkServiceDependencies) {
    this.lifecycle = new AkSkLifecycle(deps.credentials);
    this.now = deps.now ?? Date.now;
  }

  /** Made on first use: most requests never list many users' pairs. */
  private get pairsOfUser(): DataLoader<string, AkSkPair[]> {
    this.pairsLoader ??= new DataLoader(async (keys: readonly string[]) => {
      const token = await this.upstreamToken();
      return mapWithConcurrency(keys, PAIRS_CONCURRENCY, (key) => {
        const [detail, projectId, userId] = key.split('|');
        return this.settledPairs(token, { userId, projectId }, detail as PairDetail);
      });
    });
    return this.pairsLoader;
  }

  /**
   * The pairs of a user already known to exist and be visible (an entry of `users`), so an
   * empty list needs no explaining; batched and de-duplicated across the whole request.
   */
  async pairsOf(userId: string, projectId?: string | null, detail: PairDetail = 'lifecycle'): Promise<AkSkView[]> {
    const target = await this.targetOf(userId, projectId);
    const pairs = await this.pairsOfUser.load(`${detail}|${target.projectId}|${target.userId}`);
    return pairs.map((pair) => this.viewOf(pair));
  }

  async create(userId: string, projectId?: string | null, changes: AkSkChanges = {}): Promise<AkSkView> {
    const subject = unknownSubject();
    return this.audited(
      'aksk.created',
      subject,
      () => this.createFor(subject, userId, projectId, changes),
      (view) => [subjectOf(view)],
    );
  }

  private async createFor(
    subject: AuditSubject,
    userId: string,
    projectId: string | null | undefined,
    changes: AkSkChanges,
  ): Promise<AkSkView> {
    const target = await this.targetOf(userId, projectId);
    Object.assign(subject, target);
    const checked = this.checkChanges(changes);
    await this.requireRoleOnProject(target);
    const caller = await this.deps.auth.caller();
    const metadata: AkSkMetadata = {
      description: checked.description ?? undefined,
      expiresAt: checked.expiresAt ?? undefined,
      createdAt: new Date(this.now()),
      createdBy: caller.user.id,
    };
    return this.viewOf(await this.createPair(await this.upstreamToken(), target, metadata));
  }

  /**
   * A new active pair for the same owner and project, with the same description and expiry,
   * then the previous one switched off. If that fails, the new pair is removed again and the
   * previous one put back as it was, so the caller keeps exactly the pairs it had.
   *
   * Audited as `aksk.rotated` on the previous pair and `aksk.created` on the new one (same
   * request id), so every pair in existence has its `aksk.created` line; a failure is one
   * `aksk.rotated` line on the previous pair.
   */
  async rotate(accessKey: string): Promise<RotatedAkSk> {
    const subject = unknownSubject();
    return this.audited(
      'aksk.rotated',
      subject,
      () => this.rotateNow(subject, accessKey),
      ({ newPair, previousPair }) => [subjectOf(previousPair), { ...subjectOf(newPair), event: 'aksk.created' }],
    );
  }

  private async rotateNow(subject: AuditSubject, accessKey: string): Promise<RotatedAkSk> {
    checkAccessKey(accessKey);
    subject.accessKey = accessKey;
    const token = await this.tokenForPair(accessKey);
    const previous = pairOf(await this.lifecycle.get(token, accessKey));
    Object.assign(subject, subjectOf(previous));
    const state = stateOf(previous.type, previous.metadata, this.now());
    if (state === 'EXPIRED') {
      throw badUserInput(
        'The pair has expired, and its replacement would too: extend it with updateAkSk first, or create a new pair.',
      );
    }
    if (!previous.projectId) throw badUserInput('This pair has no project, so it cannot be rotated.');
    const caller = await this.deps.auth.caller();
    const metadata: AkSkMetadata = {
      description: previous.metadata?.description,
      expiresAt: previous.metadata?.expiresAt,
      createdAt: new Date(this.now()),
      createdBy: caller.user.id,
    };
    const created = await this.createPair(token, { userId: previous.userId, projectId: previous.projectId }, metadata);
    const switchedOff = await this.lifecycle.deactivate(token, accessKey).catch(async (error: unknown) => {
      await this.lifecycle.delete(token, created.accessKey).catch(() => undefined);
      // A deactivation that got as far as its intent marker would otherwise finish on the next read.
      if (state === 'ACTIVE') await this.lifecycle.activate(token, accessKey).catch(() => undefined);
      throw error;
    });
    return { newPair: this.viewOf(created), previousPair: this.viewOf(pairOf(switchedOff)) };
  }

  /** Creates a pair with its metadata on whichever backend, within the user's limit. */
  private async createPair(token: string, target: AkSkTarget, metadata: AkSkMetadata): Promise<AkSkPair> {
    const quota = this.deps.quota;
    if (!quota || quota.maxPerUser === 0) return this.createPairNow(token, target, metadata);
    // Count and create under one lock per user: concurrent creates (on any replica) cannot both see room.
    return quota.lock
      .withLock(`aksk-quota:${target.userId}`, async () => {
        await this.requireRoomFor(token, target.userId, quota.maxPerUser);
        return this.createPairNow(token, target, metadata);
      })
      .catch((error: unknown) => {
        if (!(error instanceof LockBusy)) throw error;
        throw new GatewayError(
          ErrorCode.UpstreamUnavailable,
          "Another change to this user's AK/SK pairs is taking too long: try again.",
        );
      });
  }

  private async createPairNow(token: string, target: AkSkTarget, metadata: AkSkMetadata): Promise<AkSkPair> {
    const pair = await this.deps.backend.createAkSk(token, target, metadata);
    if (!this.deps.backend.storesMetadata) await this.lifecycle.attachMetadata(token, pair, metadata);
    return { ...pair, metadata };
  }

  /** Every pair of the user counts, active or not; a pair caught mid-transition counts once. */
  private async requireRoomFor(token: string, userId: string, maxPerUser: number): Promise<void> {
    const credentials = await this.deps.credentials.listCredentials(token, { userId });
    const count = new Set(credentials.flatMap(toPair).map((pair) => pair.accessKey)).size;
    if (count >= maxPerUser) {
      throw new GatewayError(
        ErrorCode.QuotaExceeded,
        `The user already has ${count} AK/SK pairs, the most allowed here (${maxPerUser}): delete one first.`,
        { limit: maxPerUser },
      );
    }
  }

  async list(userId: string, projectId?: string | null, detail: PairDetail = 'lifecycle'): Promise<AkSkView[]> {
    const target = await this.targetOf(userId, projectId);
    const pairs = await this.settledPairs(await this.upstreamToken(), target, detail);
    if (pairs.length === 0) await this.explainEmptyList(target.userId);
    return pairs.map((pair) => this.viewOf(pair));
  }

  async update(accessKey: string, changes: AkSkChanges): Promise<AkSkView> {
    return this.changePair('aksk.updated', accessKey, async (token) => {
      const checked = this.checkChanges(changes);
      return this.lifecycle.update(token, accessKey, (metadata) => ({
        ...metadata,
        description: checked.description === undefined ? metadata.description : (checked.description ?? undefined),
        expiresAt: checked.expiresAt === undefined ? metadata.expiresAt : (checked.expiresAt ?? undefined),
      }));
    });
  }

  async deactivate(accessKey: string): Promise<AkSkView> {
    return this.changePair('aksk.deactivated', accessKey, (token) => this.lifecycle.deactivate(token, accessKey));
  }

  async activate(accessKey: string): Promise<AkSkView> {
    return this.changePair('aksk.activated', accessKey, (token) => this.lifecycle.activate(token, accessKey));
  }

  /** One pair's change by its access key, audited; the owner is known only once the change found the pair. */
  private changePair(
    event: AuditEventName,
    accessKey: string,
    change: (token: string) => Promise<Credential>,
  ): Promise<AkSkView> {
    const subject = unknownSubject();
    return this.audited(
      event,
      subject,
      async () => {
        checkAccessKey(accessKey);
        subject.accessKey = accessKey;
        return this.viewOf(pairOf(await change(await this.tokenForPair(accessKey))));
      },
      (view) => [subjectOf(view)],
    );
  }

  /**
   * `akSkEvents`: the trail of a user's pairs, newest first, from the Redis Stream. Admins may
   * read anyone's, members only their own.
   */
  async events(userId: string, first: number): Promise<AkSkEventView[]> {
    checkId('userId', userId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_EVENTS) {
      throw badUserInput(`first must be between 1 and ${MAX_EVENTS}.`);
    }
    const viewer = await this.deps.auth.viewer();
    if (!viewer.isAdmin && viewer.user.id !== userId) {
      throw new GatewayError(ErrorCode.Forbidden, "Only an admin may read another user's AK/SK events.");
    }
    const store = this.deps.auditEvents;
    if (!store) {
      throw new GatewayError(
        ErrorCode.AuditTrailUnavailable,
        'The audit trail is only in the gateway\'s logs here (JSON lines with "audit": true): akSkEvents needs REDIS_URL.',
      );
    }
    return (await store.latest(userId, first)).map(eventViewOf);
  }

  /**
   * Runs a change and records its outcome: one event per pair it touched (named `event` unless
   * the pair says otherwise), or one failure event with what was known of the pair. A caller
   * that cannot be identified (no valid token) made no change and is left to the request log.
   */
  private async audited<T>(
    event: AuditEventName,
    subject: AuditSubject,
    change: () => Promise<T>,
    pairsOf: (result: T) => Array<AuditSubject & { event?: AuditEventName }>,
  ): Promise<T> {
    let result: T;
    try {
      result = await change();
    } catch (error) {
      const initiator = await this.initiator().catch(() => undefined);
      if (initiator) {
        this.deps.audit.record({ event, ...subject, initiator, outcome: failureOf(error), requestId: this.deps.requestId });
      }
      throw error;
    }
    const initiator = await this.initiator();
    for (const pair of pairsOf(result)) {
      this.deps.audit.record({ event, ...pair, initiator, outcome: 'success', requestId: this.deps.requestId });
    }
    return result;
  }

  private async initiator(): Promise<{ userId: string; projectId: string | null }> {
    const caller = await this.deps.auth.caller();
    return { userId: caller.user.id, projectId: caller.project?.id ?? null };
  }

  /**
   * The user's pairs with their metadata, any interrupted transition finished first. Through
   * the multicloud service, which drops the blob's extra fields, the metadata is read in Keystone.
   */
  private async settledPairs(token: string, target: AkSkTarget, detail: PairDetail): Promise<AkSkPair[]> {
    if (detail === 'keys' && !this.deps.backend.storesMetadata) {
      const listed = await this.deps.backend.listAkSks(token, target);
      // A key listed under both types is a transition cut short: only the lifecycle read settles it.
      // One cut short before its first copy still lists as it is in Keystone, and is settled by
      // the next read that asks for status or metadata.
      if (AkSkLifecycle.unsettled(listed).length === 0) return listed;
    }
    const pairs = await this.pairsWithMetadata(token, target);
    const unsettled = AkSkLifecycle.unsettled(pairs);
    if (unsettled.length === 0) return pairs;
    for (const accessKey of unsettled) await this.lifecycle.get(token, accessKey);
    return this.pairsWithMetadata(token, target);
  }

  private async pairsWithMetadata(token: string, target: AkSkTarget): Promise<AkSkPair[]> {
    if (this.deps.backend.storesMetadata) return this.deps.backend.listAkSks(token, target);
    // Both reads at once: one round trip instead of two. A failed metadata read only costs the
    // metadata when there are no pairs to describe.
    const [pairs, credentials] = await Promise.all([
      this.deps.backend.listAkSks(token, target),
      this.deps.credentials.listCredentials(token, { userId: target.userId }).catch((error: unknown) => error as Error),
    ]);
    if (pairs.length === 0) return pairs;
    if (credentials instanceof Error) throw credentials;
    const metadata = new Map(credentials.flatMap(toPair).map((pair) => [`${pair.type}|${pair.accessKey}`, pair.metadata]));
    return pairs.map((pair) => ({ ...pair, metadata: metadata.get(`${pair.type}|${pair.accessKey}`) }));
  }

  private viewOf(pair: AkSkPair): AkSkView {
    const { metadata } = pair;
    return {
      accessKey: pair.accessKey,
      secretKey: pair.secretKey,
      userId: pair.userId,
      projectId: pair.projectId,
      type: pair.type,
      status: stateOf(pair.type, metadata, this.now()),
      description: metadata?.description ?? null,
      createdAt: metadata?.createdAt ?? null,
      createdBy: metadata?.createdBy ?? null,
      expiresAt: metadata?.expiresAt ?? null,
      lastUsedAt: metadata?.lastUsedAt ?? null,
    };
  }

  private checkChanges(changes: AkSkChanges): AkSkChanges {
    const { description, expiresAt } = changes;
    if (description != null && [...description].length > MAX_DESCRIPTION_LENGTH) {
      throw badUserInput(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`);
    }
    if (expiresAt != null && expiresAt.getTime() <= this.now()) throw badUserInput('expiresAt must be in the future.');
    return changes;
  }

  async delete(userId: string, projectId?: string | null): Promise<DeletedAkSks> {
    const subject = unknownSubject();
    let listedBefore: string[] = [];
    return this.audited(
      'aksk.deleted',
      subject,
      async () => {
        const target = await this.targetOf(userId, projectId);
        Object.assign(subject, target);
        // Neither backend tells "deleted nothing" from "not yours" or "no such user"; asking first does.
        await this.requireManageable(target.userId);
        const token = await this.upstreamToken();
        // The audit trail names each deleted pair: asked first when the backend will not say.
        if (!this.deps.backend.reportsDeletedKeys) {
          listedBefore = (await this.deps.backend.listAkSks(token, target)).map((pair) => pair.accessKey);
        }
        return this.deleteAll(token, target);
      },
      (deleted) => (deleted.deletedAccessKeys ?? listedBefore).map((accessKey) => ({ ...subject, accessKey })),
    );
  }

  private async deleteAll(token: string, target: AkSkTarget): Promise<DeletedAkSks> {
    const deletedAccessKeys = await this.deps.backend.deleteAkSks(token, target).catch(async (error: unknown) => {
      // Two deletes of the same pairs at once: the later one trips over credentials the other
      // already removed (the multicloud service passes on Keystone's 403 for them). Nothing
      // left is what was asked for.
      const raced = error instanceof UpstreamError && error.hasStatus(403, 404);
      if (raced && (await this.deps.backend.listAkSks(token, target)).length === 0) return [];
      throw error;
    });
    return { ...target, deletedAccessKeys };
  }

  /**
   * Deletes one pair, active or not, whichever backend made it: every pair is a Keystone
   * credential (`ec2` with the SHA-256 of its access key as id, or `ec2-inactive`).
   */
  async deleteByAccessKey(accessKey: string): Promise<DeletedAkSkPair> {
    const subject = unknownSubject();
    return this.audited(
      'aksk.deleted',
      subject,
      async () => {
        checkAccessKey(accessKey);
        subject.accessKey = accessKey;
        const credential = await this.lifecycle.delete(await this.tokenForPair(accessKey), accessKey);
        return { accessKey, userId: credential.userId, projectId: credential.projectId ?? null };
      },
      (deleted) => [subjectOf(deleted)],
    );
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
    if (state.expiresAt !== undefined && state.expiresAt <= this.now()) {
      return { valid: false, accessKey, reason: 'The pair has expired.' };
    }
    const details = await sigv4.checkPair(accessKey, secretKey, this.deps.keystone);
    if (!details) {
      return {
        valid: false,
        accessKey,
        reason: 'Keystone refused a request signed with this secret key: it is not the secret of this access key.',
      };
    }
    return { valid: true, accessKey, user: details.user, project: details.project };
  }

  async createDownloadLink(
    userId: string,
    projectId: string | null | undefined,
    format: AkSkFileFormat,
    accessKey?: string | null,
  ): Promise<IssuedDownloadLink> {
    // A link carries the token it was made with, never the service identity's: signed callers get none.
    const token = this.token();
    if (accessKey != null) checkAccessKey(accessKey);
    const target = await this.targetOf(userId, projectId);
    // Checking the caller now turns a bad token or someone else's user into an error here,
    // rather than a dead link or a file holding `[]` later.
    await this.requireManageable(target.userId);
    if (accessKey != null) {
      const pairs = await this.deps.backend.listAkSks(token, target);
      if (!pairs.some((pair) => pair.accessKey === accessKey)) throw failureFor('credential-not-visible');
    }
    const issuedBy = await this.initiator();
    const link = await this.deps.downloads.issue({ token, ...target, format, issuedBy, accessKey: accessKey ?? undefined });
    return { url: `${this.deps.publicBaseUrl}/downloads/${link.id}`, expiresAt: link.expiresAt, format };
  }

  private token(): string {
    return this.deps.auth.requireToken();
  }

  /** The token to call upstream with: the caller's own, or for a signed request the service identity's. */
  private upstreamToken(): Promise<string> {
    return this.deps.auth.upstreamToken();
  }

  /**
   * The token for a change to one pair. Keystone judges a caller's own token; a signer acts
   * through the service identity, so the gateway first checks that the pair's owner is one
   * the signer may manage, and answers as Keystone would for someone else's pair: not found.
   */
  private async tokenForPair(accessKey: string): Promise<string> {
    const token = await this.upstreamToken();
    if (!this.deps.auth.isSigned) return token;
    const credential = await this.lifecycle.get(token, accessKey);
    await this.deps.auth.authorize({ name: 'credentials', userId: credential.userId }).catch(() => {
      throw failureFor('credential-not-visible');
    });
    return token;
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
   * Refuses, as `akSk` does, a user the caller may not manage (`FORBIDDEN`) or that does not exist
   * (`NOT_FOUND`); the caller itself needs no upstream call.
   */
  private async requireManageable(userId: string): Promise<void> {
    const caller = await this.deps.auth.caller();
    if (caller.user.id === userId) return;
    await this.deps.keystone.getUser(await this.upstreamToken(), userId).catch((error: unknown) => {
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
    const projects = await this.deps.keystone.listUserProjects(await this.upstreamToken(), target.userId);
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
      await this.deps.keystone.getUser(await this.upstreamToken(), userId);
    } catch (error) {
      if (error instanceof UpstreamError && error.hasStatus(403)) throw error.withReason('pairs-of-other-user');
      if (error instanceof UpstreamError && error.hasStatus(404)) throw error;
      // Anything else leaves the empty list standing: it was a valid answer.
    }
  }
}
