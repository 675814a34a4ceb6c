import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'The project to scope a token to: give exactly one of `projectName` and `projectId`.' })
export class ScopeTokenInput {
  @Field(() => String, { nullable: true, description: 'Project name, looked up in `domain`.' })
  projectName?: string;

  @Field(() => ID, { nullable: true, description: 'Project id.' })
  projectId?: string;

  @Field(() => String, {
    defaultValue: 'Default',
    description: 'Name of the domain the project belongs to; used with `projectName`.',
  })
  domain!: string;
}
