import { failureFor } from '../errors/client-error';
import { badUserInput } from '../errors/gateway-error';
import { UpstreamError } from '../errors/upstream-error';
import { AkSkPair } from '../upstreams/ak-sk-backend';
import {
  ACTIVE_TYPE,
  AkSkBlob,
  AkSkMetadata,
  AkSkTransition,
  INACTIVE_TYPE,
  parseAkSkBlob,
  writeAkSkBlob,
} from '../upstreams/credentials/ak-sk-blob';
import { CredentialsClient } from '../upstreams/credentials/credentials-client';
import { Credential } from '../upstreams/credentials/credentials.types';
import { ec2CredentialId, toPair } from '../upstreams/credentials/keystone-ak-sk-backend';

/** Every Keystone credential holding one access key: normally exactly one of them. */
interface PairCredentials {
  accessKey: string;
  active: Credential | undefined;
  inactive: Credential[];
}

const pairNotFound = () => failureFor('credential-not-visible');

/**
 * Switching pairs off and on, enforced by Keystone itself: ec2tokens and s3tokens accept only
 * credentials of type `ec2`, and Keystone's PATCH changes only the blob. So a transition writes
 * its intent into the blob, creates the pair under the other type, then deletes the original.
 * Every step leaves the keys in at least one credential, and `settle` finishes a transition
 * that a crash interrupted, on the next read or call.
 */
export class AkSkLifecycle {
  constructor(private readonly credentials: CredentialsClient) {}

  /** The pair, settled, or NOT_FOUND (also for someone else's pair: nobody learns whose keys exist). */
  async get(token: string, accessKey: string): Promise<Credential> {
    const found = await this.find(token, accessKey);
    if (!found) throw pairNotFound();
    return this.settle(token, found);
  }

  async deactivate(token: string, accessKey: string): Promise<Credential> {
    const credential = await this.get(token, accessKey);
    if (credential.type === INACTIVE_TYPE) return credential;
    const blob = readBlob(credential);
    await this.markTransition(token, credential, blob, 'deactivating');
    const copy = await this.copy(token, credential, INACTIVE_TYPE, blob);
    await this.credentials.deleteCredential(token, credential.id);
    return copy;
  }

  async activate(token: string, accessKey: string): Promise<Credential> {
    const credential = await this.get(token, accessKey);
    if (credential.type === ACTIVE_TYPE) return credential;
    return this.finishActivation(token, credential);
  }

  /** Changes metadata in place (whatever the pair's state); `undefined` fields stay as they are. */
  async update(token: string, accessKey: string, change: (metadata: AkSkMetadata) => AkSkMetadata): Promise<Credential> {
    const credential = await this.get(token, accessKey);
    const blob = readBlob(credential);
    const updated = { ...blob, metadata: change(blob.metadata) };
    return this.credentials.updateCredentialBlob(token, credential.id, writeAkSkBlob(updated));
  }

  /** Deletes the pair in whatever state, every copy of it; returns what was deleted. */
  async delete(token: string, accessKey: string): Promise<Credential> {
    const found = await this.find(token, accessKey);
    if (!found) throw pairNotFound();
    const all = [...(found.active ? [found.active] : []), ...found.inactive];
    for (const credential of all) await this.credentials.deleteCredential(token, credential.id);
    return all[0];
  }

  /** Adds metadata to a pair made without it (by the multicloud service); removes the pair if that fails. */
  async attachMetadata(token: string, pair: AkSkPair, metadata: AkSkMetadata): Promise<void> {
    const id = ec2CredentialId(pair.accessKey);
    const blob = writeAkSkBlob({ access: pair.accessKey, secret: pair.secretKey, metadata, others: {} });
    try {
      await this.credentials.updateCredentialBlob(token, id, blob);
    } catch (error) {
      // Nothing half-done: a pair without the expiry it was asked for must not stay behind.
      await this.credentials.deleteCredential(token, id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Records in the active pair's blob that it signed a request at `at`, unless the blob already
   * says so within `resolutionMs`; true when it wrote. A pair being switched leaves its blob to
   * the transition (a read-modify-write could drop the intent marker).
   */
  async recordUse(token: string, accessKey: string, at: Date, resolutionMs: number): Promise<boolean> {
    const id = ec2CredentialId(accessKey);
    const credential = await this.credentials.getCredential(token, id);
    const blob = parseAkSkBlob(credential.blob);
    if (credential.type !== ACTIVE_TYPE || blob?.access !== accessKey || blob.metadata.transition) return false;
    const last = blob.metadata.lastUsedAt?.getTime();
    if (last !== undefined && at.getTime() - last < resolutionMs) return false;
    await this.credentials.updateCredentialBlob(
      token,
      id,
      writeAkSkBlob({ ...blob, metadata: { ...blob.metadata, lastUsedAt: at } }),
    );
    return true;
  }

  /**
   * Access keys whose credentials need settling: an intent marker left by an interrupted
   * transition, or the same key under both types.
   */
  static unsettled(pairs: readonly AkSkPair[]): string[] {
    const seen = new Set<string>();
    const unsettled = new Set<string>();
    for (const pair of pairs) {
      if (pair.metadata?.transition || seen.has(pair.accessKey)) unsettled.add(pair.accessKey);
      seen.add(pair.accessKey);
    }
    return [...unsettled];
  }

  /** Finishes whatever transition the credentials show was started; returns the one left. */
  async settle(token: string, found: PairCredentials): Promise<Credential> {
    const { active, inactive } = found;
    if (active) {
      const blob = readBlob(active);
      if (blob.metadata.transition === 'deactivating') {
        const [copy, ...extra] = inactive;
        const kept = copy ?? (await this.copy(token, active, INACTIVE_TYPE, blob));
        for (const credential of extra) await this.credentials.deleteCredential(token, credential.id);
        await this.credentials.deleteCredential(token, active.id);
        return kept;
      }
      // An activation got as far as the new ec2 credential: the old copies go.
      for (const credential of inactive) await this.credentials.deleteCredential(token, credential.id);
      if (blob.metadata.transition) return this.clearTransition(token, active, blob);
      return active;
    }
    const [copy, ...extra] = inactive;
    for (const credential of extra) await this.credentials.deleteCredential(token, credential.id);
    if (readBlob(copy).metadata.transition === 'activating') return this.finishActivation(token, copy);
    return copy;
  }

  /** Every credential of the access key: the ec2 one by its derived id, inactive ones by listing. */
  private async find(token: string, accessKey: string): Promise<PairCredentials | undefined> {
    // Keystone answers a member's lookup of a missing credential with 403, like one of someone
    // else's: both read as "not found".
    const candidate = await this.credentials.getCredential(token, ec2CredentialId(accessKey)).catch((error: unknown) => {
      if (error instanceof UpstreamError && error.hasStatus(403, 404)) return undefined;
      throw error;
    });
    const active = candidate?.type === ACTIVE_TYPE && parseAkSkBlob(candidate.blob)?.access === accessKey ? candidate : undefined;
    const listed = await this.credentials.listCredentials(token, { userId: active?.userId, type: INACTIVE_TYPE });
    const inactive = listed.filter((credential) => parseAkSkBlob(credential.blob)?.access === accessKey);
    if (!active && inactive.length === 0) return undefined;
    return { accessKey, active, inactive };
  }

  private async finishActivation(token: string, copy: Credential): Promise<Credential> {
    const blob = readBlob(copy);
    if (blob.metadata.transition !== 'activating') await this.markTransition(token, copy, blob, 'activating');
    let active: Credential;
    try {
      active = await this.copy(token, copy, ACTIVE_TYPE, blob);
    } catch (error) {
      // An earlier attempt created it and stopped before deleting the copy.
      if (!(error instanceof UpstreamError && error.hasStatus(409))) throw error;
      active = await this.credentials.getCredential(token, ec2CredentialId(blob.access));
    }
    await this.credentials.deleteCredential(token, copy.id);
    return active;
  }

  private async markTransition(token: string, credential: Credential, blob: AkSkBlob, transition: AkSkTransition) {
    await this.credentials.updateCredentialBlob(
      token,
      credential.id,
      writeAkSkBlob({ ...blob, metadata: { ...blob.metadata, transition } }),
    );
  }

  private async clearTransition(token: string, credential: Credential, blob: AkSkBlob): Promise<Credential> {
    return this.credentials.updateCredentialBlob(
      token,
      credential.id,
      writeAkSkBlob({ ...blob, metadata: { ...blob.metadata, transition: undefined } }),
    );
  }

  /** The same keys and metadata (no intent marker) under another type, same owner and project. */
  private copy(token: string, from: Credential, type: string, blob: AkSkBlob): Promise<Credential> {
    if (!from.projectId) throw badUserInput('This pair has no project, so it cannot be switched.');
    return this.credentials.createCredential(token, {
      userId: from.userId,
      projectId: from.projectId,
      type,
      blob: writeAkSkBlob({ ...blob, metadata: { ...blob.metadata, transition: undefined } }),
    });
  }
}

function readBlob(credential: Credential): AkSkBlob {
  const blob = parseAkSkBlob(credential.blob);
  // `find` keeps only credentials whose blob holds the access key.
  if (!blob) throw new Error('AK/SK credential without a readable blob');
  return blob;
}

/** The pair a settled credential is. */
export function pairOf(credential: Credential): AkSkPair {
  const [pair] = toPair(credential);
  if (!pair) throw new Error('AK/SK credential without a readable blob');
  return pair;
}
