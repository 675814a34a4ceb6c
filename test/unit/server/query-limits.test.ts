import { buildSchema, parse, validate } from 'graphql';
import { QueryLimits, queryLimitRules } from '../../../src/server/query-limits';

const schema = buildSchema(`
  type Query { user: User, users: [User] }
  type User { name: String, domain: Domain, friends: [User] }
  type Domain { name: String, owner: User }
`);

/** The limit errors a document gets: messages with their codes. */
function limitErrors(
  document: string,
  limits: Omit<QueryLimits, 'introspection'> = { maxDepth: 3, maxAliases: 2 },
): Array<{ message: string; code: unknown }> {
  return validate(schema, parse(document), queryLimitRules({ ...limits, introspection: false }))
    .filter((error) => error.extensions.code === 'QUERY_TOO_COMPLEX')
    .map((error) => ({ message: error.message, code: error.extensions.code }));
}

describe('query limits', () => {
  describe('depth', () => {
    it('counts field nesting: `user { domain { name } }` is 3', () => {
      expect(limitErrors('{ user { domain { name } } }')).toEqual([]);
      expect(limitErrors('{ user { domain { owner { name } } } }')).toEqual([
        { message: 'Query is 4 levels deep; the limit is 3.', code: 'QUERY_TOO_COMPLEX' },
      ]);
    });

    it('sees through named and inline fragments', () => {
      const viaFragment = 'query { user { ...Deep } } fragment Deep on User { domain { owner { name } } }';
      expect(limitErrors(viaFragment)).toHaveLength(1);
      expect(limitErrors('{ user { ... on User { domain { owner { name } } } } }')).toHaveLength(1);
      expect(limitErrors('query { user { ...Flat } } fragment Flat on User { name }')).toEqual([]);
    });

    it('measures each operation of a document on its own', () => {
      const document = 'query Shallow { user { name } } query Deep { user { friends { friends { name } } } }';
      expect(limitErrors(document)).toEqual([{ message: 'Query is 4 levels deep; the limit is 3.', code: 'QUERY_TOO_COMPLEX' }]);
    });

    it('a fragment cycle does not loop (graphql reports the cycle itself)', () => {
      const cycle = 'query { user { ...A } } fragment A on User { friends { ...B } } fragment B on User { friends { ...A } }';
      expect(limitErrors(cycle, { maxDepth: 10, maxAliases: 2 })).toEqual([]);
    });

    // 2^60 walks if fragments were measured per spread: returning at all is the proof.
    it('measures each fragment once: a chain of 60 doubly spread fragments', () => {
      const chain = Array.from(
        { length: 60 },
        (_, index) => `fragment F${index} on User { friends { ...F${index + 1} ...F${index + 1} } }`,
      );
      const document = `{ user { ...F0 } } ${chain.join(' ')} fragment F60 on User { name }`;
      expect(limitErrors(document, { maxDepth: 100, maxAliases: 2 })).toEqual([]);
      expect(limitErrors(document, { maxDepth: 61, maxAliases: 2 })).toEqual([
        { message: 'Query is 62 levels deep; the limit is 61.', code: 'QUERY_TOO_COMPLEX' },
      ]);
    });
  });

  describe('aliases', () => {
    it('allows up to the limit, and reports one error past it however many more there are', () => {
      expect(limitErrors('{ a: user { name } b: user { n: name } }')).toHaveLength(1);
      expect(limitErrors('{ a: user { name } b: user { name } }')).toEqual([]);
      expect(limitErrors('{ a: user { name } b: user { name } c: user { name } d: user { name } }')).toEqual([
        { message: 'Query has more than 2 aliases.', code: 'QUERY_TOO_COMPLEX' },
      ]);
    });

    it('counts aliases inside fragments too', () => {
      expect(
        limitErrors('query { ...Q } fragment Q on Query { a: user { name } b: user { name } c: user { name } }'),
      ).toHaveLength(1);
    });
  });
});
