import { AkSkService } from '../services/ak-sk.service';
import { AuthService } from '../services/auth.service';
import { DirectoryService } from '../services/directory.service';
import { RequestSession } from '../auth/session-cookie';

/** Everything one GraphQL request needs; built fresh per request by `createContext`. */
export interface GatewayContext {
  requestId: string;
  auth: AuthService;
  akSk: AkSkService;
  directory: DirectoryService;
  session: RequestSession;
}
