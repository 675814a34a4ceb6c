import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { AkSkFileFormat } from '../../downloads/ak-sk-file';
import { PLAIN_DATA } from '../common/plain-data';

registerEnumType(AkSkFileFormat, {
  name: 'AkSkFileFormat',
  description: 'File format of a downloaded AK/SK file.',
  valuesConfig: {
    JSON: { description: "The multicloud service's own download format: a JSON array of credentials." },
    CSV: { description: 'CSV with a header row: user_id, project_id, type, access_key, secret_key.' },
    AWS_CREDENTIALS: {
      description:
        'An AWS shared-credentials file (INI, for the AWS CLI, botocore and boto3): a profile per pair named by its ' +
        'access key, `[default]` the first active pair; status and expiry as `#` comments.',
    },
    ENV: {
      description:
        "A shell file to `source`, like Horizon's ec2rc.sh: exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, " +
        'EC2_ACCESS_KEY and EC2_SECRET_KEY for one pair (the first active one, else the first).',
    },
  },
});

@ObjectType({
  ...PLAIN_DATA,
  description:
    "A short-lived, single-use link to download a user's AK/SK pairs as a file. It works as a plain browser " +
    'link (no headers needed) exactly once, until `expiresAt`.',
})
export class AkSkDownloadLink {
  @Field(() => String, { description: 'Absolute URL of the file. Treat it like a password until used.' })
  url!: string;

  @Field(() => GraphQLDateTime, { description: 'After this the link no longer works.' })
  expiresAt!: Date;

  @Field(() => AkSkFileFormat, { description: "The file's format." })
  format!: AkSkFileFormat;
}
