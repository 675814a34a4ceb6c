/**
 * A pair's state as the signed-request check needs it, read through the lifecycle's one blob
 * module (`ak-sk-blob.ts`), so authentication and `AkSk.status` never disagree.
 */

import { ACTIVE_TYPE, parseAkSkBlob } from '../upstreams/credentials/ak-sk-blob';
import { Credential } from '../upstreams/credentials/credentials.types';
import { PairState } from './sigv4-authenticator';

/** Active only as an `ec2` credential not being switched off; expiring when its blob says so. */
export function pairStateOf(credential: Credential): PairState {
  const blob = parseAkSkBlob(credential.blob);
  if (!blob) return { active: false, expiresAt: undefined };
  return {
    active: credential.type === ACTIVE_TYPE && blob.metadata.transition !== 'deactivating',
    expiresAt: blob.metadata.expiresAt?.getTime(),
  };
}
