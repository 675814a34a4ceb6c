import { Field, ID, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';

@ObjectType({ ...PLAIN_DATA, description: "The outcome of deleting a user's AK/SK pairs." })
export class DeleteAkSkPayload {
  @Field(() => ID, { description: 'The user whose pairs were deleted.' })
  userId!: string;

  @Field(() => ID, { description: 'The project the deletion was made through.' })
  projectId!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Access keys of the deleted pairs; null when the backend does not say (the multicloud service does not).',
  })
  deletedAccessKeys?: string[];
}

@ObjectType({ ...PLAIN_DATA, description: 'The pair deleted by `deleteAkSkByAccessKey`.' })
export class DeleteAkSkPairPayload {
  @Field(() => String, { description: 'Access key of the deleted pair.' })
  accessKey!: string;

  @Field(() => ID, { description: 'The user the pair belonged to.' })
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'The project the pair was created in.' })
  projectId!: string | null;
}
