import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The outcome of deleting a user\'s AK/SK pairs.' })
export class DeleteAkSkPayload {
  @Field(() => ID, { description: 'The user whose pairs were deleted.' })
  userId!: string;

  @Field(() => ID, { description: 'The project the deletion was made through.' })
  projectId!: string;
}
