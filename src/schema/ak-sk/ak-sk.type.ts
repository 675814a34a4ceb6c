import { Field, ID, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';

@ObjectType({
  ...PLAIN_DATA,
  description: 'An access key / secret key pair (a Keystone `ec2` credential) used to sign SODA API calls.',
})
export class AkSk {
  @Field(() => String, { description: 'The access key: identifies the pair, safe to show.' })
  accessKey!: string;

  @Field(() => String, { description: 'The secret key: signs requests. Show it once, never log it.' })
  secretKey!: string;

  @Field(() => ID, { description: 'The user the pair belongs to.' })
  userId!: string;

  @Field(() => ID, { description: 'The project the pair was created in.' })
  projectId!: string;

  @Field(() => String, { description: 'The Keystone credential type: `ec2` for AK/SK pairs.' })
  type!: string;
}
