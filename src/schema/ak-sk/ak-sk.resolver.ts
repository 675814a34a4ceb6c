import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GatewayContext } from '../gateway-context';
import { AkSkArgs, AkSkDownloadArgs } from './ak-sk.args';
import { AkSkDownloadLink } from './ak-sk-download.type';
import { Project } from '../common/identity.type';
import { AkSk } from './ak-sk.type';
import { AkSkVerification } from './ak-sk-verification.type';
import { CreateAkSkInput, UpdateAkSkInput } from './create-ak-sk.input';
import { DeleteAkSkPairPayload, DeleteAkSkPayload } from './delete-ak-sk.payload';
import { RotateAkSkPayload } from './rotate-ak-sk.payload';
import { pairDetailOf } from './pair-detail';

@Resolver(() => AkSk)
export class AkSkResolver {
  @FieldResolver(() => Project, {
    nullable: true,
    description:
      'The project the pair was created in, with its name; null when the caller may not read it (say, a member ' +
      'looking at a pair made in a project it has no role on) or it no longer exists.',
  })
  project(@Root() pair: AkSk, @Ctx() context: GatewayContext): Promise<Project | null> {
    return context.directory.projectById(pair.projectId);
  }

  @Query(() => [AkSk], { description: 'The AK/SK pairs of a user; an empty list when there are none.' })
  akSk(
    @Args(() => AkSkArgs) { userId, projectId }: AkSkArgs,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AkSk[]> {
    return context.akSk.list(userId, projectId, pairDetailOf(info));
  }

  @Mutation(() => AkSk, {
    description: 'Creates a new AK/SK pair. The secret key is returned here: show it to its owner once.',
  })
  createAkSk(
    @Arg('input', () => CreateAkSkInput, { description: 'Whom to create the pair for.' }) input: CreateAkSkInput,
    @Ctx() context: GatewayContext,
  ): Promise<AkSk> {
    return context.akSk.create(input.userId, input.projectId, input);
  }

  @Mutation(() => AkSk, { description: "Changes a pair's description or expiry, whatever its status." })
  updateAkSk(
    @Arg('input', () => UpdateAkSkInput, { description: 'The pair and what to change.' }) input: UpdateAkSkInput,
    @Ctx() context: GatewayContext,
  ): Promise<AkSk> {
    return context.akSk.update(input.accessKey, input);
  }

  @Mutation(() => AkSk, {
    description:
      'Switches a pair off without deleting it: Keystone (and every service that checks EC2/S3 signatures ' +
      'with it) refuses it until `activateAkSk`. Doing it twice is harmless.',
  })
  deactivateAkSk(
    @Arg('accessKey', () => String, { description: 'Access key of the pair.' }) accessKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<AkSk> {
    return context.akSk.deactivate(accessKey);
  }

  @Mutation(() => AkSk, { description: 'Switches an inactive pair on again, with the same keys. Doing it twice is harmless.' })
  activateAkSk(
    @Arg('accessKey', () => String, { description: 'Access key of the pair.' }) accessKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<AkSk> {
    return context.akSk.activate(accessKey);
  }

  @Mutation(() => RotateAkSkPayload, {
    description:
      'Replaces a pair without downtime, as AWS documents: a new active pair with the same owner, project, ' +
      'description and expiry, and the previous one switched off (not deleted). Nothing is half-done: if the ' +
      'previous pair cannot be switched off, the new one is removed and the call fails.',
  })
  rotateAkSk(
    @Arg('accessKey', () => String, { description: 'Access key of the pair to replace.' }) accessKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<RotateAkSkPayload> {
    return context.akSk.rotate(accessKey);
  }

  @Mutation(() => DeleteAkSkPayload, {
    description:
      "Deletes every AK/SK pair of a user. Through the multicloud service this deletes all of the user's " +
      'Keystone credentials, as that service does; with the Keystone backend only AK/SK (`ec2`) ones.',
  })
  deleteAkSk(@Args(() => AkSkArgs) { userId, projectId }: AkSkArgs, @Ctx() context: GatewayContext): Promise<DeleteAkSkPayload> {
    return context.akSk.delete(userId, projectId);
  }

  @Mutation(() => DeleteAkSkPairPayload, {
    description:
      'Deletes one AK/SK pair by its access key, whichever way it was made (this gateway, the multicloud ' +
      'service, or `openstack ec2 credentials create`).',
  })
  deleteAkSkByAccessKey(
    @Arg('accessKey', () => String, { description: 'Access key of the pair to delete.' }) accessKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<DeleteAkSkPairPayload> {
    return context.akSk.deleteByAccessKey(accessKey);
  }

  @Mutation(() => AkSkVerification, {
    description:
      'Checks a pair (the console\'s "test this key"): the gateway signs a request with it and Keystone says ' +
      "whether the signature is good and whose pair it is. Only the pair's owner or an admin may ask. A mutation " +
      'although it changes nothing, so that the secret key is never sent in a GET URL.',
  })
  verifyAkSk(
    @Arg('accessKey', () => String, { description: 'Access key of the pair.' }) accessKey: string,
    @Arg('secretKey', () => String, { description: 'The secret key to check; used to sign, never stored or logged.' })
    secretKey: string,
    @Ctx() context: GatewayContext,
  ): Promise<AkSkVerification> {
    return context.akSk.verify(accessKey, secretKey);
  }

  @Mutation(() => AkSkDownloadLink, {
    description:
      "Makes a single-use link, valid for a short time, that downloads the user's pairs as a file " +
      '(`Content-Disposition: attachment`). Browsers can follow it without sending a token.',
  })
  createAkSkDownloadLink(
    @Args(() => AkSkDownloadArgs) { userId, projectId, format, accessKey }: AkSkDownloadArgs,
    @Ctx() context: GatewayContext,
  ): Promise<AkSkDownloadLink> {
    return context.akSk.createDownloadLink(userId, projectId, format, accessKey);
  }
}
