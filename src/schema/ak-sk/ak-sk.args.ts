import { ArgsType, Field, ID } from 'type-graphql';
import { AkSkFileFormat } from '../../downloads/ak-sk-file';

/** Whose pairs, through which project: the arguments of `akSk` and `deleteAkSk`. */
@ArgsType()
export class AkSkArgs {
  @Field(() => ID, { description: 'The user whose AK/SK pairs these are.' })
  userId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The project to work through; by default the project of the caller's scoped token.",
  })
  projectId?: string;
}

@ArgsType()
export class AkSkDownloadArgs extends AkSkArgs {
  @Field(() => AkSkFileFormat, { defaultValue: AkSkFileFormat.JSON, description: 'The file format.' })
  format!: AkSkFileFormat;
}
