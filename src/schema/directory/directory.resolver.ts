import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { GatewayContext } from '../gateway-context';
import { AkSk } from '../ak-sk/ak-sk.type';
import { pairDetailOf } from '../ak-sk/pair-detail';
import { Domain, Project, User } from '../common/identity.type';
import { Page } from '../../services/user-page';
import { UserConnection, UsersConnectionArgs } from './user-connection.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], {
    description: 'Every user, unpaged; Keystone allows this to admins only (FORBIDDEN otherwise).',
    deprecationReason:
      'Use usersConnection: it pages, searches and filters, and selecting akSks costs upstream calls only for the users of the page.',
  })
  users(@Ctx() context: GatewayContext): Promise<User[]> {
    return context.directory.users();
  }

  @Query(() => UserConnection, {
    description:
      'Users a page at a time (a Relay cursor connection), searchable by name, sortable, optionally only those ' +
      'with AK/SK pairs. Admins only (FORBIDDEN otherwise); a member reads itself with `user(id)`.',
  })
  async usersConnection(
    @Args(() => UsersConnectionArgs) args: UsersConnectionArgs,
    @Ctx() context: GatewayContext,
  ): Promise<UserConnection> {
    return toConnection(await context.directory.usersPage({ ...args, order: args.orderBy }));
  }

  @Query(() => User, { description: 'One user: admins may read anyone, others themselves.' })
  user(@Arg('id', () => ID, { description: 'The user id.' }) id: string, @Ctx() context: GatewayContext): Promise<User> {
    return context.directory.user(id);
  }

  @FieldResolver(() => Domain)
  domain(@Root() user: User, @Ctx() context: GatewayContext): Promise<Domain> {
    return context.directory.domainOf(user);
  }

  @FieldResolver(() => [Project], {
    description:
      "The projects the user has a role on (Keystone `GET /users/{id}/projects`): admins may read anyone's, " +
      'others their own (FORBIDDEN otherwise). A pair made in a project outside this list works nowhere.',
  })
  projects(@Root() user: User, @Ctx() context: GatewayContext): Promise<Project[]> {
    return context.directory.projectsOf(user.id);
  }

  @FieldResolver(() => [AkSk], {
    description:
      "The user's AK/SK pairs. Listing many users' pairs costs one upstream call per user, made concurrently (two on the multicloud backend when status or metadata is selected).",
  })
  akSks(
    @Root() user: User,
    @Arg('projectId', () => ID, {
      nullable: true,
      description: "The project to work through; by default the project of the caller's scoped token.",
    })
    projectId: string | undefined,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AkSk[]> {
    return context.akSk.pairsOf(user.id, projectId, pairDetailOf(info));
  }
}

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => [Project], { description: 'The projects the caller may scope a token to (for a project picker).' })
  projects(@Ctx() context: GatewayContext): Promise<Project[]> {
    return context.directory.projects();
  }

  @FieldResolver(() => Domain)
  domain(@Root() project: Project, @Ctx() context: GatewayContext): Promise<Domain> {
    return context.directory.domainOf(project);
  }
}

function toConnection(page: Page<User>): UserConnection {
  return {
    edges: page.items,
    nodes: page.items.map((item) => item.node),
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.items[0]?.cursor ?? null,
      endCursor: page.items.at(-1)?.cursor ?? null,
    },
  };
}
