import { PairDetail } from '../../services/ak-sk.service';
import { fieldSelector, SelectionInfo } from '../common/selection';
import { AkSk } from './ak-sk.type';

/**
 * The `AkSk` fields that come from Keystone's copy of the pair (its metadata and its settled
 * state) rather than from the pair list itself. A pair list selecting none of them costs one
 * upstream call instead of two on the multicloud backend.
 */
export const LIFECYCLE_FIELDS: readonly (keyof AkSk)[] = [
  'status',
  'description',
  'createdAt',
  'createdBy',
  'expiresAt',
  'lastUsedAt',
];

const selectsLifecycle = fieldSelector(LIFECYCLE_FIELDS);

/** How much of each pair a list field's selection needs. */
export function pairDetailOf(info: SelectionInfo): PairDetail {
  return selectsLifecycle(info) ? 'lifecycle' : 'keys';
}
