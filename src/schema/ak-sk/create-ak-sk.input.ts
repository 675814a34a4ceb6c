import { GraphQLDateTime } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { UserAndProject } from './ak-sk.args';

@InputType({ description: 'Whom to create an AK/SK pair for.' })
export class CreateAkSkInput extends UserAndProject({
  userId: 'The user who will own the pair.',
  projectId: 'The project of the pair',
}) {
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
