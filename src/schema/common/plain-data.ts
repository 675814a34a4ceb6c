/**
 * Options for object types that are plain data (no field middleware, no computed fields):
 * type-graphql then leaves graphql's default resolver in place instead of wrapping every field,
 * which is most of the per-field cost of a list of pairs.
 */
export const PLAIN_DATA = { simpleResolvers: true } as const;
