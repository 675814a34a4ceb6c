import { Field, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';
import { Project, User } from '../common/identity.type';

@ObjectType({
  ...PLAIN_DATA,
  description:
    'Whether an access key and secret key make a working pair, as Keystone says when asked to check a request signed with them.',
})
export class AkSkVerification {
  @Field(() => Boolean, { description: 'Whether requests signed with this pair are accepted.' })
  valid!: boolean;

  @Field(() => String, { description: 'The access key that was checked.' })
  accessKey!: string;

  @Field(() => User, { nullable: true, description: "The pair's owner as Keystone reports it; null when not valid." })
  user?: User;

  @Field(() => Project, { nullable: true, description: "The pair's project as Keystone reports it; null when not valid." })
  project?: Project;

  @Field(() => String, { nullable: true, description: 'Why the pair does not work; null when valid.' })
  reason?: string;
}
