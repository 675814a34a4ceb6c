/**
 * The JSON Schema keywords Keystone's request schemas use, checked the way Keystone does it:
 * python-jsonschema's `Draft4Validator.validate`, which raises the FIRST error met walking the
 * schema's keywords in source order, rendered into Keystone's 400 message.
 */

import { KeystoneCrash, keystoneErrors } from './keystone-errors';
import { pythonPformat, pythonRepr } from './python-repr';

/** Key order matters: it is the order Keystone's schema dicts are written in. */
export interface JsonSchema {
  title?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  /** Python `re.search` semantics: unanchored unless the pattern anchors itself. */
  pattern?: string;
  enum?: unknown[];
  not?: JsonSchema;
  oneOf?: JsonSchema[];
  /** Not a keyword: Keystone's user schema carries it at the top, jsonschema ignores it. */
  options?: unknown;
}

/** Python's `len()` of a string: code points, not UTF-16 units. */
function codePoints(text: string): number {
  return [...text].length;
}

interface SchemaViolation {
  message: string;
  keyword: string;
  instancePath: (string | number)[];
  /** Path of the schema holding the failed keyword. */
  schemaPath: (string | number)[];
  schema: JsonSchema;
  instance: unknown;
}

type Path = (string | number)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function* violations(schema: JsonSchema, instance: unknown, instancePath: Path, schemaPath: Path): Generator<SchemaViolation> {
  const fail = (keyword: string, message: string): SchemaViolation => ({
    message,
    keyword,
    instancePath,
    schemaPath,
    schema,
    instance,
  });
  for (const keyword of Object.keys(schema) as (keyof JsonSchema)[]) {
    switch (keyword) {
      case 'type': {
        const allowed = Array.isArray(schema.type) ? schema.type : [schema.type as string];
        if (!allowed.some((type) => hasType(instance, type))) {
          yield fail('type', `${pythonRepr(instance)} is not of type ${allowed.map((t) => pythonRepr(t)).join(', ')}`);
        }
        break;
      }
      case 'properties':
        if (!isRecord(instance)) break;
        for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
          if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
          yield* violations(propertySchema, instance[name], [...instancePath, name], [...schemaPath, 'properties', name]);
        }
        break;
      case 'additionalProperties': {
        if (schema.additionalProperties !== false || !isRecord(instance)) break;
        const known = Object.keys(schema.properties ?? {});
        // Python reports a set, whose order for several extras is not predictable; one is exact.
        const extras = Object.keys(instance).filter((name) => !known.includes(name));
        if (extras.length > 0) {
          const names = extras.map((name) => pythonRepr(name)).join(', ');
          yield fail(
            'additionalProperties',
            `Additional properties are not allowed (${names} ${extras.length === 1 ? 'was' : 'were'} unexpected)`,
          );
        }
        break;
      }
      case 'required':
        if (!isRecord(instance)) break;
        for (const name of schema.required ?? []) {
          if (!Object.prototype.hasOwnProperty.call(instance, name)) {
            yield fail('required', `${pythonRepr(name)} is a required property`);
          }
        }
        break;
      case 'items':
        if (!Array.isArray(instance)) break;
        for (const [index, item] of instance.entries()) {
          yield* violations(schema.items as JsonSchema, item, [...instancePath, index], [...schemaPath, 'items']);
        }
        break;
      case 'minItems':
        if (Array.isArray(instance) && instance.length < (schema.minItems as number)) {
          yield fail('minItems', `${pythonRepr(instance)} is too short`);
        }
        break;
      case 'uniqueItems':
        if (schema.uniqueItems && Array.isArray(instance)) {
          const seen = instance.map((item) => JSON.stringify(item));
          if (new Set(seen).size !== seen.length) yield fail('uniqueItems', `${pythonRepr(instance)} has non-unique elements`);
        }
        break;
      case 'minLength':
        if (typeof instance === 'string' && codePoints(instance) < (schema.minLength as number)) {
          yield fail('minLength', `${pythonRepr(instance)} is too short`);
        }
        break;
      case 'maxLength':
        if (typeof instance === 'string' && codePoints(instance) > (schema.maxLength as number)) {
          yield fail('maxLength', `${pythonRepr(instance)} is too long`);
        }
        break;
      case 'pattern':
        if (typeof instance === 'string' && !new RegExp(schema.pattern as string, 'u').test(instance)) {
          yield fail('pattern', `${pythonRepr(instance)} does not match ${pythonRepr(schema.pattern)}`);
        }
        break;
      case 'enum':
        if (!(schema.enum ?? []).some((allowed) => jsonEqual(allowed, instance))) {
          yield fail('enum', `${pythonRepr(instance)} is not one of ${pythonRepr(schema.enum)}`);
        }
        break;
      case 'not':
        if (violations(schema.not as JsonSchema, instance, instancePath, [...schemaPath, 'not']).next().done) {
          yield fail('not', `${pythonRepr(instance)} should not be valid under ${pythonRepr(schema.not)}`);
        }
        break;
      case 'oneOf': {
        const valid = (schema.oneOf ?? []).filter(
          (option, index) => violations(option, instance, instancePath, [...schemaPath, 'oneOf', index]).next().done,
        );
        if (valid.length === 0) {
          yield fail('oneOf', `${pythonRepr(instance)} is not valid under any of the given schemas`);
        } else if (valid.length > 1) {
          yield fail('oneOf', `${pythonRepr(instance)} is valid under each of ${valid.map((v) => pythonRepr(v)).join(', ')}`);
        }
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Nesting depth at which pprint, rendering the offending instance into the message, exhausts
 * Python's recursion limit on the test server: Keystone then crashes instead of answering 400.
 */
const MAX_RENDERABLE_DEPTH = 309;

function valueDepth(value: unknown): number {
  let deepest = 0;
  const pending: { item: unknown; depth: number }[] = [{ item: value, depth: 0 }];
  while (pending.length > 0) {
    const { item, depth } = pending.pop() as { item: unknown; depth: number };
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(item)) pending.push({ item: child, depth: depth + 1 });
  }
  return deepest;
}

function indentContinuation(text: string): string {
  return text.split('\n').join('\n    ');
}

/** jsonschema's `str(ValidationError)`, prefixed by Keystone with the field when there is one. */
function describe(violation: SchemaViolation): string {
  const location = (root: string, path: Path) => root + path.map((part) => `[${pythonRepr(part)}]`).join('');
  const full =
    `${violation.message}\n\n` +
    `Failed validating ${pythonRepr(violation.keyword)} in ${location('schema', violation.schemaPath)}:\n` +
    `    ${indentContinuation(pythonPformat(violation.schema))}\n\n` +
    `On ${location('instance', violation.instancePath)}:\n` +
    `    ${indentContinuation(pythonPformat(violation.instance))}`;
  if (violation.instancePath.length === 0) return full;
  return `Invalid input for field '${violation.instancePath.join('/')}': ${full}`;
}

/** Throws Keystone's 400 `SchemaValidationError` for the first violation. */
export function assertMatchesSchema(schema: JsonSchema, instance: unknown): void {
  const first = violations(schema, instance, [], []).next();
  if (first.done) return;
  if (valueDepth(first.value.instance) > MAX_RENDERABLE_DEPTH) throw new KeystoneCrash('instance too deep for pprint');
  throw keystoneErrors.badRequest(describe(first.value));
}
