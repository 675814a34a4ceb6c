import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { manifestOf } from '../../src/trusted-documents/manifest';

const UPSTREAMS = { KEYSTONE_URL: 'http://keystone.test/identity/v3', MULTICLOUD_URL: 'http://multicloud.test:8089' };

/** The ConfigError `loadConfig(env)` stops with; fails the test if it does not. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const DEFAULT_UPSTREAM_SETTINGS = {
  timeoutMs: 10_000,
  connectTimeoutMs: 3_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  retries: 2,
  maxBodyBytes: 1024 * 1024,
};

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      production: false,
      keystoneUrl: undefined,
      multicloudUrl: undefined,
      akSkBackend: 'multicloud',
      upstreams: {
        keystone: DEFAULT_UPSTREAM_SETTINGS,
        multicloud: DEFAULT_UPSTREAM_SETTINGS,
      },
      tokenCacheTtlMs: 60_000,
      tokenCacheMaxEntries: 10_000,
      downloadLinkTtlMs: 60_000,
      publicUrl: undefined,
      corsOrigins: ['*'],
      maxRequestBodyBytes: 1024 * 1024,
      sessionCookieSecure: true,
      introspection: true,
      explorer: 'graphiql',
      consoleEnabled: true,
      consolePath: '/console',
      limits: { maxQueryDepth: 10, maxQueryAliases: 30, maxQueryTokens: 2000, maxBatchSize: 10 },
      loginThrottle: { maxFailuresPerUser: 5, maxFailuresPerAddress: 20, windowMs: 300_000 },
      shutdownGraceMs: 10_000,
      logLevel: 'info',
    });
  });

  it('sets deliberate HTTP server limits, readiness budget and link cap by default, each configurable', () => {
    expect(loadConfig({})).toMatchObject({
      maxDownloadLinksPerToken: 20,
      trustedProxies: [],
      http: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        bodyIdleTimeoutMs: 5_000,
        maxConnections: 1_024,
      },
      readiness: { timeoutMs: 2_000, cacheMs: 1_000 },
    });
    expect(
      loadConfig({
        DOWNLOAD_LINKS_PER_TOKEN: '5',
        TRUSTED_PROXIES: '10.0.0.0/8, ::1, 192.0.2.1',
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '4000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
        HTTP_BODY_IDLE_TIMEOUT_MS: '500',
        HTTP_MAX_CONNECTIONS: '10',
        READINESS_TIMEOUT_MS: '500',
        READINESS_CACHE_MS: '0',
      }),
    ).toMatchObject({
      maxDownloadLinksPerToken: 5,
      trustedProxies: ['10.0.0.0/8', '::1', '192.0.2.1'],
      http: {
        headersTimeoutMs: 2_000,
        requestTimeoutMs: 4_000,
        keepAliveTimeoutMs: 1_000,
        bodyIdleTimeoutMs: 500,
        maxConnections: 10,
      },
      readiness: { timeoutMs: 500, cacheMs: 0 },
    });
  });

  it.each(['proxy.example', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '10.0.0.0/x'])(
    'stops on TRUSTED_PROXIES entry %s',
    (entry) => {
      expect(() => loadConfig({ TRUSTED_PROXIES: entry })).toThrow(
        `Invalid configuration: TRUSTED_PROXIES must list IP addresses or CIDR ranges, got "${entry}"`,
      );
    },
  );

  it('reads per-upstream settings, each defaulting to its UPSTREAM_* counterpart', () => {
    const config = loadConfig({ UPSTREAM_TIMEOUT_MS: '4000', MULTICLOUD_TIMEOUT_MS: '700', KEYSTONE_RETRIES: '0' });
    expect(config.upstreams.keystone).toEqual({ ...DEFAULT_UPSTREAM_SETTINGS, timeoutMs: 4000, retries: 0 });
    expect(config.upstreams.multicloud).toEqual({ ...DEFAULT_UPSTREAM_SETTINGS, timeoutMs: 700 });
    expect(() => loadConfig({ KEYSTONE_CONNECT_TIMEOUT_MS: '0' })).toThrow(/KEYSTONE_CONNECT_TIMEOUT_MS must be between 1/);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '   ', KEYSTONE_URL: ' ', MULTICLOUD_URL: '', LOG_LEVEL: '' })).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...UPSTREAMS,
      HOST: '0.0.0.0',
      PORT: '0',
      NODE_ENV: 'production',
      UPSTREAM_TIMEOUT_MS: '2500',
      TOKEN_CACHE_TTL_MS: '0',
      TOKEN_CACHE_MAX_ENTRIES: '0',
      DOWNLOAD_LINK_TTL_MS: '1000',
      PUBLIC_URL: 'https://gateway.example.org/',
      CORS_ORIGINS: ' https://a.example , https://b.example,, ',
      MAX_REQUEST_BODY_BYTES: '2048',
      SESSION_COOKIE_SECURE: 'false',
      CONSOLE_PATH: '/admin/keys/',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      production: true,
      keystoneUrl: 'http://keystone.test/identity/v3',
      multicloudUrl: 'http://multicloud.test:8089',
      akSkBackend: 'multicloud',
      upstreams: { keystone: { timeoutMs: 2500 }, multicloud: { timeoutMs: 2500 } },
      introspection: false,
      explorer: 'off',
      consoleEnabled: false,
      consolePath: '/admin/keys',
      tokenCacheTtlMs: 0,
      tokenCacheMaxEntries: 0,
      downloadLinkTtlMs: 1000,
      publicUrl: 'https://gateway.example.org',
      corsOrigins: ['https://a.example', 'https://b.example'],
      maxRequestBodyBytes: 2048,
      sessionCookieSecure: false,
      logLevel: 'debug',
    });
  });

  it('serves GraphiQL at /graphql unless in production; GRAPHQL_EXPLORER chooses sandbox or off', () => {
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'graphiql' }).explorer).toBe('graphiql');
    expect(loadConfig({ GRAPHQL_EXPLORER: 'sandbox' }).explorer).toBe('sandbox');
    expect(loadConfig({ GRAPHQL_EXPLORER: 'off' }).explorer).toBe('off');
    expect(configError({ GRAPHQL_EXPLORER: 'playground' }).message).toMatch(/must be one of graphiql, sandbox, off/);
    expect(configError({ GRAPHQL_SANDBOX: 'true' }).message).toMatch(/replaced by GRAPHQL_EXPLORER/);
  });

  it('serves the console unless in production, where CONSOLE_ENABLED turns it on', () => {
    expect(loadConfig({ NODE_ENV: 'production', CONSOLE_ENABLED: 'true' }).consoleEnabled).toBe(true);
    expect(loadConfig({ CONSOLE_ENABLED: 'false' }).consoleEnabled).toBe(false);
    expect(configError({ CONSOLE_ENABLED: 'yes' }).variable).toBe('CONSOLE_ENABLED');
  });

  it.each([
    ['console', 'must be a path like /console'],
    ['/', 'must be a path like /console'],
    ['/con sole', 'must be a path like /console'],
    ['/console/../graphql', 'must be a path like /console'],
    ['/.console', 'must be a path like /console'],
    ['/graphql', 'must not be under /graphql'],
    ['/downloads/console', 'must not be under /downloads'],
  ])('stops on CONSOLE_PATH=%j', (value, problem) => {
    const error = configError({ CONSOLE_PATH: value });
    expect(error.variable).toBe('CONSOLE_PATH');
    expect(error.message).toContain(`Invalid configuration: CONSOLE_PATH ${problem}`);
  });

  it('allows no CORS origin by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
  });

  it('is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('normalises upstream URLs: trailing slashes, case, default port, whitespace', () => {
    const config = loadConfig({
      KEYSTONE_URL: '  HTTP://Keystone.TEST:80/identity/v3//  ',
      MULTICLOUD_URL: 'https://MultiCloud.test:443/',
    });
    expect(config.keystoneUrl).toBe('http://keystone.test/identity/v3');
    expect(config.multicloudUrl).toBe('https://multicloud.test');
  });

  it('keeps a plain Keystone URL with its port', () => {
    expect(loadConfig({ KEYSTONE_URL: 'http://10.0.0.5:5000/v3', MULTICLOUD_URL: 'http://10.0.0.5:8089' }).keystoneUrl).toBe(
      'http://10.0.0.5:5000/v3',
    );
  });

  it('manages pairs directly in Keystone when KEYSTONE_URL comes without MULTICLOUD_URL', () => {
    expect(loadConfig({ KEYSTONE_URL: UPSTREAMS.KEYSTONE_URL }).akSkBackend).toBe('keystone');
  });

  it('stops on AKSK_BACKEND=multicloud without MULTICLOUD_URL, naming MULTICLOUD_URL', () => {
    const error = configError({ KEYSTONE_URL: UPSTREAMS.KEYSTONE_URL, AKSK_BACKEND: 'multicloud' });
    expect(error.variable).toBe('MULTICLOUD_URL');
    expect(error.message).toMatch(/^Invalid configuration: MULTICLOUD_URL must be set when AKSK_BACKEND is multicloud/);
  });

  it('lets AKSK_BACKEND choose Keystone even when MULTICLOUD_URL is set', () => {
    expect(loadConfig({ ...UPSTREAMS, AKSK_BACKEND: 'keystone' }).akSkBackend).toBe('keystone');
  });

  it('stops on an unknown AKSK_BACKEND, naming it', () => {
    expect(configError({ AKSK_BACKEND: 'swift' }).variable).toBe('AKSK_BACKEND');
  });

  it('stops on MULTICLOUD_URL without KEYSTONE_URL, naming KEYSTONE_URL', () => {
    const error = configError({ MULTICLOUD_URL: UPSTREAMS.MULTICLOUD_URL });
    expect(error.variable).toBe('KEYSTONE_URL');
    expect(error.message).toContain('KEYSTONE_URL must be set when MULTICLOUD_URL is set');
  });

  it.each([
    ['PORT', 'abc', 'must be a whole number, got "abc"'],
    ['PORT', '-1', 'must be a whole number'],
    ['PORT', '80.5', 'must be a whole number'],
    ['PORT', '1e3', 'must be a whole number'],
    ['PORT', '65536', 'must be between 0 and 65535, got 65536'],
    ['UPSTREAM_TIMEOUT_MS', '0', 'must be between 1 and 300000'],
    ['UPSTREAM_TIMEOUT_MS', '300001', 'must be between 1 and 300000'],
    ['TOKEN_CACHE_TTL_MS', '3600001', 'must be between 0 and 3600000'],
    ['TOKEN_CACHE_MAX_ENTRIES', 'many', 'must be a whole number'],
    ['TOKEN_CACHE_MAX_ENTRIES', '99999999999999999999', 'must be between 0 and 10000000'],
    ['DOWNLOAD_LINK_TTL_MS', '999', 'must be between 1000 and 3600000'],
    ['MAX_REQUEST_BODY_BYTES', '1023', 'must be between 1024 and 67108864'],
    ['LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    ['LOG_LEVEL', 'INFO', 'must be one of'],
    ['PUBLIC_URL', 'gateway.example.org', 'must be an absolute http(s) URL'],
    ['PUBLIC_URL', 'ftp://gateway.example.org', 'must use http or https, got "ftp:"'],
    ['PUBLIC_URL', 'https://gateway.example.org/?x=1', 'must not carry credentials, a query or a fragment'],
    ['PUBLIC_URL', 'https://gateway.example.org/#top', 'must not carry credentials, a query or a fragment'],
  ])('stops on %s=%j with a message naming it', (variable, value, problem) => {
    const error = configError({ [variable]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`Invalid configuration: ${variable} ${problem}`);
  });

  it.each([
    ['not a URL', 'keystone.test/v3', 'must be an absolute http(s) URL'],
    ['another scheme', 'file:///etc/keystone', 'must use http or https'],
    ['credentials', 'http://admin:secret@keystone.test/v3', 'must not carry credentials'],
    ['a user name', 'http://admin@keystone.test/v3', 'must not carry credentials'],
    ['a query', 'http://keystone.test/v3?nocatalog', 'a query'],
    ['a fragment', 'http://keystone.test/v3#x', 'a fragment'],
    // Regression: a bare "?" or "#" has an empty search/hash but was kept in the URL.
    ['a bare ?', 'http://keystone.test/v3?', 'a query'],
    ['a bare #', 'http://keystone.test/v3#', 'a fragment'],
  ])('stops on an upstream URL with %s, naming the variable', (_what, url, problem) => {
    for (const variable of ['KEYSTONE_URL', 'MULTICLOUD_URL'] as const) {
      const error = configError({ ...UPSTREAMS, [variable]: url });
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(`Invalid configuration: ${variable} `);
      expect(error.message).toContain(problem);
    }
  });

  it('never repeats a URL password in its message', () => {
    const error = configError({ ...UPSTREAMS, KEYSTONE_URL: 'http://admin:hunter2@keystone.test/v3' });
    expect(error.message).not.toContain('hunter2');
  });

  it('accepts the bounds of each range', () => {
    const low = loadConfig({
      PORT: '0',
      UPSTREAM_TIMEOUT_MS: '1',
      TOKEN_CACHE_TTL_MS: '0',
      DOWNLOAD_LINK_TTL_MS: '1000',
      MAX_REQUEST_BODY_BYTES: '1024',
    });
    const high = loadConfig({
      PORT: '65535',
      UPSTREAM_TIMEOUT_MS: '300000',
      TOKEN_CACHE_TTL_MS: '3600000',
      TOKEN_CACHE_MAX_ENTRIES: '10000000',
      DOWNLOAD_LINK_TTL_MS: '3600000',
      MAX_REQUEST_BODY_BYTES: String(64 * 1024 * 1024),
    });
    expect([low.port, low.upstreams.keystone.timeoutMs, low.maxRequestBodyBytes]).toEqual([0, 1, 1024]);
    expect([high.port, high.tokenCacheMaxEntries, high.maxRequestBodyBytes]).toEqual([65535, 10_000_000, 64 * 1024 * 1024]);
  });

  it('reads process.env by default', () => {
    const replaced = jest.replaceProperty(process, 'env', { PORT: '4321', LOG_LEVEL: 'warn' });
    try {
      expect(loadConfig()).toMatchObject({ port: 4321, logLevel: 'warn' });
    } finally {
      replaced.restore();
    }
  });
});

describe('loadConfig: the service identity (KEYSTONE_SERVICE_*)', () => {
  const SERVICE = {
    KEYSTONE_SERVICE_USERNAME: 'aksk-service',
    KEYSTONE_SERVICE_PASSWORD: 's3rvice-pa55',
    KEYSTONE_SERVICE_PROJECT: 'service',
  };
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'service-identity-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('is absent unless configured', () => {
    expect(loadConfig({}).serviceIdentity).toBeUndefined();
  });

  it('reads user, password and project, with the domain defaulting to Default', () => {
    expect(loadConfig(SERVICE).serviceIdentity).toEqual({
      username: 'aksk-service',
      password: 's3rvice-pa55',
      projectName: 'service',
      domainName: 'Default',
    });
    expect(loadConfig({ ...SERVICE, KEYSTONE_SERVICE_DOMAIN: 'services' }).serviceIdentity?.domainName).toBe('services');
  });

  it('reads the password from KEYSTONE_SERVICE_PASSWORD_FILE, without its final line break', () => {
    const file = join(directory, 'password');
    writeFileSync(file, ' from-a-file \n');
    const config = loadConfig({ ...SERVICE, KEYSTONE_SERVICE_PASSWORD: undefined, KEYSTONE_SERVICE_PASSWORD_FILE: file });
    expect(config.serviceIdentity?.password).toBe(' from-a-file ');
  });

  it.each([
    ['no user', { KEYSTONE_SERVICE_USERNAME: undefined }, 'KEYSTONE_SERVICE_USERNAME'],
    ['no project', { KEYSTONE_SERVICE_PROJECT: undefined }, 'KEYSTONE_SERVICE_PROJECT'],
    ['no password', { KEYSTONE_SERVICE_PASSWORD: undefined }, 'KEYSTONE_SERVICE_PASSWORD'],
    ['both password and file', { KEYSTONE_SERVICE_PASSWORD_FILE: '/dev/null' }, 'KEYSTONE_SERVICE_PASSWORD_FILE'],
    [
      'a missing file',
      { KEYSTONE_SERVICE_PASSWORD: undefined, KEYSTONE_SERVICE_PASSWORD_FILE: '/nonexistent/pw' },
      'KEYSTONE_SERVICE_PASSWORD_FILE',
    ],
    [
      'an empty file',
      { KEYSTONE_SERVICE_PASSWORD: undefined, KEYSTONE_SERVICE_PASSWORD_FILE: '/dev/null' },
      'KEYSTONE_SERVICE_PASSWORD_FILE',
    ],
  ])('stops on %s, naming the variable and never the password', (_what, change, variable) => {
    const error = configError({ ...SERVICE, ...change });
    expect(error.variable).toBe(variable);
    expect(error.message).not.toContain('s3rvice-pa55');
  });

  describe('trusted documents', () => {
    const body = 'query Viewer { viewer { isAdmin } }';
    const manifestFile = (operations: unknown[]) => {
      const file = join(mkdtempSync(join(tmpdir(), 'trusted-')), 'manifest.json');
      writeFileSync(file, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
      return file;
    };

    it('reads a manifest whose ids are the SHA-256 of their bodies', () => {
      const file = manifestFile(manifestOf([body]).operations);
      const config = loadConfig({ TRUSTED_DOCUMENTS_FILE: file, TRUSTED_DOCUMENTS_ONLY: 'true' });
      expect(config.trustedDocuments.only).toBe(true);
      expect(config.trustedDocuments.manifest?.operations).toEqual([
        expect.objectContaining({ name: 'Viewer', type: 'query', body, id: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      ]);
    });

    it('has none from the sources (the build writes it beside dist/config.js), and safelisting needs one', () => {
      expect(loadConfig({}).trustedDocuments).toEqual({ manifest: undefined, only: false });
      expect(configError({ TRUSTED_DOCUMENTS_ONLY: 'true' }).variable).toBe('TRUSTED_DOCUMENTS_ONLY');
      expect(loadConfig({ TRUSTED_DOCUMENTS_FILE: 'none' }).trustedDocuments.manifest).toBeUndefined();
    });

    it('refuses a missing file and an id that is not its body hash', () => {
      expect(configError({ TRUSTED_DOCUMENTS_FILE: '/nonexistent/trusted.json' }).message).toMatch(/does not exist/);
      const forged = manifestFile([{ id: '0'.repeat(64), name: 'Viewer', type: 'query', body }]);
      expect(configError({ TRUSTED_DOCUMENTS_FILE: forged }).message).toMatch(/not the SHA-256 of its body/);
    });
  });
});
