/**
 * Fakes of the upstream clients the services call, and a real `AuthService` over them: the
 * services are tested for what they decide, without HTTP.
 */
import { LoginThrottle } from '../../../src/auth/login-throttle';
import { RequestSession } from '../../../src/auth/session-cookie';
import { AuthService } from '../../../src/services/auth.service';
import { MemoryStore } from '../../../src/state/memory-store';
import { KeystoneClient } from '../../../src/upstreams/keystone/keystone-client';
import { TokenDetails } from '../../../src/upstreams/keystone/keystone.types';
import { toClientError } from '../../../src/errors/client-error';
import { UpstreamError } from '../../../src/errors/upstream-error';
import { ManualClock, manualClock } from '../../support/manual-clock';

/** A failed upstream call with an HTTP status, as the clients raise it. */
export function upstreamStatus(status: number, service: 'keystone' | 'multicloud' = 'keystone'): UpstreamError {
  return new UpstreamError({ service, method: 'GET', path: '/fake', failure: 'status', status });
}

/** Keystone's 401 on a password login, as the Keystone client describes it. */
export function loginRefused(): UpstreamError {
  return upstreamStatus(401).withReason('login-refused');
}

export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' };

export function tokenDetails(overrides: Partial<TokenDetails> = {}): TokenDetails {
  return {
    methods: ['password'],
    user: { id: 'u-alice', name: 'alice', domain: DEFAULT_DOMAIN },
    project: { id: 'p-demo', name: 'demo', domain: DEFAULT_DOMAIN },
    roles: [{ id: 'r-member', name: 'member' }],
    expiresAt: new Date('2030-01-01T01:00:00Z'),
    issuedAt: new Date('2030-01-01T00:00:00Z'),
    ...overrides,
  };
}

/**
 * A `KeystoneClient` with only the given methods; any other call fails the test, so a test
 * also proves which upstream calls a path does not make.
 */
export function fakeOf<T extends object>(implemented: Partial<T>): T {
  return new Proxy(implemented, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver) as unknown;
      if (property === 'then') return undefined;
      return () => {
        throw new Error(`unexpected upstream call: ${String(property)}`);
      };
    },
  }) as T;
}

export interface AuthRig {
  auth: AuthService;
  /** The fake Keystone client the auth service calls; other services of the request share it. */
  keystone: KeystoneClient;
  session: RequestSession;
  throttle: LoginThrottle;
  clock: ManualClock;
  /** Tokens introspected, in order (each at most once per request). */
  introspected: string[];
  forgotten: string[];
}

export function authRig(
  options: {
    keystone?: Partial<KeystoneClient>;
    token?: string;
    source?: 'header' | 'cookie';
    details?: TokenDetails;
    throttle?: { maxFailuresPerUser: number; maxFailuresPerAddress: number; windowMs: number };
  } = {},
): AuthRig {
  const clock = manualClock(0);
  const introspected: string[] = [];
  const forgotten: string[] = [];
  const session = new RequestSession(options.source === 'cookie', true);
  const throttle = new LoginThrottle(
    new MemoryStore(1_000, clock.now),
    options.throttle ?? { maxFailuresPerUser: 3, maxFailuresPerAddress: 10, windowMs: 60_000 },
  );
  const keystone = fakeOf<KeystoneClient>(options.keystone ?? {});
  const auth = new AuthService({
    keystone,
    caller: options.token === undefined ? undefined : { token: options.token, source: options.source ?? 'header' },
    introspect: async (token) => {
      introspected.push(token);
      return options.details ?? tokenDetails();
    },
    session,
    forgetToken: async (token) => void forgotten.push(token),
    throttle,
    clientAddress: '192.0.2.7',
  });
  return { auth, keystone, session, throttle, clock, introspected, forgotten };
}

/** What the caller is told about a refused call, through the one error map. */
export async function refusalOf(call: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    return toClientError(error);
  }
  throw new Error('expected a refusal, got a result');
}

/** The `extensions.code` a call was refused with. */
export async function codeOf(call: Promise<unknown> | (() => unknown)): Promise<string> {
  return (await refusalOf(call)).code;
}
