import { Field, ID, InputType } from 'type-graphql';
import { ScopeTokenInput } from './scope-token.input';

@InputType({ description: 'Password login: `username` (with `domain`) or `userId`, and the password.' })
export class LoginInput {
  @Field(() => String, { nullable: true, description: 'User name, looked up in `domain`.' })
  username?: string;

  @Field(() => String, { description: "The user's password. Never logged, never echoed." })
  password!: string;

  @Field(() => String, { defaultValue: 'Default', description: "Name of the user's domain; used with `username`." })
  domain!: string;

  @Field(() => ID, { nullable: true, description: 'User id, instead of `username` and `domain`.' })
  userId?: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'For browser apps: set the token as an `HttpOnly`, `Secure`, `SameSite=Strict` session cookie that later ' +
      'requests authenticate with, and return `token: null` so no script ever holds it. `logout` ends it.',
  })
  session!: boolean;

  @Field(() => ScopeTokenInput, {
    nullable: true,
    description:
      'Scope the new token to this project in the same call. Without it, Keystone scopes the token to the ' +
      "user's default project if it has one, and leaves it unscoped otherwise.",
  })
  scope?: ScopeTokenInput;
}
