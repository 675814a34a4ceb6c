import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, getNamedType, isInterfaceType, isObjectType, parse, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import config from '../../codegen';

const ROOT = join(__dirname, '../..');
const OPERATIONS = join(ROOT, 'client/operations');

describe('the generated client', () => {
  it('is what `npm run codegen` makes from schema.graphql and client/operations (run it after changing either)', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: ROOT, silent: true }, false);
    const generated = Object.fromEntries(outputs.map((output) => [relative(ROOT, join(ROOT, output.filename)), output.content]));
    const committed = Object.fromEntries(
      readdirSync(join(ROOT, 'client/generated')).map((name) => {
        const path = `client/generated/${name}`;
        return [path, readFileSync(join(ROOT, path), 'utf8')];
      }),
    );
    expect(Object.keys(committed).sort()).toEqual(Object.keys(generated).sort());
    for (const [path, content] of Object.entries(generated)) {
      expect({ path, content: committed[path] }).toEqual({ path, content });
    }
  }, 60_000);

  it('has operations selecting every query, mutation and field of the schema', () => {
    const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
    const selected = new Set<string>();
    const typeInfo = new TypeInfo(schema);
    for (const file of readdirSync(OPERATIONS).filter((name) => name.endsWith('.graphql'))) {
      const document = parse(readFileSync(join(OPERATIONS, file), 'utf8'));
      visit(
        document,
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            const parent = typeInfo.getParentType();
            if (parent) selected.add(`${parent.name}.${node.name.value}`);
          },
        }),
      );
    }
    const everyField: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.startsWith('__')) everyField.push(`${type.name}.${field.name}`);
      }
    }
    expect(everyField.filter((field) => !selected.has(field))).toEqual([]);
  });
});
