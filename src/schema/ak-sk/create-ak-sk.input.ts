import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Whom to create an AK/SK pair for.' })
export class CreateAkSkInput {
  @Field(() => ID, { description: 'The user who will own the pair.' })
  userId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The project of the pair; by default the project of the caller's scoped token.",
  })
  projectId?: string;
}
