/**
 * Where AK/SK pairs live. The multicloud service is one backend; Keystone's own credentials
 * API is another. Both store the same `ec2` credentials, so a pair is the same pair whichever
 * path made it.
 */

import { AkSkMetadata } from './credentials/ak-sk-blob';

export interface AkSkPair {
  accessKey: string;
  secretKey: string;
  userId: string;
  projectId: string;
  /** Keystone credential type: `ec2` when active, `ec2-inactive` when switched off. */
  type: string;
  /** The gateway's metadata from the credential's blob; `undefined` when the backend cannot read it. */
  metadata?: AkSkMetadata;
}

/** Whose pairs, and through which project's endpoint. */
export interface AkSkTarget {
  userId: string;
  projectId: string;
}

export interface AkSkBackend {
  /**
   * Whether pairs carry their metadata: the Keystone backend stores and reads it in the blob;
   * the multicloud service ignores it, so the gateway adds and reads it in Keystone itself.
   */
  readonly storesMetadata: boolean;
  /** Whether `deleteAkSks` answers which access keys it deleted (the multicloud service does not say). */
  readonly reportsDeletedKeys: boolean;
  /** Creates a new pair for the target user in the target project, with its metadata when it stores any. */
  createAkSk(token: string, target: AkSkTarget, metadata?: AkSkMetadata): Promise<AkSkPair>;
  /** Every pair of the user; `[]` when there is none. */
  listAkSks(token: string, target: AkSkTarget): Promise<AkSkPair[]>;
  /** Removes the user's pairs; returns their access keys when the backend can tell. */
  deleteAkSks(token: string, target: AkSkTarget): Promise<string[] | undefined>;
  withRequestId(requestId: string): AkSkBackend;
}
