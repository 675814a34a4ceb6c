import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';
import { Project, Role, User } from '../common/identity.type';

@ObjectType({
  ...PLAIN_DATA,
  description: "Who the caller is: the caller's token as Keystone sees it, without the token itself.",
})
export class Viewer {
  @Field(() => User, { description: 'The logged-in user.' })
  user!: User;

  @Field(() => Project, { nullable: true, description: 'The project the token is scoped to; null when unscoped.' })
  project?: Project;

  @Field(() => [Role], { description: 'The roles the token carries on its project.' })
  roles!: Role[];

  @Field(() => [String], { description: 'How the token was obtained: `password`, `token`, ...' })
  methods!: string[];

  @Field(() => GraphQLDateTime, { description: 'When Keystone issued the token.' })
  issuedAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the token stops working.' })
  expiresAt!: Date;

  @Field(() => Boolean, { description: "Whether the token carries the `admin` role (may manage every user's pairs)." })
  isAdmin!: boolean;
}
