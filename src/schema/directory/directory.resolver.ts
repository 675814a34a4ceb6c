import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { GatewayContext } from '../gateway-context';
import { AkSk } from '../ak-sk/ak-sk.type';
import { Domain, Project, User } from '../common/identity.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { description: 'Every user; Keystone allows this to admins only (FORBIDDEN otherwise).' })
  users(@Ctx() context: GatewayContext): Promise<User[]> {
    return context.directory.users();
  }

  @Query(() => User, { description: 'One user: admins may read anyone, others themselves.' })
  user(@Arg('id', () => ID, { description: 'The user id.' }) id: string, @Ctx() context: GatewayContext): Promise<User> {
    return context.directory.user(id);
  }

  @FieldResolver(() => Domain)
  domain(@Root() user: User, @Ctx() context: GatewayContext): Promise<Domain> {
    return context.directory.domainOf(user);
  }

  @FieldResolver(() => [AkSk], {
    description: "The user's AK/SK pairs. Listing many users' pairs costs one upstream call per user, made concurrently.",
  })
  akSks(
    @Root() user: User,
    @Arg('projectId', () => ID, {
      nullable: true,
      description: "The project to work through; by default the project of the caller's scoped token.",
    })
    projectId: string | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<AkSk[]> {
    return context.akSk.pairsOf(user.id, projectId);
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
