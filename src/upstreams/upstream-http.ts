import { EventEmitter } from 'node:events';
import { exceedsJsonDepth } from '../http/json-depth';
import { Dispatcher, errors as undiciErrors } from 'undici';
import { REDACTED, safeExcerpt } from '../observability/redact';
import { BodyTooLargeError, readCappedBody } from '../http/capped-body';
import { UpstreamError, UpstreamFailure, UpstreamService } from '../errors/upstream-error';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the service's base URL, built with `pathOf` so ids cannot change the route. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Statuses that count as success; anything else becomes an `UpstreamError`. */
  expect: readonly number[];
  /**
   * Values the request carries (a password, a secret key) that must never reach an error's
   * detail, however the upstream echoes them. `X-Auth-Token` and `X-Subject-Token` are added.
   */
  secrets?: readonly string[];
  /**
   * A higher response size cap for this call (never a lower one than configured): lists of a
   * whole directory (every user, every AK/SK credential) grow with the cloud.
   */
  maxBodyBytes?: number;
}

/** The cap for lists of a whole directory: about 100,000 credentials or users. */
export const DIRECTORY_LIST_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, the raw text otherwise, `undefined` when empty. */
  body: unknown;
  requestId: string | undefined;
}

/** One attempt at an upstream call, as observers (metrics, logs) see it. */
export interface UpstreamCallEvent {
  service: UpstreamService;
  method: string;
  path: string;
  /** `undefined` when no response arrived. */
  status: number | undefined;
  /** `undefined` for a success. */
  failure: UpstreamFailure | undefined;
  durationMs: number;
  attempt: number;
  /** Ours, forwarded as `X-Openstack-Request-Id`. */
  requestId: string | undefined;
  /** The upstream's `x-openstack-request-id`. */
  upstreamRequestId: string | undefined;
}

export interface RetryPolicy {
  /** Further attempts after the first; only for GETs, only when no usable answer came. */
  retries: number;
  /** Backoff before retry n is a random delay in [0, baseDelayMs * 2^n) ("full jitter"). */
  baseDelayMs: number;
}

export interface UpstreamHttpOptions {
  service: UpstreamService;
  baseUrl: string;
  dispatcher: Dispatcher;
  /** Budget of the whole call, retries and backoff included: retries never extend it. */
  timeoutMs: number;
  /** Bodies above this are refused rather than buffered. */
  maxBodyBytes?: number;
  retry?: RetryPolicy;
  /** Sent as `X-Openstack-Request-Id` so upstream logs can be joined with ours. */
  requestId?: string;
  onCall?: (event: UpstreamCallEvent) => void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const ANY_STATUS: readonly number[] = Array.from({ length: 500 }, (_, index) => index + 100);
const NO_RETRY: RetryPolicy = { retries: 0, baseDelayMs: 0 };
/** Statuses a proxy or an overloaded upstream sends when the request did not run. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Encodes values as path segments. `encodeURIComponent` leaves `.` alone, so `..` is refused
 * outright: no id may ever change which upstream route is called.
 */
export function pathOf(strings: TemplateStringsArray, ...values: string[]): string {
  let path = strings[0];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === '' || value === '.' || value === '..') {
      throw new TypeError('invalid path segment');
    }
    path += (UNRESERVED.test(value) ? value : encodeURIComponent(value)) + strings[index + 1];
  }
  return path;
}

/**
 * What `encodeURIComponent` leaves as it is, as Keystone's ids are: testing costs a fraction of
 * encoding, which builds a new string even when nothing changes.
 */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/**
 * The one place that talks HTTP to an upstream: timeouts, defensive body parsing and the
 * conversion of every failure into an `UpstreamError`.
 */
export class UpstreamHttp {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly requestId: string | undefined;

  constructor(private readonly options: UpstreamHttpOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.requestId = options.requestId;
  }

  /** The same client with a request id to forward. */
  withRequestId(requestId: string): UpstreamHttp {
    // Made per request (several times): no copy of the options, no parse of the base URL.
    const tagged = Object.create(this) as { requestId: string | undefined };
    tagged.requestId = requestId;
    return tagged as unknown as UpstreamHttp;
  }

  /**
   * Sends the request within one overall deadline. A GET that got no usable answer (no
   * connection, a reset, a 502/503/504) is tried again after a jittered backoff while the
   * deadline allows; nothing else is: a login or a create must never run twice.
   */
  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const deadline = new CallDeadline(this.options.timeoutMs);
    const { retries, baseDelayMs } = request.method === 'GET' ? (this.options.retry ?? NO_RETRY) : NO_RETRY;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.attempt(request, deadline, attempt);
        } catch (error) {
          const retryable =
            error instanceof UpstreamError &&
            ((error.failure === 'unreachable' && error.status === undefined) || RETRYABLE_STATUSES.has(error.status ?? 0));
          if (!retryable || attempt > retries || deadline.aborted) throw error;
          const delayMs = Math.random() * baseDelayMs * 2 ** (attempt - 1);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (deadline.aborted) throw error;
        }
      }
    } finally {
      deadline.clear();
    }
  }

  /** `GET {base}{path}`, any status: for readiness, where any HTTP answer means reachable. */
  async probe(path = ''): Promise<number> {
    const response = await this.send({ method: 'GET', path, expect: ANY_STATUS });
    return response.status;
  }

  private async attempt(request: UpstreamRequest, deadline: CallDeadline, attempt: number): Promise<UpstreamResponse> {
    const startedAt = performance.now();
    let status: number | undefined;
    let upstreamRequestId: string | undefined;
    try {
      const response = await this.exchange(request, deadline);
      status = response.status;
      upstreamRequestId = response.requestId;
      this.observe(request, startedAt, attempt, status, undefined, upstreamRequestId);
      return response;
    } catch (error) {
      const upstream = error instanceof UpstreamError ? error : undefined;
      this.observe(request, startedAt, attempt, upstream?.status, upstream?.failure ?? 'unreachable', upstream?.requestId);
      throw error;
    }
  }

  private observe(
    request: UpstreamRequest,
    startedAt: number,
    attempt: number,
    status: number | undefined,
    failure: UpstreamFailure | undefined,
    upstreamRequestId: string | undefined,
  ): void {
    this.options.onCall?.({
      service: this.options.service,
      method: request.method,
      path: request.path,
      status,
      failure,
      durationMs: performance.now() - startedAt,
      attempt,
      requestId: this.requestId,
      upstreamRequestId,
    });
  }

  private async exchange(request: UpstreamRequest, deadline: CallDeadline): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.requestId) headers['x-openstack-request-id'] = this.requestId;
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }

    let response: Dispatcher.ResponseData;
    try {
      response = await this.options.dispatcher.request({
        origin: this.origin,
        path: this.basePath + request.path + queryString(request.query),
        method: request.method,
        headers,
        body,
        signal: deadline,
      });
    } catch (error) {
      throw this.failure(request, { failure: isTimeout(error) ? 'timeout' : 'unreachable' });
    }

    const requestId = headerValue(response.headers['x-openstack-request-id']);
    let text: string;
    try {
      const configured = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      text = (await readCappedBody(response.body, Math.max(configured, request.maxBodyBytes ?? 0))).toString('utf8');
    } catch (error) {
      response.body.destroy();
      // Only a body over the cap is the upstream's answer being unusable; anything else here is
      // the connection breaking before the whole body came (a reset, or a close short of the
      // announced Content-Length): no usable connection, like one that never opened.
      throw this.failure(request, {
        failure: isTimeout(error) ? 'timeout' : error instanceof BodyTooLargeError ? 'invalid-response' : 'unreachable',
        status: response.statusCode,
        requestId,
      });
    }

    // Refused unparsed: every reader of an upstream body walks it recursively.
    if (exceedsJsonDepth(text)) {
      throw this.failure(request, {
        failure: 'invalid-response',
        status: response.statusCode,
        requestId,
        detail: 'JSON nested too deeply',
      });
    }
    const parsed = parseBody(text);
    if (!request.expect.includes(response.statusCode)) {
      throw this.failure(request, {
        status: response.statusCode,
        requestId,
        detail: text ? safeExcerpt(withoutSecrets(describeErrorBody(parsed), secretsOf(request, headers))) : undefined,
      });
    }
    return { status: response.statusCode, headers: response.headers, body: parsed, requestId };
  }

  /** An answer that failed the call (a failed status unless `details` says otherwise). */
  private failure(request: UpstreamRequest, details: Partial<ConstructorParameters<typeof UpstreamError>[0]>): UpstreamError {
    return new UpstreamError({
      service: this.options.service,
      method: request.method,
      path: request.path,
      failure: 'status',
      ...details,
    });
  }

  /** For a success body the caller cannot use: a 200 with the wrong shape. */
  invalidResponse(request: Pick<UpstreamRequest, 'method' | 'path'>, response: UpstreamResponse, what: string): UpstreamError {
    return new UpstreamError({
      service: this.options.service,
      method: request.method,
      path: request.path,
      failure: 'invalid-response',
      status: response.status,
      requestId: response.requestId,
      detail: what,
    });
  }
}

/**
 * A call's overall deadline, handed to undici as its `signal`. undici takes an EventEmitter as
 * well as an AbortSignal; an AbortController with its EventTarget costs more per call than the
 * rest of the call's bookkeeping. Cleared when the call is done, unlike `AbortSignal.timeout`,
 * whose timer would fire for every call long after it finished.
 */
class CallDeadline extends EventEmitter {
  aborted = false;
  reason: DOMException | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = timeoutReason();
      this.emit('abort');
    }, timeoutMs);
    // Like `AbortSignal.timeout`: a pending call does not keep the process alive.
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

function queryString(query: Record<string, string> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams(query).toString();
  return search ? `?${search}` : '';
}

/** What `AbortSignal.timeout` aborts with; `isTimeout` reads its name. */
function timeoutReason(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * By name, not `instanceof Error`: the `DOMException` that `AbortSignal.timeout` aborts with may
 * belong to another realm (it does under jest), and would then read as "unreachable".
 */
function isTimeout(error: unknown): boolean {
  return (
    nameOf(error) === 'TimeoutError' ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    nameOf((error as { cause?: unknown } | null)?.cause) === 'TimeoutError'
  );
}

function nameOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
}

/** Upstream bodies are JSON, plain text or empty, whatever the Content-Type says. */
function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const TOKEN_HEADERS = new Set(['x-auth-token', 'x-subject-token']);

function secretsOf(request: UpstreamRequest, headers: Record<string, string>): string[] {
  const tokens = Object.entries(headers)
    .filter(([name]) => TOKEN_HEADERS.has(name.toLowerCase()))
    .map(([, value]) => value);
  return [...(request.secrets ?? []), ...tokens].filter((secret) => secret !== '');
}

/**
 * Removes the request's own secrets, as sent and JSON-escaped: Keystone's schema errors quote the
 * request body, and key-based redaction misses a value quoted without its key.
 */
function withoutSecrets(text: string, secrets: string[]): string {
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  return forms.sort((a, b) => b.length - a.length).reduce((scrubbed, form) => scrubbed.split(form).join(REDACTED), text);
}

/** Keystone's `{"error":{"message"}}`, else the text as sent. */
function describeErrorBody(body: unknown): string {
  if (typeof body === 'string') return body;
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : JSON.stringify(body);
}
