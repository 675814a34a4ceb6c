import DataLoader from 'dataloader';
import { CredentialsClient } from '../upstreams/credentials/credentials-client';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { NamedRef, ProjectSummary, UserSummary } from '../upstreams/keystone/keystone.types';
import { UpstreamError } from '../errors/upstream-error';
import { checkId } from './input-rules';
import { AuthService } from './auth.service';
import { mapWithConcurrency } from './concurrency';
import { checkPageRequest, Page, pageOf, PageRequest } from './user-page';

/** Project lookups in flight at once when naming the projects of many pairs. */
const PROJECT_LOOKUP_CONCURRENCY = 4;
const LOOKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** Users and projects arrive with their domain whole (from a token) or as an id (from a list). */
export interface InDomain {
  domain?: NamedRef;
  domainId?: string;
}

/** Users, projects and domains as the caller may see them, for one request. */
export class DirectoryService {
  private domainLoader: DataLoader<string, NamedRef> | undefined;
  private projectLoader: DataLoader<string, ProjectSummary | null> | undefined;

  constructor(
    private readonly keystone: KeystoneClient,
    private readonly auth: AuthService,
    private readonly credentials: CredentialsClient,
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

  /**
   * One page of users: one `GET /users` (Keystone cannot page it), plus one `GET /credentials`
   * for `withAkSks`. The users' pairs are read only for the page, when selected.
   */
  async usersPage(request: PageRequest & { withAkSks: boolean }): Promise<Page<UserSummary>> {
    checkPageRequest(request);
    const token = this.auth.requireToken();
    const [users, owners] = await Promise.all([
      this.keystone.listUsers(token),
      request.withAkSks ? this.usersWithAkSks(token) : undefined,
    ]);
    return pageOf(owners ? users.filter((user) => owners.has(user.id)) : users, request);
  }

  /** The projects a user has a role on: admins may ask about anyone, others about themselves. */
  async projectsOf(userId: string): Promise<ProjectSummary[]> {
    const projects = await this.keystone.listUserProjects(this.auth.requireToken(), checkId('userId', userId));
    return projects.map(({ id, name, domainId, enabled }) => ({ id, name, domainId, enabled }));
  }

  /**
   * A project by id, for naming it: `null` when the caller may not read it (a member asking about
   * a project it has no role on) or it no longer exists. The caller's own projects cost no lookup
   * beyond one `GET /auth/projects` per request.
   */
  async projectById(id: string): Promise<ProjectSummary | null> {
    this.projectLoader ??= new DataLoader((ids: readonly string[]) => this.lookUpProjects(ids));
    return this.projectLoader.load(id);
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

  private async usersWithAkSks(token: string): Promise<Set<string>> {
    const credentials = await this.credentials.listCredentials(token, { type: 'ec2' });
    return new Set(credentials.map((credential) => credential.userId));
  }

  private async lookUpProjects(ids: readonly string[]): Promise<Array<ProjectSummary | null | Error>> {
    const token = this.auth.requireToken();
    const known = new Map<string, ProjectSummary>();
    const caller = await this.auth.caller();
    if (caller.project) {
      const { id, name, domain } = caller.project;
      known.set(id, { id, name, domainId: domain.id, enabled: true });
    }
    if (ids.some((id) => !known.has(id))) {
      for (const project of await this.keystone.listAuthProjects(token)) known.set(project.id, project);
    }
    return mapWithConcurrency(ids, PROJECT_LOOKUP_CONCURRENCY, async (id) => {
      const found = known.get(id);
      if (found) return found;
      if (!LOOKUP_ID.test(id)) return null;
      try {
        return await this.keystone.getProject(token, id);
      } catch (error) {
        // A member may not read a project it has no role on; Keystone answers that with 403.
        if (error instanceof UpstreamError && error.hasStatus(403, 404)) return null;
        throw error;
      }
    });
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
