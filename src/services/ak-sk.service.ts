import { badUserInput } from '../errors/gateway-error';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { AkSkBackend, AkSkPair, AkSkTarget } from '../upstreams/ak-sk-backend';
import { checkId, checkOptionalId } from '../schema/input-rules';
import { AkSkDownloadLink, AkSkFileFormatChoice } from '../schema/ak-sk/ak-sk-download.type';
import { DeleteAkSkPayload } from '../schema/ak-sk/delete-ak-sk.payload';
import { AuthService } from './auth.service';

/** AK/SK pairs for one request, on whichever backend is configured. */
export class AkSkService {
  constructor(
    private readonly backend: AkSkBackend,
    private readonly auth: AuthService,
    private readonly downloads: DownloadLinkStore,
    /** Where the gateway is reachable from the caller, for absolute download URLs. */
    private readonly publicBaseUrl: string,
  ) {}

  async create(userId: string, projectId?: string | null): Promise<AkSkPair> {
    const target = await this.targetOf(userId, projectId);
    return this.backend.createAkSk(this.auth.requireToken(), target);
  }

  async list(userId: string, projectId?: string | null): Promise<AkSkPair[]> {
    const target = await this.targetOf(userId, projectId);
    return this.backend.listAkSks(this.auth.requireToken(), target);
  }

  async delete(userId: string, projectId?: string | null): Promise<DeleteAkSkPayload> {
    const target = await this.targetOf(userId, projectId);
    await this.backend.deleteAkSks(this.auth.requireToken(), target);
    return target;
  }

  async createDownloadLink(
    userId: string,
    projectId: string | null | undefined,
    format: AkSkFileFormatChoice,
  ): Promise<AkSkDownloadLink> {
    const target = await this.targetOf(userId, projectId);
    // Checking the token now turns a bad one into an error here rather than a dead link later.
    await this.auth.caller();
    const link = this.downloads.issue({ token: this.auth.requireToken(), ...target, format });
    return { url: `${this.publicBaseUrl}/downloads/${link.id}`, expiresAt: link.expiresAt, format };
  }

  /** The explicit project, else the project of the caller's scoped token. */
  private async targetOf(userId: string, projectId: string | null | undefined): Promise<AkSkTarget> {
    checkId('userId', userId);
    const explicit = checkOptionalId('projectId', projectId);
    this.auth.requireToken();
    if (explicit) return { userId, projectId: explicit };
    const caller = await this.auth.caller();
    if (!caller.project) {
      throw badUserInput('The token is not scoped to a project: call scopeToken first, or pass projectId.');
    }
    return { userId, projectId: caller.project.id };
  }
}
