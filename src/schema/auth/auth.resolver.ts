import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GatewayContext } from '../gateway-context';
import { AuthToken } from './auth-token.type';
import { LoginInput } from './login.input';
import { ScopeTokenInput } from './scope-token.input';
import { Viewer } from './viewer.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthToken, {
    description:
      'Password login with Keystone. Returns a token to send as `X-Auth-Token` on later requests; ' +
      'project-scoped when `input.scope` is given (or the user has a default project).',
  })
  login(
    @Arg('input', () => LoginInput, { description: 'Who logs in, and optionally the project to scope to.' }) input: LoginInput,
    @Ctx() context: GatewayContext,
  ): Promise<AuthToken> {
    return context.auth.login(input);
  }

  @Mutation(() => AuthToken, {
    description:
      "Scopes the caller's token (from the `X-Auth-Token` or `Authorization: Bearer` header, or the session " +
      'cookie) to a project and returns the new, project-scoped token. AK/SK operations need a project-scoped token.',
  })
  scopeToken(
    @Arg('input', () => ScopeTokenInput, { description: "The project to scope the caller's token to." }) input: ScopeTokenInput,
    @Ctx() context: GatewayContext,
  ): Promise<AuthToken> {
    return context.auth.scopeToken(input);
  }

  @Mutation(() => Boolean, {
    description: "Revokes the caller's token with Keystone and ends the browser session, if any. Always true.",
  })
  logout(@Ctx() context: GatewayContext): Promise<boolean> {
    return context.auth.logout();
  }

  @Query(() => Viewer, { description: "Who the caller is, from the caller's token; UNAUTHENTICATED without a valid one." })
  viewer(@Ctx() context: GatewayContext): Promise<Viewer> {
    return context.auth.viewer();
  }
}
