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
}

const LIMIT_CODE = ErrorCode.QueryTooComplex;

/** Validation rules that refuse documents too deep or too wide, before anything executes. */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [depthLimit(limits.maxDepth), aliasLimit(limits.maxAliases)];
}

function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const measure = new DepthMeasure(fragments);
    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const depth = measure.depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: [operation],
              extensions: { code: LIMIT_CODE },
            }),
          );
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
