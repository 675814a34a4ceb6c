/** Shared helpers for the upstream client unit tests: exact MockAgents and error capture. */
import { isDeepStrictEqual } from 'node:util';
import { MockAgent } from 'undici';
import { UpstreamError, UpstreamService } from '../../../src/errors/upstream-error';
import { UpstreamHttp } from '../../../src/upstreams/upstream-http';

/** A MockAgent that refuses any call without an interceptor. */
export function strictMockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

export function upstreamHttp(
  service: UpstreamService,
  baseUrl: string,
  agent: MockAgent,
  extra: { timeoutMs?: number; maxBodyBytes?: number; requestId?: string } = {},
): UpstreamHttp {
  return new UpstreamHttp({ service, baseUrl, dispatcher: agent, timeoutMs: extra.timeoutMs ?? 2_000, ...extra });
}

/** Interceptor body matcher: the request body is JSON deep-equal to `expected`. */
export function jsonBody(expected: unknown): (body: string) => boolean {
  return (body) => {
    try {
      return isDeepStrictEqual(JSON.parse(body), expected);
    } catch {
      return false;
    }
  };
}

/** Interceptor header matcher for headers that must be present with a value, or absent (`undefined`). */
export function exactHeaders(expected: Record<string, string | undefined>): (headers: Record<string, string>) => boolean {
  return (headers) => Object.entries(expected).every(([name, value]) => headers[name.toLowerCase()] === value);
}

/** The `UpstreamError` a call rejects with; fails the test on success or on another error type. */
export async function upstreamFailure(call: Promise<unknown>): Promise<UpstreamError> {
  let outcome: unknown;
  try {
    await call;
  } catch (error) {
    outcome = error;
  }
  if (!(outcome instanceof UpstreamError)) {
    throw new Error(
      `expected an UpstreamError, got ${outcome === undefined ? 'success' : outcome instanceof Error ? outcome.message : JSON.stringify(outcome)}`,
    );
  }
  return outcome;
}

export const JSON_HEADERS = { 'content-type': 'application/json' };
export const TEXT_HEADERS = { 'content-type': 'text/plain; charset=utf-8' };
