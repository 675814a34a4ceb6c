/**
 * Keystone's list filters, from the query string: `?name=x` (exact; a boolean attribute such as
 * `enabled` reads the value as oslo's `bool_from_string` with default true) and the inexact
 * `?name__contains=x`, `__startswith`, `__endswith` with an `i` prefix for case-insensitive.
 * Every occurrence of a key is a filter of its own, so `?name=a&name=b` matches nothing.
 * Keys the list does not support, and comparators Keystone does not know, are ignored.
 */

export type FilterAttributes<T> = Record<string, (record: T) => string | boolean | null | undefined>;

const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** `keystone.common.utils.attr_as_boolean`. */
export function attrAsBoolean(value: string): boolean {
  return !FALSE_STRINGS.includes(value.trim().toLowerCase());
}

function exactMatch(attribute: string | boolean | null | undefined, value: string): boolean {
  if (typeof attribute === 'boolean') return attribute === attrAsBoolean(value);
  return attribute === value;
}

/**
 * Case-insensitive comparisons are SQL `ILIKE` on a real Keystone, where `%` and `_` in the value
 * are wildcards; here they are plain characters.
 */
function inexactMatch(attribute: unknown, comparator: string, value: string): boolean {
  const caseSensitive = !comparator.startsWith('i');
  const kind = caseSensitive ? comparator : comparator.slice(1);
  if (!['contains', 'startswith', 'endswith'].includes(kind)) return true;
  if (typeof attribute !== 'string') return false;
  const target = caseSensitive ? attribute : attribute.toLowerCase();
  const wanted = caseSensitive ? value : value.toLowerCase();
  if (kind === 'contains') return target.includes(wanted);
  if (kind === 'startswith') return target.startsWith(wanted);
  return target.endsWith(wanted);
}

export function applyListFilters<T>(records: T[], query: URLSearchParams, attributes: FilterAttributes<T>): T[] {
  let kept = records;
  for (const [key, value] of query) {
    const exact = attributes[key];
    if (exact) {
      kept = kept.filter((record) => exactMatch(exact(record), value));
      continue;
    }
    const separator = key.indexOf('__');
    if (separator <= 0) continue;
    const inexact = attributes[key.slice(0, separator)];
    if (!inexact) continue;
    const comparator = key.slice(separator + 2);
    kept = kept.filter((record) => inexactMatch(inexact(record), comparator, value));
  }
  return kept;
}
