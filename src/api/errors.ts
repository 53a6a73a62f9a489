import { isRetryableStatus, parseRetryAfter } from '../core/retry';

/**
 * What went wrong with a server API call, as a stable string a program can switch on.
 *
 * - `unauthorized`: 401, the `auth_id` (market) and `auth_token` pair was refused.
 * - `not_found`: 404, wrong campaign slug, report type or download URL.
 * - `unprocessable`: 422, the request was refused; `problems` says why (a spreadsheet instead of a CSV, a payload over the limit).
 * - `rate_limited`: 429 on every attempt, or a `Retry-After` longer than the client waits (60 s).
 * - `server_error`: 5xx or 408 on every attempt, or an answer the guide does not document.
 * - `network`: no answer (connection refused, DNS, timeout) on every attempt.
 * - `invalid_request`: the input was checked before sending and nothing (more) was sent.
 */
export type BuyapowaApiErrorCode = 'unauthorized' | 'not_found' | 'unprocessable' | 'rate_limited' | 'server_error' | 'network' | 'invalid_request';

/** Where a failed batch stopped: the data rows (1-based, header excluded) of the chunk that failed. */
export interface BatchPosition {
  /** First data row of the failed chunk (1-based). */
  firstRow: number;
  /** Last data row of the failed chunk. */
  lastRow: number;
  /** Rows sent and answered before the failed chunk. */
  rowsSent: number;
}

/**
 * The one error type `buyapowa-sdk/api` rejects with. The auth token never appears in it.
 *
 * @example
 * ```ts
 * try {
 *   await api.referrals.track({ order });
 * } catch (error) {
 *   if (error instanceof BuyapowaApiError && error.code === 'unauthorized') alertOps();
 *   else throw error;
 * }
 * ```
 */
export class BuyapowaApiError extends Error {
  /** What went wrong; see {@link BuyapowaApiErrorCode}. */
  readonly code: BuyapowaApiErrorCode;
  /** HTTP status of the last answer; 0 when there was none (network, or checked before sending). */
  readonly status: number;
  /** Every problem, one sentence each: from the 422 body, or from the input checks. */
  readonly problems: string[];
  /** Whether trying again later may succeed (408, 429, 5xx, network). */
  readonly retryable: boolean;
  /** The headers of the last answer; empty when there was none. */
  readonly headers: Headers;
  /**
   * How long the last answer asked to wait before trying again (its `Retry-After`, read as
   * seconds or an HTTP date), in milliseconds; `undefined` when it did not say.
   */
  readonly retryAfter?: number;
  /** The parsed response body, when there was one. */
  readonly body: unknown;
  /** For batches: the chunk that failed and how many rows went before it. */
  readonly batch?: BatchPosition;

  /** @internal */
  constructor(
    code: BuyapowaApiErrorCode,
    message: string,
    details: { status?: number; problems?: string[]; body?: unknown; batch?: BatchPosition; cause?: unknown; headers?: Headers } = {},
  ) {
    super(message);
    if (details.cause !== undefined) Object.defineProperty(this, 'cause', { value: details.cause, configurable: true, writable: true });
    this.name = 'BuyapowaApiError';
    this.code = code;
    this.status = details.status ?? 0;
    this.problems = details.problems ?? [];
    this.retryable = code === 'rate_limited' || code === 'server_error' || code === 'network' || isRetryableStatus(this.status);
    this.body = details.body;
    this.headers = details.headers ?? new Headers();
    const retryAfter = parseRetryAfter(this.headers.get('retry-after'));
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
    if (details.batch) this.batch = details.batch;
  }
}

/** The error code for an HTTP status that is not a success. @internal */
export function codeForStatus(status: number): BuyapowaApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 408) return 'server_error';
  return 'invalid_request';
}
