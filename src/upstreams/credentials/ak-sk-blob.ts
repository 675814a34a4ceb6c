/**
 * What an AK/SK pair's Keystone credential holds: the keys, and the gateway's metadata as extra
 * fields of the same JSON blob. Keystone keeps extra fields; ec2tokens, the OS-EC2 API and the
 * multicloud service ignore them. The one place that names those fields.
 *
 * An active pair is a credential of type `ec2` (the only type ec2tokens/s3tokens accept); an
 * inactive one is a credential of type `ec2-inactive` holding the same blob. Keystone's PATCH
 * changes only the blob, so a transition copies the pair to the other type and deletes the
 * original, with `transition` marking the intent so a crash between the two is finished later.
 */

import { asRecord, asString } from '../body-shape';
import { Ec2Keys } from './credentials.types';

export const ACTIVE_TYPE = 'ec2';
export const INACTIVE_TYPE = 'ec2-inactive';

/** The blob's field names, as stored. */
export const BLOB_FIELDS = {
  access: 'access',
  secret: 'secret',
  description: 'description',
  createdAt: 'created_at',
  createdBy: 'created_by',
  expiresAt: 'expires_at',
  lastUsedAt: 'last_used_at',
  transition: 'transition',
} as const;

/** A transition that was started and not yet finished. */
export type AkSkTransition = 'deactivating' | 'activating';

export interface AkSkMetadata {
  description?: string;
  createdAt?: Date;
  /** User id of whoever created the pair through the gateway. */
  createdBy?: string;
  expiresAt?: Date;
  lastUsedAt?: Date;
  transition?: AkSkTransition;
}

export interface AkSkBlob extends Ec2Keys {
  metadata: AkSkMetadata;
  /** Fields the gateway does not own (`trust_id` of `openstack ec2 credentials create`...), kept as found. */
  others: Record<string, unknown>;
}

const OWNED = new Set<string>(Object.values(BLOB_FIELDS));

/** Reads a blob; `undefined` when it is not JSON or holds no key pair. Unreadable metadata is ignored. */
export function parseAkSkBlob(blob: string): AkSkBlob | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    return undefined;
  }
  const record = asRecord(parsed);
  const access = asString(record?.[BLOB_FIELDS.access]);
  const secret = asString(record?.[BLOB_FIELDS.secret]);
  if (!record || !access || !secret) return undefined;
  const transition = record[BLOB_FIELDS.transition];
  const metadata: AkSkMetadata = {
    description: asString(record[BLOB_FIELDS.description]),
    createdAt: dateOf(record[BLOB_FIELDS.createdAt]),
    createdBy: asString(record[BLOB_FIELDS.createdBy]),
    expiresAt: dateOf(record[BLOB_FIELDS.expiresAt]),
    lastUsedAt: dateOf(record[BLOB_FIELDS.lastUsedAt]),
    transition: transition === 'deactivating' || transition === 'activating' ? transition : undefined,
  };
  const others = Object.fromEntries(Object.entries(record).filter(([key]) => !OWNED.has(key)));
  return { access, secret, metadata: withoutUndefined(metadata), others };
}

/** Always JSON: a blob that is not makes the multicloud service fail every list of its user. */
export function writeAkSkBlob(blob: AkSkBlob): string {
  const { metadata } = blob;
  const fields: Record<string, unknown> = {
    ...blob.others,
    [BLOB_FIELDS.access]: blob.access,
    [BLOB_FIELDS.secret]: blob.secret,
    [BLOB_FIELDS.description]: metadata.description,
    [BLOB_FIELDS.createdAt]: metadata.createdAt?.toISOString(),
    [BLOB_FIELDS.createdBy]: metadata.createdBy,
    [BLOB_FIELDS.expiresAt]: metadata.expiresAt?.toISOString(),
    [BLOB_FIELDS.lastUsedAt]: metadata.lastUsedAt?.toISOString(),
    [BLOB_FIELDS.transition]: metadata.transition,
  };
  return JSON.stringify(withoutUndefined(fields));
}

export type AkSkState = 'ACTIVE' | 'INACTIVE' | 'EXPIRED';

/** The state a pair reads as: expiry wins at once, before any sweeper has acted in Keystone. */
export function stateOf(type: string, metadata: AkSkMetadata | undefined, now: number): AkSkState {
  if (metadata?.expiresAt && metadata.expiresAt.getTime() <= now) return 'EXPIRED';
  return type === INACTIVE_TYPE ? 'INACTIVE' : 'ACTIVE';
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
