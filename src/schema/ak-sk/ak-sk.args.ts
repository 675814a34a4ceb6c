import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { AkSkFileFormat } from '../../downloads/ak-sk-file';

/**
 * `userId` and `projectId`, declared once for the arguments of `akSk`, `deleteAkSk` and the
 * download link and for `CreateAkSkInput`; each use words them for what it does. Decorated as
 * both kinds, so an `@ArgsType` and an `@InputType` can extend it; it is never a type of its own.
 */
export function UserAndProject(words: { userId: string; projectId: string }) {
  @ArgsType()
  @InputType()
  abstract class UserAndProjectFields {
    @Field(() => ID, { description: words.userId })
    userId!: string;

    @Field(() => ID, { nullable: true, description: `${words.projectId}; by default the project of the caller's scoped token.` })
    projectId?: string;
  }
  return UserAndProjectFields;
}

/** Whose pairs, through which project: the arguments of `akSk` and `deleteAkSk`. */
@ArgsType()
export class AkSkArgs extends UserAndProject({
  userId: 'The user whose AK/SK pairs these are.',
  projectId: 'The project to work through',
}) {}

@ArgsType()
export class AkSkDownloadArgs extends AkSkArgs {
  @Field(() => AkSkFileFormat, { defaultValue: AkSkFileFormat.JSON, description: 'The file format.' })
  format!: AkSkFileFormat;

  @Field(() => String, {
    nullable: true,
    description: "Only this pair (one of the user's access keys); by default every pair of the user.",
  })
  accessKey?: string;
}
