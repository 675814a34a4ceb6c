import { IncomingMessage } from 'node:http';
import DataLoader from 'dataloader';
import { tokenFromRequest } from '../auth/request-token';
import { AkSkService } from '../services/ak-sk.service';
import { AuthService } from '../services/auth.service';
import { DirectoryService } from '../services/directory.service';
import { SharedState } from './shared-state';
import { GatewayContext } from '../schema/gateway-context';
import { RequestSession } from '../auth/session-cookie';

/** Builds one request's context: the caller's token, fresh loaders, clients tagged with the request id. */
export function createContext(
  shared: SharedState,
  request: IncomingMessage,
  requestId: string,
  publicBaseUrl: string,
): GatewayContext {
  const keystone = shared.upstreams.keystone.withRequestId(requestId);
  const caller = tokenFromRequest(request.headers);
  const session = new RequestSession(caller?.source === 'cookie', shared.sessionCookieSecure);
  const tokenDetails = new DataLoader((tokens: readonly string[]) =>
    Promise.all(tokens.map((token) => shared.introspector.introspect(token, keystone).catch((error: unknown) => error as Error))),
  );
  const auth = new AuthService({
    keystone,
    caller,
    tokenDetails,
    session,
    forgetToken: (token) => shared.introspector.forget(token),
    throttle: shared.loginThrottle,
    clientAddress: request.socket.remoteAddress ?? 'unknown',
  });
  const credentials = shared.upstreams.credentials.withRequestId(requestId);
  const akSk = new AkSkService({
    backend: shared.upstreams.akSkBackend.withRequestId(requestId),
    keystone,
    credentials,
    auth,
    downloads: shared.downloads,
    publicBaseUrl,
  });
  const directory = new DirectoryService(keystone, auth, credentials);
  return { requestId, auth, akSk, directory, session };
}
