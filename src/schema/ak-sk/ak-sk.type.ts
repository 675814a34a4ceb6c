import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';

export enum AkSkStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(AkSkStatus, {
  name: 'AkSkStatus',
  description: 'Whether Keystone accepts requests signed with the pair.',
  valuesConfig: {
    ACTIVE: { description: "Usable: Keystone's ec2tokens/s3tokens accept it." },
    INACTIVE: { description: 'Switched off but kept: refused by Keystone until activated again, with the same keys.' },
    EXPIRED: { description: 'Past `expiresAt`: refused (the expiry sweeper switches it off in Keystone).' },
  },
});

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

  @Field(() => String, {
    description: 'The Keystone credential type: `ec2` for an active pair, `ec2-inactive` for one switched off.',
  })
  type!: string;

  @Field(() => AkSkStatus, { description: 'Active, inactive or expired. Pairs made outside the gateway are ACTIVE.' })
  status!: `${AkSkStatus}`;

  @Field(() => String, { nullable: true, description: 'What the pair is for; null for pairs made outside the gateway.' })
  description!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the pair was created through the gateway.' })
  createdAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'User id of whoever created the pair through the gateway.' })
  createdBy!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the pair stops working; null: never.' })
  expiresAt!: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'When a request signed with the pair last succeeded here, to within `AKSK_LAST_USED_RESOLUTION_MS` ' +
      '(an hour by default); null when never seen.',
  })
  lastUsedAt!: Date | null;
}
