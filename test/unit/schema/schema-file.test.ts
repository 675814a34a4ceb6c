import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEnumType, isInputObjectType, isObjectType, isScalarType } from 'graphql';
import { buildGatewaySchema } from '../../../src/schema/build-schema';
import { printGatewaySchema } from '../../../src/schema/print-schema';

describe('schema.graphql', () => {
  it('is what the classes build (run `npm run schema` after changing them)', () => {
    const committed = readFileSync(join(__dirname, '../../../schema.graphql'), 'utf8');
    expect(committed).toBe(printGatewaySchema());
  });

  it('documents every type, field, argument and enum value', () => {
    const undocumented: string[] = [];
    const schema = buildGatewaySchema();
    const rootTypes = [schema.getQueryType(), schema.getMutationType()];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || (isScalarType(type) && !type.name.startsWith('Date'))) continue;
      if (!type.description && !rootTypes.includes(type as never)) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) undocumented.push(`${type.name}.${value.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
