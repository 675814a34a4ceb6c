import { badUserInput } from '../errors/gateway-error';

/**
 * One page of a user list, Relay style, computed in the gateway: Keystone's `GET /users` has no
 * pagination (only a `list_limit` that truncates), so the gateway reads the list once per request
 * and pages it here. Cursors are keyset positions (name and id), not offsets, so a user created or
 * deleted between two pages neither repeats nor skips anyone.
 */

export type UserOrderKind = 'NAME_ASC' | 'NAME_DESC';

export interface PageRequest {
  first: number;
  after?: string | null;
  search?: string | null;
  order: UserOrderKind;
}

export interface Page<T> {
  items: Array<{ cursor: string; node: T }>;
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export const MAX_PAGE_SIZE = 100;
const MAX_SEARCH_LENGTH = 255;

interface Named {
  id: string;
  name: string;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function encodeCursor(user: Named): string {
  return Buffer.from(JSON.stringify([user.name, user.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Named {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === 'string')) {
      return { name: decoded[0], id: decoded[1] };
    }
  } catch {
    // Falls through to the one message below.
  }
  throw badUserInput('after is not a cursor this gateway returned: use pageInfo.endCursor of the previous page.');
}

function compare(a: Named, b: Named, order: UserOrderKind): number {
  const byName = collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ascending = byName || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'NAME_DESC' ? -ascending : ascending;
}

/** Checks the arguments before any upstream call. */
export function checkPageRequest(request: PageRequest): void {
  if (!Number.isInteger(request.first) || request.first < 1 || request.first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  if (request.search && request.search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters.`);
  }
  if (request.after) decodeCursor(request.after);
}

/** Filters by name (case- and accent-insensitive substring), sorts, and cuts the page after the cursor. */
export function pageOf<T extends Named>(all: readonly T[], request: PageRequest): Page<T> {
  checkPageRequest(request);
  const needle = request.search?.trim().toLocaleLowerCase() ?? '';
  const matching = needle
    ? all.filter((user) => user.name.toLocaleLowerCase().includes(needle) || fold(user.name).includes(fold(needle)))
    : [...all];
  matching.sort((a, b) => compare(a, b, request.order));
  const after = request.after ? decodeCursor(request.after) : undefined;
  const start = after ? firstIndexAfter(matching, after, request.order) : 0;
  const slice = matching.slice(start, start + request.first);
  return {
    items: slice.map((node) => ({ cursor: encodeCursor(node), node })),
    totalCount: matching.length,
    hasNextPage: start + request.first < matching.length,
    hasPreviousPage: start > 0,
  };
}

function firstIndexAfter(sorted: readonly Named[], cursor: Named, order: UserOrderKind): number {
  const index = sorted.findIndex((user) => compare(user, cursor, order) > 0);
  return index === -1 ? sorted.length : index;
}

/** Accents off, for a search that finds "José" from "jose". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();
}
