import { createHash, randomBytes } from 'node:crypto';
import { AkSkFileFormat } from './ak-sk-file';

/** What a download link stands for: whose pairs, in which format, fetched with whose token. */
export interface DownloadGrant {
  token: string;
  userId: string;
  projectId: string;
  format: AkSkFileFormat;
}

export interface IssuedDownloadLink {
  /** The unguessable, single-use id that goes into the URL. */
  id: string;
  expiresAt: Date;
}

export interface DownloadLinkStoreOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Short-lived, single-use download links, so a plain browser link can fetch a file that needs
 * the caller's token without the token ever appearing in a URL. The link holds no secret key:
 * pairs are read from the upstream when the link is used. Stored by hash of the id.
 */
export class DownloadLinkStore {
  private readonly grants = new Map<string, DownloadGrant & { expiresAt: number }>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: DownloadLinkStoreOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  issue(grant: DownloadGrant): IssuedDownloadLink {
    this.sweep();
    while (this.grants.size >= this.maxEntries) {
      this.grants.delete(this.grants.keys().next().value as string);
    }
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.options.ttlMs;
    this.grants.set(hashOf(id), { ...grant, expiresAt });
    return { id, expiresAt: new Date(expiresAt) };
  }

  /** The grant behind a link, once: used, expired and unknown links all give `undefined`. */
  redeem(id: string): DownloadGrant | undefined {
    const key = hashOf(id);
    const grant = this.grants.get(key);
    if (!grant) return undefined;
    this.grants.delete(key);
    if (grant.expiresAt <= this.now()) return undefined;
    const { expiresAt: _expiresAt, ...rest } = grant;
    return rest;
  }

  get size(): number {
    return this.grants.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, grant] of this.grants) {
      if (grant.expiresAt <= now) this.grants.delete(key);
    }
  }
}

function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
