import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/** The parts of a resolver's `info` a selection check reads; graphql-js and graphql-jit both give them. */
export type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * Whether a field's selection asks for any of `names` among its own sub-fields (fragments
 * included, nested objects not). A field under `@skip`/`@include` counts as asked for: the answer
 * depends on the document only, so it is worked out once per field node of a cached document.
 */
export function fieldSelector(names: Iterable<string>): (info: SelectionInfo) => boolean {
  const wanted = new Set(names);
  const known = new WeakMap<FieldNode, boolean>();
  return (info) =>
    info.fieldNodes.some((node) => {
      let asks = known.get(node);
      if (asks === undefined) {
        asks = selectsAny(node.selectionSet, wanted, info.fragments, new Set());
        known.set(node, asks);
      }
      return asks;
    });
}

function selectsAny(
  selectionSet: SelectionSetNode | undefined,
  wanted: ReadonlySet<string>,
  fragments: Record<string, FragmentDefinitionNode>,
  visited: Set<string>,
): boolean {
  return (selectionSet?.selections ?? []).some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return wanted.has(selection.name.value);
      case Kind.INLINE_FRAGMENT:
        return selectsAny(selection.selectionSet, wanted, fragments, visited);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        // Validation refuses fragment cycles; the guard keeps an unvalidated document finite.
        if (visited.has(name)) return false;
        visited.add(name);
        return selectsAny(fragments[name]?.selectionSet, wanted, fragments, visited);
      }
    }
  });
}
