import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GatewayContext } from '../../server/gateway-context';
import { AuthToken } from './auth-token.type';
import { LoginInput } from './login.input';
import { ScopeTokenInput } from './scope-token.input';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthToken, {
    description:
      'Password login with Keystone. Returns a token to send as `X-Auth-Token` on later requests; ' +
      'project-scoped when `input.scope` is given (or the user has a default project).',
  })
  login(
    @Arg('input', () => LoginInput, { description: 'Who logs in, and optionally the project to scope to.' }) input: LoginInput, @Ctx() context: GatewayContext): Promise<AuthToken> {
    return context.auth.login(input);
  }

  @Mutation(() => AuthToken, {
    description:
      'Scopes the caller\'s token (from the `X-Auth-Token` or `Authorization: Bearer` header) to a project and ' +
      'returns the new, project-scoped token. AK/SK operations need a project-scoped token.',
  })
  scopeToken(
    @Arg('input', () => ScopeTokenInput, { description: 'The project to scope the caller\'s token to.' }) input: ScopeTokenInput,
    @Ctx() context: GatewayContext,
  ): Promise<AuthToken> {
    return context.auth.scopeToken(input);
  }
}
