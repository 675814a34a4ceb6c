import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { GatewayContext } from '../gateway-context';
import { AkSkEvent } from './ak-sk-event.type';

@Resolver(() => AkSkEvent)
export class AkSkEventResolver {
  @Query(() => [AkSkEvent], {
    description:
      "The audit trail of a user's AK/SK pairs (and of what the user did), newest first. Admins may read " +
      "anyone's, members only their own. Needs Redis (`REDIS_URL`); without it the trail is only in the " +
      "gateway's logs and this answers `AUDIT_TRAIL_UNAVAILABLE`.",
  })
  akSkEvents(
    @Arg('userId', () => ID, { description: 'The user whose trail to read.' }) userId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most this many events (1 to 1000).' }) first: number,
    @Ctx() context: GatewayContext,
  ): Promise<AkSkEvent[]> {
    return context.akSk.events(userId, first);
  }
}
