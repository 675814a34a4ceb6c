import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';

export enum AkSkEventOutcome {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}

registerEnumType(AkSkEventOutcome, {
  name: 'AkSkEventOutcome',
  description: 'Whether the recorded change or download happened.',
  valuesConfig: {
    SUCCESS: { description: 'It happened.' },
    FAILURE: { description: 'It was refused or failed; `errorCode` says why.' },
  },
});

@ObjectType({ ...PLAIN_DATA, description: 'Who made an AK/SK change: a user, or the gateway itself (the expiry sweeper).' })
export class AkSkEventInitiator {
  @Field(() => Boolean, { description: 'True when the gateway acted on its own (`aksk.expired`); then no user.' })
  service!: boolean;

  @Field(() => ID, { nullable: true, description: "The acting user (the token's or the signing pair's owner)." })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: "The project of the acting user's token." })
  projectId!: string | null;
}

@ObjectType({
  ...PLAIN_DATA,
  description:
    'One entry of the audit trail of AK/SK pairs: a change or a download, by whom, with what outcome. ' +
    'Never holds a secret key.',
})
export class AkSkEvent {
  @Field(() => String, {
    description:
      'What happened: `aksk.created`, `aksk.updated`, `aksk.deactivated`, `aksk.activated`, `aksk.rotated`, ' +
      '`aksk.deleted`, `aksk.downloaded` or `aksk.expired`.',
  })
  event!: string;

  @Field(() => String, { nullable: true, description: 'The pair; null for a failure before any pair was known.' })
  accessKey!: string | null;

  @Field(() => ID, { nullable: true, description: "The pair's owner; null for a failure before the owner was known." })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: "The pair's project." })
  projectId!: string | null;

  @Field(() => AkSkEventInitiator, { description: 'Who acted.' })
  initiator!: AkSkEventInitiator;

  @Field(() => AkSkEventOutcome, { description: 'Whether it happened.' })
  outcome!: `${AkSkEventOutcome}`;

  @Field(() => String, { nullable: true, description: 'For a failure: the `extensions.code` the caller was told.' })
  errorCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The `x-request-id` of the request that made it (`sweep-...` for a round of the expiry sweeper): the key into ' +
      'the logs.',
  })
  requestId!: string | null;

  @Field(() => GraphQLDateTime, { description: 'When it was recorded.' })
  time!: Date;
}
