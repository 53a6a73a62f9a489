import { isRetryAfterTooLong, isRetryableStatus, retryDelay, type RetryOptions } from '../core/retry';
import { BuyapowaApiError, codeForStatus } from './errors';

/** The `fetch` the client calls: `globalThis.fetch` or any compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * What every call resolves with.
 *
 * The guide's 200 to a POST means "understood, problems noted in the body": check `problems`
 * (and `created`, true only for 201) rather than assuming success.
 */
export interface ApiResult<Body = unknown> {
  /** HTTP status: 200, 201 or 202. */
  status: number;
  /** True when the answer was 201: the submission resulted in a creation. */
  created: boolean;
  /** Problems the platform noted in the body of a 200 (POST), one sentence each; empty when none. */
  problems: string[];
  /** The parsed JSON body, or the text when it was not JSON. */
  body: Body;
}

/** Connection options shared by every resource. @internal */
export interface TransportOptions {
  market: string;
  authToken: string;
  baseUrl: string;
  fetch: FetchLike;
  timeout: number;
  /** Retries and their timing (src/core/retry.ts). */
  retry: RetryOptions;
}

/** One request, described before it is sent. @internal */
export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Path under the base URL, e.g. `/api/referrals/track`. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** Return the response with its body unread (report streaming). */
  stream?: boolean;
  /** Statuses that are answers, not failures, besides 200-202 (303 for the signups upload). */
  accept?: number[];
}

/** A response whose body has been read, or left unread for `stream`. @internal */
export interface SentResponse {
  status: number;
  headers: Headers;
  body: unknown;
  response: Response;
}

/** Longest `Retry-After` the client waits for; a longer one ends the call with `rate_limited`. */
export const MAX_RETRY_AFTER_MS = 60_000;
const SUCCESS = [200, 201, 202];

/** The request core: auth headers, timeout, retries with backoff and jitter, errors. @internal */
export class Transport {
  /** The API's origin and base URL, parsed once: every request compares against them. */
  private readonly origin: string;
  private readonly base: string;
  /**
   * The URL of each path called without a query, parsed once: the paths are the client's own
   * constants, so this stays as small as the API. A long-lived client (the relay's) would
   * otherwise parse the same URL on every call.
   */
  private readonly urls = new Map<string, string>();

  constructor(readonly options: TransportOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(options.baseUrl).origin;
  }

  /** Where a path goes; never carries the token. */
  url(path: string, query?: Record<string, string>): string {
    if (!query) {
      let href = this.urls.get(path);
      if (href === undefined) this.urls.set(path, (href = new URL(this.base + path).href));
      return href;
    }
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.href;
  }

  /** True when `url` is on the API's own origin, so the credentials may go with it. */
  sameOrigin(url: string): boolean {
    // The origin then a slash ends the host: the client's own URLs need no parse.
    return url.startsWith(this.origin + '/') || new URL(url).origin === this.origin;
  }

  async send(spec: RequestSpec, target = this.url(spec.path, spec.query)): Promise<SentResponse> {
    const { retry } = this.options;
    const maxRetries = retry.limit ?? 0;
    // Only errors name the request: built when one is thrown, not on every call.
    const label = () => `${spec.method} ${new URL(target).pathname}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.options.timeout);
      try {
        response = await this.options.fetch(target, {
          method: spec.method,
          headers: this.headers(spec, target),
          body: spec.json !== undefined ? JSON.stringify(spec.json) : spec.form,
          redirect: 'manual',
          signal: controller.signal,
        });
      } catch (cause) {
        clearTimeout(timer);
        const reason = controller.signal.aborted ? `no answer within ${this.options.timeout} ms` : describe(cause);
        if (attempt < maxRetries) {
          await sleep(retryDelay(attempt, null, retry));
          continue;
        }
        throw new BuyapowaApiError('network', `${label()} failed after ${attempt + 1} attempt(s): ${this.redact(reason)}`, { cause: this.redactError(cause) });
      }
      const { status } = response;
      if (isRetryableStatus(status) && attempt < maxRetries) {
        clearTimeout(timer);
        const retryAfter = response.headers.get('retry-after');
        // Free the connection; not awaited, the answer is not needed.
        response.body?.cancel().catch(() => {});
        if (isRetryAfterTooLong(retryAfter, retry)) {
          throw new BuyapowaApiError(
            'rate_limited',
            `${label()} answered ${status} and asked to retry after ${retryAfter}, longer than the ${retry.maxRetryAfter / 1000} s the client waits`,
            { status, headers: response.headers },
          );
        }
        await sleep(retryDelay(attempt, retryAfter, retry));
        continue;
      }
      const accepted = SUCCESS.includes(status) || (spec.accept ?? []).includes(status);
      if (spec.stream && accepted) {
        clearTimeout(timer);
        return { status, headers: response.headers, body: undefined, response };
      }
      let body: unknown;
      try {
        body = await readBody(response);
      } catch (cause) {
        throw new BuyapowaApiError('network', `${label()} answered ${status} but its body could not be read: ${this.redact(describe(cause))}`, {
          status,
          headers: response.headers,
        });
      } finally {
        clearTimeout(timer);
      }
      if (accepted) return { status, headers: response.headers, body, response };
      const problems = problemsIn(body, true).map((p) => this.redact(p));
      const code = status === 0 ? 'server_error' : codeForStatus(status);
      const tries = isRetryableStatus(status) ? ` after ${attempt + 1} attempt(s)` : '';
      const detail = problems.length ? `: ${problems.join('; ')}` : '';
      throw new BuyapowaApiError(code, `${label()} answered ${status || 'an opaque redirect'} (${code})${tries}${detail}`, {
        status,
        problems,
        body: this.redactBody(body),
        headers: response.headers,
      });
    }
  }

  /** Sends and shapes the answer as an {@link ApiResult}. */
  async call<Body = unknown>(spec: RequestSpec): Promise<ApiResult<Body>> {
    const { status, body } = await this.send(spec);
    return result<Body>(status, spec.method === 'POST' ? problemsIn(body, false).map((p) => this.redact(p)) : [], body as Body);
  }

  private headers(spec: RequestSpec, target: string): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json, text/csv;q=0.9, */*;q=0.5' };
    if (this.sameOrigin(target)) {
      headers.auth_id = this.options.market;
      headers.auth_token = this.options.authToken;
    }
    if (spec.json !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  /** Removes the auth token from any text that leaves the client. */
  redact(text: string): string {
    const token = this.options.authToken;
    return token ? text.split(token).join('[auth_token]') : text;
  }

  private redactBody(body: unknown): unknown {
    if (body === undefined) return body;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    if (!text.includes(this.options.authToken)) return body;
    return typeof body === 'string' ? this.redact(body) : JSON.parse(this.redact(text));
  }

  private redactError(cause: unknown): unknown {
    return cause instanceof Error ? new Error(this.redact(cause.message)) : cause;
  }
}

/** @internal */
export function result<Body>(status: number, problems: string[], body: Body): ApiResult<Body> {
  return { status, created: status === 201, problems, body };
}

/**
 * Problems named in a body: `problems`, `errors`, `error` or (for failures) `message`, as strings
 * or `{ row, field, message }` objects; a failure's plain-text body is one problem.
 * @internal
 */
export function problemsIn(body: unknown, failure: boolean): string[] {
  if (typeof body === 'string') return failure && body.trim() ? [body.trim().slice(0, 500)] : [];
  if (!body || typeof body !== 'object') return [];
  const record = body as Record<string, unknown>;
  const listed = record.problems ?? record.errors ?? record.error ?? (failure ? record.message : undefined);
  if (listed === undefined || listed === null) return [];
  return ([] as unknown[]).concat(listed).map(problemText).filter(Boolean);
}

function problemText(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  if (problem && typeof problem === 'object') {
    const { row, field, message } = problem as Record<string, unknown>;
    const text = typeof message === 'string' ? message : JSON.stringify(problem);
    const where = [row !== undefined ? `row ${row}` : '', typeof field === 'string' ? field : ''].filter(Boolean).join(' ');
    return where ? `${where}: ${text}` : text;
  }
  return problem === undefined || problem === null ? '' : String(problem);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}
