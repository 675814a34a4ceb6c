import { createHash } from 'node:crypto';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../ak-sk-backend';
import { KeystoneClient } from '../keystone/keystone-client';
import { UpstreamError } from '../../errors/upstream-error';
import { generateAkSkKeys } from './ak-sk-keys';
import { CredentialsClient, ec2Blob, parseEc2Blob } from './credentials-client';
import { Credential } from './credentials.types';

const EC2 = 'ec2';
/** A collision of 16 random alphanumerics is astronomically rare; a few retries cover any. */
const CREATE_ATTEMPTS = 3;

/**
 * AK/SK pairs kept directly in Keystone, for deployments without the multicloud service.
 * Stored exactly as that service stores them (type `ec2`, blob `{"access","secret"}`), so a
 * pair made either way is the same pair to every SODA component.
 */
export class KeystoneAkSkBackend implements AkSkBackend {
  constructor(
    private readonly credentials: CredentialsClient,
    private readonly keystone: KeystoneClient,
  ) {}

  withRequestId(requestId: string): KeystoneAkSkBackend {
    return new KeystoneAkSkBackend(this.credentials.withRequestId(requestId), this.keystone.withRequestId(requestId));
  }

  async createAkSk(token: string, target: AkSkTarget): Promise<AkSkPair> {
    await this.checkTargetExists(token, target);
    for (let attempt = 1; ; attempt += 1) {
      const keys = generateAkSkKeys();
      try {
        await this.credentials.createCredential(token, {
          userId: target.userId,
          projectId: target.projectId,
          type: EC2,
          blob: ec2Blob(keys),
        });
        return { accessKey: keys.access, secretKey: keys.secret, ...target, type: EC2 };
      } catch (error) {
        const collided = error instanceof UpstreamError && error.hasStatus(409);
        if (!collided || attempt === CREATE_ATTEMPTS) throw error;
      }
    }
  }

  async listAkSks(token: string, target: AkSkTarget): Promise<AkSkPair[]> {
    const credentials = await this.credentials.listCredentials(token, { userId: target.userId, type: EC2 });
    return credentials.flatMap(toPair);
  }

  /** Deletes the user's `ec2` credentials only, unlike the multicloud service, which deletes all. */
  async deleteAkSks(token: string, target: AkSkTarget): Promise<string[]> {
    const credentials = await this.credentials.listCredentials(token, { userId: target.userId, type: EC2 });
    const deleted: string[] = [];
    for (const credential of credentials) {
      // Listed a moment ago with this very token, so a 404 (or the 403 Keystone gives a member
      // for a missing credential) means a concurrent delete took it first: gone either way.
      const gone = await this.credentials.deleteCredential(token, credential.id).then(
        () => false,
        (error: unknown) => {
          if (error instanceof UpstreamError && error.hasStatus(403, 404)) return true;
          throw error;
        },
      );
      if (gone) continue;
      const keys = parseEc2Blob(credential.blob);
      if (keys) deleted.push(keys.access);
    }
    return deleted;
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
  return createHash('sha256').update(accessKey).digest('hex');
}

function toPair(credential: Credential): AkSkPair[] {
  const keys = parseEc2Blob(credential.blob);
  // Pairs made by `openstack ec2 credentials create` have 32-character keys: take any shape.
  if (!keys) return [];
  return [
    {
      accessKey: keys.access,
      secretKey: keys.secret,
      userId: credential.userId,
      projectId: credential.projectId ?? '',
      type: credential.type,
    },
  ];
}
