import { LoginThrottle } from '../auth/login-throttle';
import { pairStateOf } from '../auth/pair-state';
import { ServiceIdentity } from '../auth/service-identity';
import { SigV4Authenticator } from '../auth/sigv4-authenticator';
import { TokenIntrospector } from '../auth/token-introspector';
import { UserIdLookup } from '../auth/user-id-lookup';
import { GatewayConfig } from '../config';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { LoggingAuditTrail } from '../observability/audit-trail';
import { Logger } from '../observability/logger';
import { GatewayMetrics } from '../observability/metrics';
import { observeUpstreamCall } from './upstream-calls';
import { KeyLock } from '../state/key-lock';
import { ExpirySweeper, SweepTimer } from '../services/expiry-sweeper';
import { KeyValueStore } from '../state/key-value-store';
import { MemoryStore } from '../state/memory-store';
import { RedisAuditStream } from '../state/redis-audit-stream';
import { RedisStore } from '../state/redis-store';
import { createUpstreams, Upstreams, UpstreamUrls } from '../upstreams/create-upstreams';
import { AkSkLifecycle } from '../services/ak-sk-lifecycle';

/** What lives as long as the gateway and is shared by all requests. */
export interface SharedState {
  upstreams: Upstreams;
  introspector: TokenIntrospector;
  downloads: DownloadLinkStore;
  loginThrottle: LoginThrottle;
  sessionCookieSecure: boolean;
  /** The gateway's own Keystone identity, when configured (or embedded). */
  serviceIdentity: ServiceIdentity | undefined;
  /** Checks AK/SK-signed requests; `undefined` without a service identity (they are then refused). */
  sigv4: SigV4Authenticator | undefined;
  /** The per-user limit on AK/SK pairs and the lock its count-and-create runs under; 0: no limit. */
  pairQuota: { maxPerUser: number; lock: KeyLock };
  /** The gateway's clock (injected in tests): pair status and expiry checks read it. */
  now: () => number;
  /** Every AK/SK change and download, as log lines and (with Redis) a stream `akSkEvents` reads. */
  audit: LoggingAuditTrail;
  /** Switches expired pairs off in Keystone; `undefined` without a service identity (expiry is then only shown). */
  expirySweeper: ExpirySweeper | undefined;
  /** Closes the upstream pools and the stores. */
  close(): Promise<void>;
}

export function createSharedState(
  config: GatewayConfig,
  urls: UpstreamUrls,
  logger: Logger,
  metrics: GatewayMetrics,
  /** The clock of link lifetimes, throttle windows, the token cache and expiry; tests move it instead of sleeping. */
  now?: () => number,
  /** When the expiry sweeper runs; tests tick it by hand. */
  sweepTimer?: SweepTimer,
): SharedState {
  // Replicas behind a load balancer share links, login counts and introspections through Redis.
  const store: KeyValueStore = config.redisUrl
    ? new RedisStore(config.redisUrl, config.redisKeyPrefix)
    : new MemoryStore(undefined, now);
  // Login counts and per-token link counts apart from links and cached introspections: filling
  // the one store with links must never evict a lock-out.
  const securityStore: KeyValueStore = config.redisUrl
    ? new RedisStore(config.redisUrl, `${config.redisKeyPrefix}security:`)
    : new MemoryStore(undefined, now);
  const upstreams = createUpstreams(urls, {
    akSkBackend: config.akSkBackend,
    settings: config.upstreams,
    onCall: (call) => observeUpstreamCall(call, metrics, logger),
  });
  const audit = new LoggingAuditTrail(
    logger,
    config.redisUrl
      ? new RedisAuditStream(config.redisUrl, `${config.redisKeyPrefix}audit:aksk`, config.auditStreamMaxLength)
      : undefined,
    now,
  );
  const serviceIdentity = config.serviceIdentity ? new ServiceIdentity(upstreams.keystone, config.serviceIdentity) : undefined;
  const sigv4 =
    serviceIdentity &&
    new SigV4Authenticator(serviceIdentity, {
      settings: config.sigv4,
      recheckMs: config.sigv4.recheckMs,
      // Replay marks are security state: kept where link churn cannot evict them.
      store: securityStore,
      now,
      readPairState: pairStateOf,
      getCredential: (serviceToken, credentialId) => upstreams.credentials.getCredential(serviceToken, credentialId),
      recordUse: {
        resolutionMs: config.lastUsedResolutionMs,
        write: (serviceToken, accessKey, at) =>
          new AkSkLifecycle(upstreams.credentials).recordUse(serviceToken, accessKey, at, config.lastUsedResolutionMs),
        onFailure: (error) => logger.warn({ err: error }, 'AK/SK lastUsedAt not recorded'),
      },
    });
  const expirySweeper =
    serviceIdentity &&
    new ExpirySweeper({
      intervalMs: config.expirySweepMs,
      serviceToken: () => serviceIdentity.token(),
      credentials: upstreams.credentials,
      audit,
      // A round's lock is security state too: link churn must not evict it.
      lockStore: securityStore,
      logger,
      now,
      timer: sweepTimer,
    });
  return {
    upstreams,
    introspector: new TokenIntrospector(upstreams.keystone, {
      ttlMs: config.tokenCacheTtlMs,
      maxEntries: config.tokenCacheMaxEntries,
      onLookup: (result) => metrics.tokenCache.child(result).inc(),
      sharedCache: config.redisUrl ? store : undefined,
      now,
    }),
    downloads: new DownloadLinkStore(store, {
      ttlMs: config.downloadLinkTtlMs,
      maxPerToken: config.maxDownloadLinksPerToken,
      counters: securityStore,
      now,
    }),
    loginThrottle: new LoginThrottle(securityStore, {
      ...config.loginThrottle,
      userIdOf:
        serviceIdentity && userIdOfLogins(new UserIdLookup(upstreams.keystone, () => serviceIdentity.token(), { now }), logger),
    }),
    sessionCookieSecure: config.sessionCookieSecure,
    // Held for a count and a create: the lock outlives the slowest upstream calls of both.
    pairQuota: { maxPerUser: config.maxPairsPerUser, lock: new KeyLock(securityStore, { ttlMs: 60_000, maxWaitMs: 30_000 }) },
    serviceIdentity,
    sigv4,
    now: now ?? Date.now,
    audit,
    expirySweeper,
    close: async () => {
      // A use of a pair being recorded finishes before the pools close under it.
      await sigv4?.settled();
      await expirySweeper?.stop();
      await upstreams.close();
      await Promise.all([store.close(), securityStore.close(), audit.close()]);
    },
  };
}

/**
 * Names resolved for the login limit. When Keystone cannot tell (down, or the service identity
 * refused), the name is counted under itself, as without a service identity: logins go on.
 */
function userIdOfLogins(lookup: UserIdLookup, logger: Logger) {
  return (name: string, domainName: string): Promise<string | undefined> =>
    lookup.userId(name, domainName).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not resolve a login name to its user id; counting it under the name');
      return undefined;
    });
}
