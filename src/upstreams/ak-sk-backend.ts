/**
 * Where AK/SK pairs live. The multicloud service is one backend; Keystone's own credentials
 * API is another. Both store the same `ec2` credentials, so a pair is the same pair whichever
 * path made it.
 */

export interface AkSkPair {
  accessKey: string;
  secretKey: string;
  userId: string;
  projectId: string;
  /** Keystone credential type; `ec2` for every AK/SK pair. */
  type: string;
}

/** Whose pairs, and through which project's endpoint. */
export interface AkSkTarget {
  userId: string;
  projectId: string;
}

export interface AkSkBackend {
  /** Creates a new pair for the target user in the target project. */
  createAkSk(token: string, target: AkSkTarget): Promise<AkSkPair>;
  /** Every pair of the user; `[]` when there is none. */
  listAkSks(token: string, target: AkSkTarget): Promise<AkSkPair[]>;
  /** Removes the user's pairs; returns their access keys when the backend can tell. */
  deleteAkSks(token: string, target: AkSkTarget): Promise<string[] | undefined>;
  withRequestId(requestId: string): AkSkBackend;
}
