/** The JSON Keystone answers token issue and validation with. */

import type { IdentityStore, TokenRecord } from './identity-store';
import { newKeystoneId } from './identity-store';

/** Keystone's token times: UTC, microseconds, `Z` (`2026-11-26T04:41:11.000000Z`). */
export function formatKeystoneTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000Z`;
}

export interface CatalogEntry {
  endpoints: { id: string; interface: string; region_id: string; url: string; region: string }[];
  id: string;
  type: string;
  name: string;
}

const INTERFACES = ['public', 'internal', 'admin'] as const;

/** The identity service alone, with the three endpoints `keystone-manage bootstrap` registers. */
export class ServiceCatalog {
  private readonly serviceId = newKeystoneId();
  private readonly endpointIds = INTERFACES.map(() => newKeystoneId());

  render(identityUrl: string): CatalogEntry[] {
    return [
      {
        endpoints: INTERFACES.map((endpointInterface, index) => ({
          id: this.endpointIds[index],
          interface: endpointInterface,
          region_id: 'RegionOne',
          url: identityUrl,
          region: 'RegionOne',
        })),
        id: this.serviceId,
        type: 'identity',
        name: 'keystone',
      },
    ];
  }
}

export interface TokenBodyOptions {
  includeCatalog: boolean;
  catalog: ServiceCatalog;
  identityUrl: string;
}

export function renderTokenBody(store: IdentityStore, token: TokenRecord, options: TokenBodyOptions) {
  const user = store.getUser(token.userId);
  if (!user) throw new Error(`token of unknown user ${token.userId}`);
  const domain = store.domain;
  const body: Record<string, unknown> = {
    methods: token.methods,
    user: {
      domain: { id: domain.id, name: domain.name },
      id: user.id,
      name: user.name,
      password_expires_at: null,
    },
    audit_ids: token.auditIds,
    expires_at: formatKeystoneTime(token.expiresAt),
    issued_at: formatKeystoneTime(token.issuedAt),
  };
  const roles = () => store.rolesOfToken(token).map((role) => ({ id: role.id, name: role.name }));
  // Key order as Keystone 22 writes it: scope, roles, catalog.
  if (token.projectId !== null) {
    const project = store.getProject(token.projectId);
    if (!project) throw new Error(`token scoped to unknown project ${token.projectId}`);
    body.project = { domain: { id: domain.id, name: domain.name }, id: project.id, name: project.name };
    body.is_domain = false;
    body.roles = roles();
  } else if (token.system) {
    body.roles = roles();
    body.system = { all: true };
  }
  if ((token.projectId !== null || token.system) && options.includeCatalog) {
    body.catalog = options.catalog.render(options.identityUrl);
  }
  return { token: body };
}
