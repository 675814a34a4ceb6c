import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { readManifest, TrustedDocumentManifest } from './trusted-documents/manifest';

/**
 * The gateway's configuration: read from the environment once, validated, frozen. A bad value
 * stops start-up with a message naming the variable.
 */

export interface GatewayConfig {
  host: string;
  port: number;
  /** `NODE_ENV=production`: no explorer, no introspection, no embedded emulator conveniences. */
  production: boolean;
  /** Keystone identity v3 base URL; `undefined` starts the embedded emulator. */
  keystoneUrl: string | undefined;
  /** Multicloud service origin (the gateway adds `/v1/...`). */
  multicloudUrl: string | undefined;
  /** Where AK/SK pairs are managed: through the multicloud service, or directly in Keystone. */
  akSkBackend: AkSkBackendKind;
  /** Per upstream service: timeouts, retries of idempotent calls, response size cap. */
  upstreams: Readonly<Record<'keystone' | 'multicloud', UpstreamSettings>>;
  /** Upper bound on how long a token's introspection is reused; never past the token's expiry. */
  tokenCacheTtlMs: number;
  tokenCacheMaxEntries: number;
  downloadLinkTtlMs: number;
  /**
   * Base of the download URLs handed out. Unset: built from a trusted proxy's
   * `X-Forwarded-Proto`/`-Host`, else relative (`/downloads/...`); never from the `Host` header.
   */
  publicUrl: string | undefined;
  /** At most this many unused download links per token at once. */
  maxDownloadLinksPerToken: number;
  /**
   * Peers (addresses or CIDR ranges) whose `X-Forwarded-For`/`-Proto`/`-Host` are believed;
   * none by default, so the socket's address is the client's.
   */
  trustedProxies: readonly string[];
  /** Node HTTP server limits: slow or stalled clients must not hold connections for minutes. */
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    /** Longest pause between two chunks of a request body. */
    bodyIdleTimeoutMs: number;
    maxConnections: number;
  };
  /** `/readyz`: each probe's budget, and how long one answer is reused. */
  readiness: { timeoutMs: number; cacheMs: number };
  /** Origins allowed by CORS; `['*']` reflects any origin. */
  corsOrigins: readonly string[];
  maxRequestBodyBytes: number;
  /** The `Secure` attribute on the session cookie; off only for plain-http setups on other hosts. */
  sessionCookieSecure: boolean;
  /** Schema introspection: on in development, off in production unless enabled. */
  introspection: boolean;
  /**
   * What a browser opening /graphql gets: GraphiQL served by the gateway (works offline), Apollo
   * Sandbox (loaded from Apollo's CDN), or nothing. GraphiQL in development, off in production.
   */
  explorer: ExplorerKind;
  /** The reference web console: on in development, off in production unless enabled. */
  consoleEnabled: boolean;
  /** Where the console is served, e.g. `/console`. */
  consolePath: string;
  limits: {
    maxQueryDepth: number;
    maxQueryAliases: number;
    maxQueryTokens: number;
    /** Operations per batched HTTP request; 1 turns batching off. */
    maxBatchSize: number;
  };
  loginThrottle: {
    maxFailuresPerUser: number;
    maxFailuresPerAddress: number;
    windowMs: number;
  };
  /** How long SIGTERM waits for in-flight requests before closing connections. */
  shutdownGraceMs: number;
  /** Shared state for replicas (download links, login counts, introspections); memory when unset. */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** With Redis: about how many audit events the shared stream keeps (`XADD MAXLEN ~`); the oldest go first. */
  auditStreamMaxLength: number;
  /** How often the expiry sweeper deactivates, in Keystone, the pairs whose expiry passed. */
  expirySweepMs: number;
  /** AK/SK-signed (SigV4) requests: the scope clients sign for, and how the gateway checks them. */
  sigv4: {
    region: string;
    service: string;
    /** How far a request's X-Amz-Date may be from the gateway's clock, either way. */
    clockSkewMs: number;
    /** How long a pair's state (status, expiry) is trusted before it is read again. */
    recheckMs: number;
  };
  /** AK/SK pairs a user may have, active or not; 0: no limit. */
  maxPairsPerUser: number;
  /** A pair's `lastUsedAt` is written at most once per this many milliseconds. */
  lastUsedResolutionMs: number;
  /**
   * The console's and the typed client's operations (dist/trusted-documents.json, written by
   * `npm run build`), executed compiled; with `only`, nothing else is accepted.
   */
  trustedDocuments: { manifest: Readonly<TrustedDocumentManifest> | undefined; only: boolean };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Generated users and pairs added to the embedded emulator's demo data. */
  emulatorSeed: EmulatorSeedScale;
  /**
   * The gateway's own Keystone user (`KEYSTONE_SERVICE_*`), for work no caller does, such as
   * enforcing expiry; `undefined` when not configured (the embedded emulator brings its own).
   */
  serviceIdentity: Readonly<ServiceCredentials> | undefined;
}

/** The gateway's own Keystone user, as OpenStack services have one (`[keystone_authtoken]`). */
export interface ServiceCredentials {
  username: string;
  password: string;
  projectName: string;
  domainName: string;
}

/** `EMULATOR_SEED_USERS` members of `demo` and `EMULATOR_SEED_PAIRS` AK/SK pairs among them. */
export interface EmulatorSeedScale {
  users: number;
  pairs: number;
}

export type AkSkBackendKind = 'multicloud' | 'keystone';

export const EXPLORERS = ['graphiql', 'sandbox', 'off'] as const;
export type ExplorerKind = (typeof EXPLORERS)[number];

export interface UpstreamSettings {
  /** Budget of a whole call, retries included. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Longest wait for the response headers, and between body chunks. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Further attempts of a GET that got no usable answer. */
  retries: number;
  maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Readonly<GatewayConfig> {
  const production = env.NODE_ENV === 'production';
  const keystoneUrl = readUrl(env, 'KEYSTONE_URL');
  const multicloudUrl = readUrl(env, 'MULTICLOUD_URL');
  if (!keystoneUrl && multicloudUrl) {
    throw new ConfigError('KEYSTONE_URL', 'must be set when MULTICLOUD_URL is set (the Keystone that service trusts)');
  }
  // Embedded (no KEYSTONE_URL): the emulator provides both upstreams.
  const akSkBackend = readChoice<AkSkBackendKind>(
    env,
    'AKSK_BACKEND',
    ['multicloud', 'keystone'],
    keystoneUrl && !multicloudUrl ? 'keystone' : 'multicloud',
  );
  if (akSkBackend === 'multicloud' && keystoneUrl && !multicloudUrl) {
    throw new ConfigError('MULTICLOUD_URL', 'must be set when AKSK_BACKEND is multicloud');
  }
  return Object.freeze({
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readInteger(env, 'PORT', 4000, 0, 65535),
    production,
    keystoneUrl,
    multicloudUrl,
    akSkBackend,
    upstreams: Object.freeze({
      keystone: readUpstreamSettings(env, 'KEYSTONE'),
      multicloud: readUpstreamSettings(env, 'MULTICLOUD'),
    }),
    tokenCacheTtlMs: readInteger(env, 'TOKEN_CACHE_TTL_MS', 60_000, 0, 3_600_000),
    tokenCacheMaxEntries: readInteger(env, 'TOKEN_CACHE_MAX_ENTRIES', 10_000, 0, 10_000_000),
    downloadLinkTtlMs: readInteger(env, 'DOWNLOAD_LINK_TTL_MS', 60_000, 1_000, 3_600_000),
    publicUrl: readUrl(env, 'PUBLIC_URL'),
    maxDownloadLinksPerToken: readInteger(env, 'DOWNLOAD_LINKS_PER_TOKEN', 20, 1, 10_000),
    trustedProxies: Object.freeze(readTrustedProxies(env)),
    http: Object.freeze({
      headersTimeoutMs: readInteger(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
      requestTimeoutMs: readInteger(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      keepAliveTimeoutMs: readInteger(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
      bodyIdleTimeoutMs: readInteger(env, 'HTTP_BODY_IDLE_TIMEOUT_MS', 5_000, 100, 300_000),
      maxConnections: readInteger(env, 'HTTP_MAX_CONNECTIONS', 1_024, 1, 1_000_000),
    }),
    readiness: Object.freeze({
      timeoutMs: readInteger(env, 'READINESS_TIMEOUT_MS', 2_000, 50, 60_000),
      cacheMs: readInteger(env, 'READINESS_CACHE_MS', 1_000, 0, 60_000),
    }),
    corsOrigins: Object.freeze(readList(env, 'CORS_ORIGINS', production ? [] : ['*'])),
    maxRequestBodyBytes: readInteger(env, 'MAX_REQUEST_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    sessionCookieSecure: readBoolean(env, 'SESSION_COOKIE_SECURE', true),
    introspection: readBoolean(env, 'GRAPHQL_INTROSPECTION', !production),
    explorer: readExplorer(env, production),
    consoleEnabled: readBoolean(env, 'CONSOLE_ENABLED', !production),
    consolePath: readConsolePath(env),
    limits: Object.freeze({
      maxQueryDepth: readInteger(env, 'MAX_QUERY_DEPTH', 10, 2, 100),
      maxQueryAliases: readInteger(env, 'MAX_QUERY_ALIASES', 30, 0, 10_000),
      maxQueryTokens: readInteger(env, 'MAX_QUERY_TOKENS', 2_000, 50, 1_000_000),
      maxBatchSize: readInteger(env, 'MAX_BATCH_SIZE', 10, 1, 1_000),
    }),
    loginThrottle: Object.freeze({
      maxFailuresPerUser: readInteger(env, 'LOGIN_MAX_FAILURES_PER_USER', 5, 1, 1_000_000),
      maxFailuresPerAddress: readInteger(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 1_000_000),
      windowMs: readInteger(env, 'LOGIN_THROTTLE_WINDOW_MS', 300_000, 1_000, 86_400_000),
    }),
    shutdownGraceMs: readInteger(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    redisUrl: readRedisUrl(env),
    redisKeyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'aksk-gateway:'),
    auditStreamMaxLength: readInteger(env, 'AUDIT_STREAM_MAX_LEN', 10_000, 100, 10_000_000),
    expirySweepMs: readInteger(env, 'AKSK_EXPIRY_SWEEP_MS', 60_000, 1_000, 86_400_000),
    sigv4: Object.freeze({
      region: readString(env, 'SIGV4_REGION', 'RegionOne'),
      service: readString(env, 'SIGV4_SERVICE', 'graphql'),
      clockSkewMs: readInteger(env, 'SIGV4_CLOCK_SKEW_MS', 900_000, 1_000, 3_600_000),
      recheckMs: readInteger(env, 'SIGV4_RECHECK_MS', 60_000, 0, 3_600_000),
    }),
    maxPairsPerUser: readInteger(env, 'AKSK_MAX_PER_USER', 0, 0, 1_000_000),
    lastUsedResolutionMs: readInteger(env, 'AKSK_LAST_USED_RESOLUTION_MS', 3_600_000, 1_000, 30 * 86_400_000),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    trustedDocuments: readTrustedDocuments(env),
    serviceIdentity: readServiceIdentity(env),
    emulatorSeed: readEmulatorSeed(env),
  });
}

/** Where `npm run emulator` listens, and the Keystone its multicloud emulator sits on. */
export interface EmulatorConfig {
  host: string;
  port: number;
  /** A real Keystone for the multicloud emulator to sit on; the in-memory one when unset. */
  keystoneUrl: string | undefined;
  seed: EmulatorSeedScale;
}

/** `npm run emulator`'s settings: `EMULATOR_HOST`, `EMULATOR_PORT`, `EMULATOR_KEYSTONE_URL`, `EMULATOR_SEED_*`. */
export function loadEmulatorConfig(env: Env = process.env): Readonly<EmulatorConfig> {
  return Object.freeze({
    host: readString(env, 'EMULATOR_HOST', '127.0.0.1'),
    port: readInteger(env, 'EMULATOR_PORT', 5000, 0, 65535),
    keystoneUrl: readUrl(env, 'EMULATOR_KEYSTONE_URL'),
    seed: readEmulatorSeed(env),
  });
}

function readEmulatorSeed(env: Env): Readonly<EmulatorSeedScale> {
  const users = readInteger(env, 'EMULATOR_SEED_USERS', 0, 0, 100_000);
  const pairs = readInteger(env, 'EMULATOR_SEED_PAIRS', 0, 0, 1_000_000);
  if (pairs > 0 && users === 0)
    throw new ConfigError('EMULATOR_SEED_PAIRS', 'needs EMULATOR_SEED_USERS above 0 to own the pairs');
  return Object.freeze({ users, pairs });
}

/** `KEYSTONE_TIMEOUT_MS` and the like, each defaulting to its `UPSTREAM_*` counterpart. */
function readUpstreamSettings(env: Env, service: 'KEYSTONE' | 'MULTICLOUD'): Readonly<UpstreamSettings> {
  const read = (suffix: string, fallback: number, min: number, max: number) =>
    readInteger(env, `${service}_${suffix}`, readInteger(env, `UPSTREAM_${suffix}`, fallback, min, max), min, max);
  return Object.freeze({
    timeoutMs: read('TIMEOUT_MS', 10_000, 1, 300_000),
    connectTimeoutMs: read('CONNECT_TIMEOUT_MS', 3_000, 1, 300_000),
    headersTimeoutMs: read('HEADERS_TIMEOUT_MS', 10_000, 1, 300_000),
    bodyTimeoutMs: read('BODY_TIMEOUT_MS', 10_000, 1, 300_000),
    retries: read('RETRIES', 2, 0, 10),
    maxBodyBytes: read('MAX_BODY_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
  });
}

const SERVICE_VARIABLES = [
  'KEYSTONE_SERVICE_USERNAME',
  'KEYSTONE_SERVICE_PASSWORD',
  'KEYSTONE_SERVICE_PASSWORD_FILE',
  'KEYSTONE_SERVICE_PROJECT',
];

/** All of user, password (or its file) and project, or none of them. */
function readServiceIdentity(env: Env): Readonly<ServiceCredentials> | undefined {
  if (!SERVICE_VARIABLES.some((name) => present(env, name) !== undefined)) return undefined;
  const username = present(env, 'KEYSTONE_SERVICE_USERNAME');
  if (!username) throw new ConfigError('KEYSTONE_SERVICE_USERNAME', 'must be set with the other KEYSTONE_SERVICE_* settings');
  const projectName = present(env, 'KEYSTONE_SERVICE_PROJECT');
  if (!projectName) throw new ConfigError('KEYSTONE_SERVICE_PROJECT', 'must be set with KEYSTONE_SERVICE_USERNAME');
  const inline = env.KEYSTONE_SERVICE_PASSWORD;
  const file = present(env, 'KEYSTONE_SERVICE_PASSWORD_FILE');
  if (inline && file) {
    throw new ConfigError('KEYSTONE_SERVICE_PASSWORD_FILE', 'must not be set together with KEYSTONE_SERVICE_PASSWORD');
  }
  const password = file ? readPasswordFile(file) : inline;
  if (!password) {
    throw new ConfigError(
      'KEYSTONE_SERVICE_PASSWORD',
      'or KEYSTONE_SERVICE_PASSWORD_FILE must be set with KEYSTONE_SERVICE_USERNAME',
    );
  }
  return Object.freeze({ username, password, projectName, domainName: readString(env, 'KEYSTONE_SERVICE_DOMAIN', 'Default') });
}

/** The file's content without its final line break, as secret files usually end with one. */
/**
 * `TRUSTED_DOCUMENTS_FILE`, else the manifest the build writes beside the compiled gateway
 * (`dist/trusted-documents.json`; from `src/` under ts-node or jest there is none) when present;
 * `TRUSTED_DOCUMENTS_FILE=none` turns the compiled path off.
 */
function readTrustedDocuments(env: Env): GatewayConfig['trustedDocuments'] {
  const only = readBoolean(env, 'TRUSTED_DOCUMENTS_ONLY', false);
  const configured = present(env, 'TRUSTED_DOCUMENTS_FILE');
  const path = configured ?? join(__dirname, 'trusted-documents.json');
  let manifest: TrustedDocumentManifest | undefined;
  if (configured !== 'none') {
    try {
      manifest = readManifest(path);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (configured !== undefined || !missing) {
        throw new ConfigError('TRUSTED_DOCUMENTS_FILE', missing ? `${path} does not exist` : (error as Error).message);
      }
    }
  }
  if (only && !manifest) {
    throw new ConfigError(
      'TRUSTED_DOCUMENTS_ONLY',
      'needs a trusted-document manifest (run `npm run build`, or set TRUSTED_DOCUMENTS_FILE)',
    );
  }
  return Object.freeze({ manifest: manifest && deepFreeze(manifest), only });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  return Object.freeze(value);
}

function readPasswordFile(path: string): string {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('KEYSTONE_SERVICE_PASSWORD_FILE', `cannot be read (${reason}): ${path}`);
  }
  const password = content.replace(/\r?\n$/, '');
  if (!password) throw new ConfigError('KEYSTONE_SERVICE_PASSWORD_FILE', `is empty: ${path}`);
  return password;
}

function readRedisUrl(env: Env): string | undefined {
  const raw = present(env, 'REDIS_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a Redis URL often holds a password.
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError('REDIS_URL', `must use redis or rediss, got "${url.protocol}"`);
  }
  return raw;
}

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readString(env: Env, name: string, fallback: string): string {
  return present(env, name) ?? fallback;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readUrl(env: Env, name: string): string | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a malformed URL may still hold a password.
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must use http or https, got "${url.protocol}"`);
  }
  // A bare `?` or `#` leaves `search` and `hash` empty but would survive into `toString()`.
  if (url.username || url.password || url.search || url.hash || /[?#]/.test(raw)) {
    throw new ConfigError(name, 'must not carry credentials, a query or a fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

/** `TRUSTED_PROXIES`: comma-separated IP addresses or CIDR ranges (`10.0.0.0/8`, `::1`). */
function readTrustedProxies(env: Env): string[] {
  const entries = readList(env, 'TRUSTED_PROXIES', []);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !validPrefix || rest.length > 0) {
      throw new ConfigError('TRUSTED_PROXIES', `must list IP addresses or CIDR ranges, got "${entry}"`);
    }
  }
  return entries;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(name, `must be true or false, got "${raw}"`);
  return raw === 'true';
}

function readList(env: Env, name: string, fallback: string[]): string[] {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The gateway's own routes, which the console must not hide. */
const RESERVED_PATHS = ['/graphql', '/downloads', '/healthz', '/readyz', '/metrics'];

function readConsolePath(env: Env): string {
  const raw = present(env, 'CONSOLE_PATH');
  if (raw === undefined) return '/console';
  const path = raw.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(path)) {
    throw new ConfigError('CONSOLE_PATH', `must be a path like /console (letters, digits, ., _, -), got "${raw}"`);
  }
  const clash = RESERVED_PATHS.find((reserved) => path === reserved || path.startsWith(`${reserved}/`));
  if (clash) throw new ConfigError('CONSOLE_PATH', `must not be under ${clash}, which the gateway serves itself`);
  return path;
}

function readExplorer(env: Env, production: boolean): ExplorerKind {
  // The old switch, removed: say what replaced it rather than ignore it.
  if (present(env, 'GRAPHQL_SANDBOX') !== undefined) {
    throw new ConfigError('GRAPHQL_SANDBOX', 'is replaced by GRAPHQL_EXPLORER=graphiql|sandbox|off');
  }
  return readChoice(env, 'GRAPHQL_EXPLORER', EXPLORERS, production ? 'off' : 'graphiql');
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}
