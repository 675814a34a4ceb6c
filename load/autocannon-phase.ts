/**
 * The plain high-rate phase: autocannon sending one request, `akSk(userId)` with a warm scoped
 * token, over many connections. autocannon cannot carry a token or ids from one response into
 * the next request of the same connection without restarting its sequence (and it drops the
 * request in flight when its duration ends), so the stateful sessions run on `virtual-client.ts`;
 * this phase gives autocannon's own numbers for the gateway's hottest read.
 */
import autocannon from 'autocannon';
import { LOAD_PROJECT, PROBE_USER } from './load-seed';
import { PairLedger } from './pair-ledger';
import { AK_SK, CREATE_AK_SK, DELETE_AK_SK, LOGIN, PairPayload, TokenPayload } from './session-operations';
import { TimedClient } from './timed-client';

export interface AutocannonSummary {
  operation: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** autocannon's histogram: whole milliseconds. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  /** Connection errors (timeouts included). */
  errors: number;
  timeouts: number;
  /** 200s whose body was not the one pair (GraphQL `errors`, or another list). */
  mismatches: number;
  errorRate: number;
}

export async function runAutocannonPhase(options: {
  gatewayUrl: string;
  /** Used for the setup and clean-up calls only; they are not part of the phase's numbers. */
  http: TimedClient;
  ledger: PairLedger;
  clientIndex: number;
  connections: number;
  durationSeconds: number;
  maxRequests: number;
  timeoutMs: number;
}): Promise<AutocannonSummary> {
  const { http, ledger } = options;
  const login = await http.graphql<TokenPayload>('login', LOGIN, {
    input: { username: PROBE_USER.name, password: PROBE_USER.password, scope: { projectName: LOAD_PROJECT } },
  });
  if (!login.ok) throw new Error(`autocannon phase: login of ${PROBE_USER.name} failed with ${login.code}`);
  const token = login.value.token;
  const user = { id: login.value.user.id, name: PROBE_USER.name };
  const created = await http.graphql<PairPayload>('createAkSk', CREATE_AK_SK, { input: { userId: user.id } }, token);
  if (!created.ok) {
    ledger.createFailed(user, created.code, created.transport);
    throw new Error(`autocannon phase: createAkSk for ${PROBE_USER.name} failed with ${created.code}`);
  }
  ledger.created(options.clientIndex, user, created.value);
  const expected = created.value.accessKey;

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.gatewayUrl}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ query: AK_SK, variables: { userId: user.id } }),
        connections: options.connections,
        duration: options.durationSeconds,
        maxOverallRequests: Math.max(options.maxRequests, options.connections),
        timeout: options.timeoutMs / 1000,
        verifyBody: (body) => {
          try {
            const parsed = JSON.parse(body) as { data?: { akSk?: Array<{ accessKey: string }> }; errors?: unknown };
            return !parsed.errors && parsed.data?.akSk?.length === 1 && parsed.data.akSk[0].accessKey === expected;
          } catch {
            return false;
          }
        },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon ends by itself at `duration`; this only guards against it hanging.
    setTimeout(() => instance.stop(), (options.durationSeconds + options.timeoutMs / 1000 + 5) * 1000).unref();
  });

  const deleted = await http.graphql<{ deletedAccessKeys: string[] | null }>(
    'deleteAkSk',
    DELETE_AK_SK,
    { userId: user.id },
    token,
  );
  if (deleted.ok) ledger.deleted(user, deleted.value.deletedAccessKeys);
  else ledger.deleteFailed(user);

  const requests = result.requests.total;
  // A non-2xx answer also fails `verifyBody`: counting both would count it twice.
  const failed = result.errors + Math.max(result.non2xx, result.mismatches);
  return {
    operation: 'akSk (warm token, one pair)',
    connections: options.connections,
    durationSeconds: result.duration,
    requests,
    requestsPerSecond: requests / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    errorRate: requests + result.errors > 0 ? failed / (requests + result.errors) : 0,
  };
}
