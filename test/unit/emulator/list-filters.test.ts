import { applyListFilters, attrAsBoolean } from '../../../src/emulator/keystone/list-filters';

interface Row {
  name: string;
  enabled: boolean;
  domain: string | null;
}

const rows: Row[] = [
  { name: 'alice', enabled: true, domain: 'default' },
  { name: 'Alina', enabled: false, domain: 'default' },
  { name: 'bob', enabled: true, domain: null },
];

const attributes = {
  name: (row: Row) => row.name,
  enabled: (row: Row) => row.enabled,
  domain_id: (row: Row) => row.domain,
};

function names(query: string): string[] {
  return applyListFilters(rows, new URLSearchParams(query), attributes).map((row) => row.name);
}

describe("Keystone's list filters", () => {
  test('attr_as_boolean: only oslo false strings are false, anything else (even empty) true', () => {
    for (const value of ['0', 'f', 'False', ' no ', 'OFF', 'n']) expect(attrAsBoolean(value)).toBe(false);
    for (const value of ['1', 'true', 'yes', '', 'maybe']) expect(attrAsBoolean(value)).toBe(true);
  });

  test('exact filters: strings compare exactly, booleans through attr_as_boolean, null matches nothing', () => {
    expect(names('name=alice')).toEqual(['alice']);
    expect(names('name=ALICE')).toEqual([]);
    expect(names('enabled=false')).toEqual(['Alina']);
    expect(names('enabled=')).toEqual(['alice', 'bob']);
    expect(names('domain_id=default')).toEqual(['alice', 'Alina']);
    expect(names('domain_id=')).toEqual([]);
  });

  test('each occurrence of a key is one more filter', () => {
    expect(names('name=alice&name=alice')).toEqual(['alice']);
    expect(names('name=alice&name=bob')).toEqual([]);
  });

  test('inexact filters, case-sensitive or with the i prefix not', () => {
    expect(names('name__startswith=Al')).toEqual(['Alina']);
    expect(names('name__istartswith=al')).toEqual(['alice', 'Alina']);
    expect(names('name__contains=li')).toEqual(['alice', 'Alina']);
    expect(names('name__iendswith=CE')).toEqual(['alice']);
  });

  test('unknown keys and unknown comparators are ignored', () => {
    expect(names('colour=red')).toEqual(['alice', 'Alina', 'bob']);
    expect(names('name__regex=x')).toEqual(['alice', 'Alina', 'bob']);
    expect(names('colour__contains=x')).toEqual(['alice', 'Alina', 'bob']);
  });
});
