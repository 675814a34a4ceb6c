import { Logger } from '../logging/logger';
import { AkSkService } from '../services/ak-sk.service';
import { AuthService } from '../services/auth.service';

/** Everything one GraphQL request needs; built fresh per request by `createContext`. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  auth: AuthService;
  akSk: AkSkService;
}
