import DataLoader from 'dataloader';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { NamedRef, ProjectSummary, UserSummary } from '../upstreams/keystone/keystone.types';
import { checkId } from './input-rules';
import { AuthService } from './auth.service';

/** Users and projects arrive with their domain whole (from a token) or as an id (from a list). */
export interface InDomain {
  domain?: NamedRef;
  domainId?: string;
}

/** Users, projects and domains as the caller may see them, for one request. */
export class DirectoryService {
  private domainLoader: DataLoader<string, NamedRef> | undefined;

  constructor(
    private readonly keystone: KeystoneClient,
    private readonly auth: AuthService,
  ) {}

  /** The projects the caller may scope to. */
  async projects(): Promise<ProjectSummary[]> {
    const projects = await this.keystone.listAuthProjects(this.auth.requireToken());
    return projects.map(({ id, name, domainId, enabled }) => ({ id, name, domainId, enabled }));
  }

  /** Every user; Keystone allows it to admins only (`FORBIDDEN` otherwise). */
  async users(): Promise<UserSummary[]> {
    await this.auth.authorize({ name: 'list_users' }, 'Only an admin may list users.');
    return this.keystone.listUsers(await this.auth.upstreamToken());
  }

  async user(id: string): Promise<UserSummary> {
    const userId = checkId('id', id);
    await this.auth.authorize({ name: 'get_user', userId }, 'Only an admin may read another user.');
    return this.keystone.getUser(await this.auth.upstreamToken(), userId);
  }

  /** The domain of a user or project, looked up once per request when only its id is known. */
  async domainOf(entity: InDomain): Promise<NamedRef> {
    if (entity.domain) return entity.domain;
    this.domainLoader ??= new DataLoader((ids: readonly string[]) => Promise.all(ids.map((id) => this.lookUpDomain(id))));
    return this.domainLoader.load(entity.domainId ?? '');
  }

  /**
   * Most domains are named in the caller's own token; others are read from Keystone. Where
   * Keystone will not say (an unscoped token may not read domains), the id stands in as name.
   */
  private async lookUpDomain(id: string): Promise<NamedRef> {
    const caller = await this.auth.caller();
    for (const known of [caller.user.domain, caller.project?.domain]) {
      if (known?.id === id) return known;
    }
    try {
      return await this.keystone.getDomain(this.auth.requireToken(), checkId('domainId', id));
    } catch {
      return { id, name: id };
    }
  }
}
