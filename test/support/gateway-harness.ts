import { loadConfig } from '../../src/config';
import { RunningEmulator, startEmulator } from '../../src/emulator/emulator-server';
import { Seed } from '../../src/emulator/seed';
import { createLogger } from '../../src/observability/logger';
import { recordLogLine, recordSecrets, secretsIn } from './log-audit';
import { RunningGateway, startGateway } from '../../src/server/gateway';
import { SweepTimer } from '../../src/services/expiry-sweeper';
import { handTimer } from './hand-timer';
import { UpstreamUrls } from '../../src/upstreams/create-upstreams';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface GatewayHarness {
  gateway: RunningGateway;
  /** The emulator, when the harness started one. */
  emulator: RunningEmulator | undefined;
  /** Every log line the gateway wrote, as text: tests scan these for secrets. */
  logLines: string[];
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; cookie?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * Starts the real gateway on port 0, over the embedded emulator unless upstream URLs are
 * given, with its logs captured.
 */
export async function startGatewayHarness(
  options: {
    upstreams?: UpstreamUrls;
    env?: Record<string, string>;
    /** Sees every request the embedded emulator answers. */
    onUpstreamRequest?: (method: string, path: string) => void;
    seed?: Seed;
    /** The gateway's clock (see `manualClock`), so tests can pass a window without waiting it out. */
    now?: () => number;
    /**
     * When the expiry sweeper runs (see `handTimer`). By default never: a sweep switches off every
     * expired pair of the (possibly shared) Keystone, so only a test that means it ticks one.
     */
    sweepTimer?: SweepTimer;
  } = {},
): Promise<GatewayHarness> {
  const emulator = options.upstreams
    ? undefined
    : await startEmulator({ onRequest: options.onUpstreamRequest, seed: options.seed });
  const upstreams = options.upstreams ?? emulator!;
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'debug',
    KEYSTONE_URL: upstreams.keystoneUrl,
    MULTICLOUD_URL: upstreams.multicloudUrl,
    ...options.env,
  });
  const logLines: string[] = [];
  const logger = createLogger(config.logLevel, {
    write: (line: string) => {
      logLines.push(line);
      recordLogLine(line);
    },
  });
  // As `npm start` does over its embedded emulator: the seeded service user, unless configured.
  const serviceIdentity = config.serviceIdentity ?? emulator?.serviceIdentity;
  const gateway = await startGateway({ ...config, serviceIdentity }, upstreams, logger, {
    now: options.now,
    sweepTimer: options.sweepTimer ?? handTimer().timer,
  });

  return {
    gateway,
    emulator,
    logLines,
    async graphql(query, variables, requestOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...requestOptions.headers };
      if (requestOptions.cookie) headers.cookie = requestOptions.cookie;
      if (requestOptions.token) headers['x-auth-token'] = requestOptions.token;
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: never; errors?: never };
      recordSecrets([...secretsIn(variables, body.data), requestOptions.token, requestOptions.cookie]);
      return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
    },
    async close() {
      await gateway.close();
      await emulator?.close();
    },
  };
}

/** Fails with the GraphQL errors when there are any, so a broken step says why. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** Asserts no captured log line contains any of the given secrets. */
export function expectNoSecretsIn(lines: string[], secrets: string[]): void {
  const leaks = lines.filter((line) => secrets.some((secret) => secret && line.includes(secret)));
  expect(leaks).toEqual([]);
}
