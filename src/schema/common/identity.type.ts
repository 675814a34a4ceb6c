import { Field, ID, ObjectType } from 'type-graphql';
import { PLAIN_DATA } from './plain-data';
import { InDomain } from '../../services/directory.service';

@ObjectType({ ...PLAIN_DATA, description: 'A Keystone domain: the namespace users and projects live in.' })
export class Domain {
  @Field(() => ID, { description: 'Domain id, e.g. `default`.' })
  id!: string;

  @Field(() => String, { description: 'Domain name, e.g. `Default`.' })
  name!: string;
}

@ObjectType({ ...PLAIN_DATA, description: 'A Keystone user.' })
export class User implements InDomain {
  @Field(() => ID, { description: 'User id (Keystone uses 32 hexadecimal characters).' })
  id!: string;

  @Field(() => String, { description: 'User name, unique within its domain.' })
  name!: string;

  @Field(() => Domain, { description: 'The domain the user belongs to.' })
  domain?: Domain;

  domainId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Whether the user may log in; null when not known.' })
  enabled?: boolean;

  @Field(() => ID, { nullable: true, description: 'The project a login without scope is scoped to, if any.' })
  defaultProjectId?: string;
}

@ObjectType({ ...PLAIN_DATA, description: 'A Keystone project (what SODA calls a tenant).' })
export class Project implements InDomain {
  @Field(() => ID, { description: 'Project id; the `tenant_id` of other SODA APIs.' })
  id!: string;

  @Field(() => String, { description: 'Project name, unique within its domain.' })
  name!: string;

  @Field(() => Domain, { description: 'The domain the project belongs to.' })
  domain?: Domain;

  domainId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Whether the project is enabled; null when not known.' })
  enabled?: boolean;
}

@ObjectType({ ...PLAIN_DATA, description: 'A role the token carries on its project, e.g. `admin` or `member`.' })
export class Role {
  @Field(() => ID, { description: 'Role id.' })
  id!: string;

  @Field(() => String, { description: 'Role name.' })
  name!: string;
}
