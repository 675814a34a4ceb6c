import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';
import { User } from '../common/identity.type';

export enum UserOrder {
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
}

registerEnumType(UserOrder, {
  name: 'UserOrder',
  description: 'How `usersConnection` sorts users.',
  valuesConfig: {
    NAME_ASC: { description: 'By name, A to Z (case-insensitive; digits in numeric order), then by id.' },
    NAME_DESC: { description: 'By name, Z to A, then by id.' },
  },
});

@ArgsType()
export class UsersConnectionArgs {
  @Field(() => Int, { defaultValue: 25, description: 'How many users to return: 1 to 100.' })
  first!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Return the users after this cursor: `pageInfo.endCursor` of the previous page.',
  })
  after?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only users whose name contains this text (case- and accent-insensitive).',
  })
  search?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Only users with at least one AK/SK pair (a Keystone `ec2` credential), in any project. Costs one ' +
      'upstream call for the whole list, not one per user.',
  })
  withAkSks!: boolean;

  @Field(() => UserOrder, { defaultValue: UserOrder.NAME_ASC, description: 'The sort order.' })
  orderBy!: UserOrder;
}

@ObjectType({ ...PLAIN_DATA, description: 'Where a page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more users follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether users come before this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first user's cursor; null on an empty page." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last user's cursor, for `after` of the next page; null on an empty page.",
  })
  endCursor!: string | null;
}

@ObjectType({ ...PLAIN_DATA, description: 'A user and its cursor.' })
export class UserEdge {
  @Field(() => String, { description: "This user's position, for `after`." })
  cursor!: string;

  @Field(() => User, { description: 'The user.' })
  node!: User;
}

@ObjectType({
  ...PLAIN_DATA,
  description: 'One page of users. Only the users on the page cost upstream AK/SK calls when their `akSks` are selected.',
})
export class UserConnection {
  @Field(() => [UserEdge], { description: 'The users of this page with their cursors.' })
  edges!: UserEdge[];

  @Field(() => [User], { description: 'The users of this page, for clients that need no cursors.' })
  nodes!: User[];

  @Field(() => PageInfo, { description: 'Whether there is more, and the cursors to get it.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many users match `search` and `withAkSks`, on every page together.' })
  totalCount!: number;
}
