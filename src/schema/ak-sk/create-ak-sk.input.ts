import { GraphQLDateTime } from 'graphql-scalars';
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

  @Field(() => String, { nullable: true, description: 'What the pair is for (at most 255 characters).' })
  description?: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the pair stops working; must be in the future.' })
  expiresAt?: Date;
}

@InputType({ description: "Changes to an AK/SK pair's metadata; a field left out stays as it is, null clears it." })
export class UpdateAkSkInput {
  @Field(() => String, { description: 'Access key of the pair to change.' })
  accessKey!: string;

  @Field(() => String, { nullable: true, description: 'What the pair is for (at most 255 characters).' })
  description?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the pair stops working; must be in the future.' })
  expiresAt?: Date | null;
}
