import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { ErrorCode } from '../errors/error-code';

export interface QueryLimits {
  /** Deepest field nesting; `users { akSks { accessKey } }` is 3. */
  maxDepth: number;
  /** Aliased fields in one document: aliases multiply upstream calls for free. */
  maxAliases: number;
  /**
   * Whether introspection is served: then `__schema`/`__type` are measured against
   * INTROSPECTION_MAX_DEPTH instead of maxDepth, so every standard introspection query passes.
   */
  introspection: boolean;
}

/**
 * Depth bound of `__schema` and `__type` selections. graphql-js 16's `getIntrospectionQuery()`
 * is 15 levels deep (its TypeRef fragment nests `ofType` to 9 levels), graphql-js 15's is 13;
 * GraphiQL, Apollo Sandbox and GraphQL Code Generator send one of those. Headroom of a few
 * levels for tools that nest one more; hundreds of nested `ofType` are still refused. Breadth is
 * bounded by graphql-js's own MaxIntrospectionDepthRule (fields/interfaces/possibleTypes nesting),
 * the alias limit and the token limit.
 */
export const INTROSPECTION_MAX_DEPTH = 20;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

const LIMIT_CODE = ErrorCode.QueryTooComplex;

/** Validation rules that refuse documents too deep or too wide, before anything executes. */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  // With introspection off Apollo refuses `__schema`/`__type` anyway: one bound for everything.
  const introspectionDepth = limits.introspection ? Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH) : undefined;
  return [depthLimit(limits.maxDepth, introspectionDepth), aliasLimit(limits.maxAliases)];
}

function depthLimit(maxDepth: number, maxIntrospectionDepth: number | undefined): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const measure = new DepthMeasure(fragments);
    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        let depth = 0;
        let introspectionDepth = 0;
        for (const field of measure.rootFields(operation.selectionSet)) {
          const fieldDepth = field.selectionSet ? 1 + measure.depthOf(field.selectionSet) : 1;
          if (maxIntrospectionDepth !== undefined && INTROSPECTION_ROOTS.has(field.name.value))
            introspectionDepth = Math.max(introspectionDepth, fieldDepth);
          else depth = Math.max(depth, fieldDepth);
        }
        const report = (message: string) =>
          context.reportError(new GraphQLError(message, { nodes: [operation], extensions: { code: LIMIT_CODE } }));
        if (depth > maxDepth) report(`Query is ${depth} levels deep; the limit is ${maxDepth}.`);
        if (maxIntrospectionDepth !== undefined && introspectionDepth > maxIntrospectionDepth) {
          report(`Introspection is ${introspectionDepth} levels deep; the limit is ${maxIntrospectionDepth}.`);
        }
      },
    };
  };
}

/**
 * Depth of selection sets, each fragment measured once: a fragment spread twice by a fragment
 * spread twice... would otherwise be walked 2^n times (regression: 400 tokens froze the process).
 */
class DepthMeasure {
  private readonly fragmentDepths = new Map<string, number>();
  private readonly visiting = new Set<string>();

  constructor(private readonly fragments: Map<string, FragmentDefinitionNode>) {}

  /** The operation's top-level fields, through fragments at the top; each fragment taken once. */
  rootFields(selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
    const fields: FieldNode[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fields.push(...this.rootFields(selection.selectionSet, seen));
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        fields.push(...this.rootFields(fragment.selectionSet, seen));
      }
    }
    return fields;
  }

  depthOf(selectionSet: SelectionSetNode): number {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      let depth: number;
      if (selection.kind === Kind.FIELD) {
        depth = selection.selectionSet ? 1 + this.depthOf(selection.selectionSet) : 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        depth = this.depthOf(selection.selectionSet);
      } else {
        depth = this.fragmentDepth(selection.name.value);
      }
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  private fragmentDepth(name: string): number {
    const known = this.fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    // A fragment cycle is reported by graphql's own rules; count it as flat rather than loop.
    if (!fragment || this.visiting.has(name)) return 0;
    this.visiting.add(name);
    const depth = this.depthOf(fragment.selectionSet);
    this.visiting.delete(name);
    this.fragmentDepths.set(name, depth);
    return depth;
  }
}

function aliasLimit(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(field: FieldNode) {
        if (!field.alias) return;
        aliases += 1;
        if (aliases > maxAliases && !reported) {
          reported = true;
          context.reportError(
            new GraphQLError(`Query has more than ${maxAliases} aliases.`, { nodes: [field], extensions: { code: LIMIT_CODE } }),
          );
        }
      },
    };
  };
}
