import { hash } from 'node:crypto';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../ak-sk-backend';
import { KeystoneClient } from '../keystone/keystone-client';
import { UpstreamError } from '../../errors/upstream-error';
import { generateAkSkKeys } from './ak-sk-keys';
import { ACTIVE_TYPE, AkSkMetadata, INACTIVE_TYPE, parseAkSkBlob, writeAkSkBlob } from './ak-sk-blob';
import { CredentialsClient } from './credentials-client';
import { Credential } from './credentials.types';

/** A collision of 16 random alphanumerics is astronomically rare; a few retries cover any. */
const CREATE_ATTEMPTS = 3;

/**
 * AK/SK pairs kept directly in Keystone, for deployments without the multicloud service.
 * Stored exactly as that service stores them (type `ec2`, blob `{"access","secret"}`), so a
 * pair made either way is the same pair to every SODA component.
 */
export class KeystoneAkSkBackend implements AkSkBackend {
  readonly storesMetadata = true;
  readonly reportsDeletedKeys = true;

  constructor(
    private readonly credentials: CredentialsClient,
    private readonly keystone: KeystoneClient,
  ) {}

  withRequestId(requestId: string): KeystoneAkSkBackend {
    return new KeystoneAkSkBackend(this.credentials.withRequestId(requestId), this.keystone.withRequestId(requestId));
  }

  async createAkSk(token: string, target: AkSkTarget, metadata: AkSkMetadata = {}): Promise<AkSkPair> {
    await this.checkTargetExists(token, target);
    for (let attempt = 1; ; attempt += 1) {
      const keys = generateAkSkKeys();
      try {
        await this.credentials.createCredential(token, {
          userId: target.userId,
          projectId: target.projectId,
          type: ACTIVE_TYPE,
          blob: writeAkSkBlob({ ...keys, metadata, others: {} }),
        });
        return { accessKey: keys.access, secretKey: keys.secret, ...target, type: ACTIVE_TYPE, metadata };
      } catch (error) {
        const collided = error instanceof UpstreamError && error.hasStatus(409);
        if (!collided || attempt === CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /** Active and inactive pairs: one list call, as Keystone filters by a single type only. */
  async listAkSks(token: string, target: AkSkTarget): Promise<AkSkPair[]> {
    const credentials = await this.credentials.listCredentials(token, { userId: target.userId });
    return credentials.flatMap(toPair);
  }

  /** Deletes the user's AK/SK pairs only (active or not), unlike the multicloud service, which deletes all. */
  async deleteAkSks(token: string, target: AkSkTarget): Promise<string[]> {
    const credentials = await this.credentials.listCredentials(token, { userId: target.userId });
    const deleted = new Set<string>();
    for (const credential of credentials) {
      const [pair] = toPair(credential);
      if (!pair) continue;
      // Listed a moment ago with this very token, so a 404 (or the 403 Keystone gives a member
      // for a missing credential) means a concurrent delete took it first: gone either way.
      const gone = await this.credentials.deleteCredential(token, credential.id).then(
        () => false,
        (error: unknown) => {
          if (error instanceof UpstreamError && error.hasStatus(403, 404)) return true;
          throw error;
        },
      );
      if (!gone) deleted.add(pair.accessKey);
    }
    return [...deleted];
  }

  /**
   * Keystone stores credentials for users and projects that do not exist; a pair nobody can
   * use is worse than a clear NOT_FOUND. A 403 (a member asking about someone else) is left
   * for the credential call itself to report.
   */
  private async checkTargetExists(token: string, target: AkSkTarget): Promise<void> {
    const lookups = await Promise.allSettled([
      this.keystone.getUser(token, target.userId),
      this.keystone.getProject(token, target.projectId),
    ]);
    for (const lookup of lookups) {
      if (lookup.status === 'rejected' && !(lookup.reason instanceof UpstreamError && lookup.reason.hasStatus(403))) {
        throw lookup.reason;
      }
    }
  }
}

/** Keystone's id of an `ec2` credential: the SHA-256 of its access key. */
export function ec2CredentialId(accessKey: string): string {
  return hash('sha256', accessKey, 'hex');
}

/** An AK/SK pair when the credential is one, active or inactive. */
export function toPair(credential: Credential): AkSkPair[] {
  if (credential.type !== ACTIVE_TYPE && credential.type !== INACTIVE_TYPE) return [];
  const blob = parseAkSkBlob(credential.blob);
  // Pairs made by `openstack ec2 credentials create` have 32-character keys: take any shape.
  if (!blob) return [];
  return [
    {
      accessKey: blob.access,
      secretKey: blob.secret,
      userId: credential.userId,
      projectId: credential.projectId ?? '',
      type: credential.type,
      metadata: blob.metadata,
    },
  ];
}
