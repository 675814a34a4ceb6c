import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';
import { Project, Role, User } from '../common/identity.type';

@ObjectType({ ...PLAIN_DATA, description: 'A Keystone token and what it grants.' })
export class AuthToken {
  @Field(() => String, {
    nullable: true,
    description:
      "The token itself (Keystone's `X-Subject-Token`). Send it on later requests as `X-Auth-Token: <token>` " +
      'or `Authorization: Bearer <token>`. Treat it like a password. Null when it was set as the browser ' +
      'session cookie instead (`session: true`), where page scripts cannot read it.',
  })
  token!: string | null;

  @Field(() => GraphQLDateTime, { description: 'When the token stops working.' })
  expiresAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When Keystone issued the token.' })
  issuedAt!: Date;

  @Field(() => [String], { description: 'How the token was obtained: `password`, `token`, ...' })
  methods!: string[];

  @Field(() => User, { description: 'The user the token belongs to.' })
  user!: User;

  @Field(() => Project, {
    nullable: true,
    description: 'The project the token is scoped to; null for an unscoped token (call `scopeToken`).',
  })
  project?: Project;

  @Field(() => [Role], { description: 'The roles the token carries on its project; empty when unscoped.' })
  roles!: Role[];
}
