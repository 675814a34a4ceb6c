import {
  assertObjectType,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import { buildGatewaySchema } from '../../../src/schema/build-schema';
import { fieldSelector, SelectionInfo } from '../../../src/schema/common/selection';
import { LIFECYCLE_FIELDS, pairDetailOf } from '../../../src/schema/ak-sk/pair-detail';

/** The `info` a resolver of the operation's first root field would get. */
function infoOf(document: string): SelectionInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const node of parsed.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments[node.name.value] = node;
  const fieldNodes = operation.selectionSet.selections.filter((node): node is FieldNode => node.kind === Kind.FIELD);
  return { fieldNodes, fragments };
}

describe('fieldSelector', () => {
  const selectsStatus = fieldSelector(['status']);

  it.each([
    ['a direct sub-field', '{ akSk(userId: "u") { accessKey status } }', true],
    ['no such sub-field', '{ akSk(userId: "u") { accessKey secretKey } }', false],
    ['an inline fragment', '{ akSk(userId: "u") { accessKey ... on AkSk { status } } }', true],
    [
      'a fragment spread',
      '{ akSk(userId: "u") { ...Keys } } fragment Keys on AkSk { accessKey ...State } fragment State on AkSk { status }',
      true,
    ],
    [
      'a field under @include, whatever its variable',
      'query($x: Boolean!) { akSk(userId: "u") { accessKey status @include(if: $x) } }',
      true,
    ],
    ['the same name on a nested object only', '{ akSk(userId: "u") { accessKey project { status: name } } }', false],
    ['one of two merged field nodes', '{ akSk(userId: "u") { accessKey } akSk(userId: "u") { status } }', true],
    [
      'a fragment cycle (unvalidated)',
      '{ akSk(userId: "u") { ...A } } fragment A on AkSk { ...B } fragment B on AkSk { ...A }',
      false,
    ],
  ])('%s', (_case, document, expected) => {
    expect(selectsStatus(infoOf(document))).toBe(expected);
  });

  it('answers the same for the same field nodes (a cached document), and per node', () => {
    const keysOnly = infoOf('{ akSk(userId: "u") { accessKey } }');
    const withStatus = infoOf('{ akSk(userId: "u") { status } }');
    for (let round = 0; round < 2; round++) {
      expect(selectsStatus(keysOnly)).toBe(false);
      expect(selectsStatus(withStatus)).toBe(true);
    }
  });
});

describe('pairDetailOf', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildGatewaySchema();
  });

  it('keys for a selection of keys, owner and project; lifecycle as soon as one lifecycle field is asked for', () => {
    expect(pairDetailOf(infoOf('{ akSk(userId: "u") { accessKey secretKey userId projectId type project { name } } }'))).toBe(
      'keys',
    );
    for (const field of LIFECYCLE_FIELDS) {
      expect(pairDetailOf(infoOf(`{ akSk(userId: "u") { accessKey ${field} } }`))).toBe('lifecycle');
    }
  });

  // A new AkSk field must be placed on one side: read from the pair list, or from Keystone's metadata.
  it('every AkSk field is either a key field the pair list fills or a lifecycle field', () => {
    const fields = Object.keys(assertObjectType(schema.getType('AkSk')).getFields());
    const keyFields = fields.filter((field) => !(LIFECYCLE_FIELDS as readonly string[]).includes(field));
    expect(keyFields.sort()).toEqual(['accessKey', 'project', 'projectId', 'secretKey', 'type', 'userId']);
    expect(fields).toEqual(expect.arrayContaining([...LIFECYCLE_FIELDS]));
  });
});
