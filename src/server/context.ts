import { IncomingMessage } from 'node:http';
import { tokenFromRequest } from '../auth/request-token';
import { HttpRequestParts } from '../auth/sigv4-request';
import { unauthenticated } from '../errors/gateway-error';
import { KeystoneClient } from '../upstreams/keystone/keystone-client';
import { CredentialsClient } from '../upstreams/credentials/credentials-client';
import { TokenDetails } from '../upstreams/keystone/keystone.types';
import { AkSkService } from '../services/ak-sk.service';
import { AuthService, SignedAuthentication } from '../services/auth.service';
import { DirectoryService } from '../services/directory.service';
import { SharedState } from './shared-state';
import { GatewayContext } from '../schema/gateway-context';
import { RequestSession, sessionCookieName } from '../auth/session-cookie';

/** Builds one request's context: the caller's token, its services, clients tagged with the request id. */
export function createContext(
  shared: SharedState,
  request: IncomingMessage,
  requestId: string,
  /** The client's address and the base of the URLs it is given (empty: relative URLs). */
  client: { address: string; publicBaseUrl: string },
  signed?: SignedHttpRequest,
): GatewayContext {
  return new RequestContext(shared, request, requestId, client, signed);
}

/** A class rather than an object literal with getters: built once per request, on the hot path. */
class RequestContext implements GatewayContext {
  readonly auth: AuthService;
  readonly session: RequestSession;
  private readonly keystone: KeystoneClient;
  // The services below are made on first use: a request reaches one of them, rarely both.
  private credentials: CredentialsClient | undefined;
  private akSkService: AkSkService | undefined;
  private directoryService: DirectoryService | undefined;

  constructor(
    private readonly shared: SharedState,
    request: IncomingMessage,
    readonly requestId: string,
    private readonly client: { address: string; publicBaseUrl: string },
    signed: SignedHttpRequest | undefined,
  ) {
    const keystone = shared.upstreams.keystone.withRequestId(requestId);
    this.keystone = keystone;
    const caller = tokenFromRequest(request.headers, sessionCookieName(shared.sessionCookieSecure));
    this.session = new RequestSession(caller?.source === 'cookie', shared.sessionCookieSecure);
    this.auth = new AuthService({
      keystone,
      caller,
      introspect: (token) => shared.introspector.introspect(token, keystone),
      session: this.session,
      forgetToken: (token) => shared.introspector.forget(token),
      throttle: shared.loginThrottle,
      clientAddress: client.address,
      signed: signed && signedAuthentication(shared, signed, keystone),
    });
  }

  get akSk(): AkSkService {
    const { shared, requestId } = this;
    this.akSkService ??= new AkSkService({
      backend: shared.upstreams.akSkBackend.withRequestId(requestId),
      keystone: this.keystone,
      credentials: this.credentialsClient(),
      auth: this.auth,
      downloads: shared.downloads,
      publicBaseUrl: this.client.publicBaseUrl,
      sigv4: shared.sigv4,
      quota: shared.pairQuota,
      now: shared.now,
      audit: shared.audit,
      auditEvents: shared.audit.store,
      requestId,
    });
    return this.akSkService;
  }

  get directory(): DirectoryService {
    this.directoryService ??= new DirectoryService(this.keystone, this.auth, this.credentialsClient());
    return this.directoryService;
  }

  private credentialsClient(): CredentialsClient {
    this.credentials ??= this.shared.upstreams.credentials.withRequestId(this.requestId);
    return this.credentials;
  }
}

/** An AK/SK-signed request as the GraphQL handler read it. */
export interface SignedHttpRequest {
  parts: HttpRequestParts;
  /** A mutation: its signature may be used once only. */
  changesState: boolean;
}

/** Checks the signature on first use, once per request; refusals are UNAUTHENTICATED with the reason. */
function signedAuthentication(shared: SharedState, signed: SignedHttpRequest, keystone: KeystoneClient): SignedAuthentication {
  const { sigv4 } = shared;
  let caller: Promise<TokenDetails> | undefined;
  return {
    caller: () => {
      caller ??= (async () => {
        if (!sigv4) throw unauthenticated('AK/SK-signed requests are not enabled here: no service identity is configured.');
        return sigv4.authenticateHttp(signed.parts, keystone, signed.changesState);
      })();
      return caller;
    },
    serviceToken: () => {
      if (!sigv4) throw unauthenticated('AK/SK-signed requests are not enabled here.');
      return sigv4.serviceToken();
    },
  };
}
