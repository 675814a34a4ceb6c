/**
 * A pair's state as the gateway's signed-request check needs it, from the credential's blob.
 * The lifecycle fields themselves (`status`, `expiresAt`) belong to the AK/SK lifecycle module:
 * this is the one place that reads them for authentication, to be pointed at that module.
 */

import { Credential } from '../upstreams/credentials/credentials.types';
import { PairState } from './sigv4-authenticator';

/** A pair is active unless its blob says `INACTIVE`; it never expires unless its blob says when. */
export function pairStateOf(credential: Credential): PairState {
  let blob: unknown;
  try {
    blob = JSON.parse(credential.blob);
  } catch {
    return { active: false, expiresAt: undefined };
  }
  const fields = blob !== null && typeof blob === 'object' ? (blob as Record<string, unknown>) : {};
  const expiresAt = typeof fields.expiresAt === 'string' ? Date.parse(fields.expiresAt) : NaN;
  return {
    active: credential.type === 'ec2' && fields.status !== 'INACTIVE',
    expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
  };
}
