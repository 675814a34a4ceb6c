import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';
import { ErrorCode } from '../errors/error-code';
import { GatewayError } from '../errors/gateway-error';
import { KeyValueStore } from '../state/key-value-store';
import { AkSkFileFormat } from './ak-sk-file';

/** What a download link stands for: whose pairs, in which format, fetched with whose token. */
export interface DownloadGrant {
  token: string;
  userId: string;
  projectId: string;
  format: AkSkFileFormat;
  /** Only this pair goes into the file; absent: every pair of the user. */
  accessKey?: string;
  /** Who made the link, for the audit event of its download. */
  issuedBy: { userId: string; projectId: string | null };
}

export interface IssuedDownloadLink {
  /** The unguessable, single-use id that goes into the URL. */
  id: string;
  expiresAt: Date;
}

export interface DownloadLinkStoreOptions {
  ttlMs: number;
  /** Unused links one token may hold at once: a caller cannot fill the store with links. */
  maxPerToken: number;
  /** Where the per-token counts live: the security store, which link churn cannot evict. */
  counters: KeyValueStore;
  now?: () => number;
}

/**
 * Short-lived, single-use download links, so a plain browser link can fetch a file that needs
 * the caller's token without the token ever appearing in a URL. The link holds no secret key:
 * pairs are read from the upstream when the link is used.
 *
 * The store (memory, or Redis shared by replicas) keeps the grant under a hash of the link id,
 * encrypted with a key derived from the id: without the link, what is stored is useless, so
 * the caller's token never sits readable in Redis.
 */
export class DownloadLinkStore {
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: DownloadLinkStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async issue(grant: DownloadGrant): Promise<IssuedDownloadLink> {
    const held = await this.options.counters.reserve(tokenKey(grant.token), this.options.maxPerToken, this.options.ttlMs);
    if (!held.reserved) {
      const retryAfterSeconds = Math.max(1, Math.ceil(held.resetInMs / 1000));
      throw new GatewayError(
        ErrorCode.TooManyRequests,
        `At most ${this.options.maxPerToken} unused download links per token; use one or wait ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
    }
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.options.ttlMs;
    await this.store.set(storeKey(id), seal(id, JSON.stringify({ ...grant, expiresAt })), this.options.ttlMs);
    return { id, expiresAt: new Date(expiresAt) };
  }

  /** The grant behind a link, once: used, expired and unknown links all give `undefined`. */
  async redeem(id: string): Promise<DownloadGrant | undefined> {
    const sealed = await this.store.take(storeKey(id));
    if (sealed === undefined) return undefined;
    const opened = open(id, sealed);
    if (!opened) return undefined;
    const { expiresAt, ...grant } = JSON.parse(opened) as DownloadGrant & { expiresAt: number };
    await this.options.counters.release(tokenKey(grant.token));
    return expiresAt > this.now() ? grant : undefined;
  }
}

function tokenKey(token: string): string {
  return `download-links:${hash('sha256', token, 'base64url')}`;
}

function storeKey(id: string): string {
  return `download:${hash('sha256', id, 'base64url')}`;
}

function keyOf(id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', id, 'soda-aksk-gateway', 'download-grant', 32));
}

function seal(id: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(id), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

function open(id: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(id), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
