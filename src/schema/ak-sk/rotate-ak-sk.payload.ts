import { Field, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from '../common/plain-data';
import { AkSk } from './ak-sk.type';

@ObjectType({ ...PLAIN_DATA, description: 'The outcome of `rotateAkSk`: the pair to use from now on, and the one it replaces.' })
export class RotateAkSkPayload {
  @Field(() => AkSk, {
    description: 'The new, active pair: same owner, project, description and expiry. Its secret key is shown here once.',
  })
  newPair!: AkSk;

  @Field(() => AkSk, {
    description:
      'The pair rotated out, now inactive but kept with its keys: switch it back on with `activateAkSk` if something ' +
      'still needs it, delete it with `deleteAkSkByAccessKey` once nothing does.',
  })
  previousPair!: AkSk;
}
