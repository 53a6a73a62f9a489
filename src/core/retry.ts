// Retry timing, once for the whole SDK: which answers are worth another attempt, how long a
// `Retry-After` asks to wait, and the backoff between attempts. The browser outbox, the Shopify
// pixel, the API client, the signups poll and the relay all take their timing from here; each
// only says how many attempts it makes and how long it is willing to wait.

/**
 * How a caller retries. One type for every caller; each fills it with its own bounds.
 * @internal
 */
export interface RetryOptions {
  /** Retries after the first attempt. Absent: the caller counts its attempts itself (the outbox). */
  limit?: number;
  /** First backoff step, in milliseconds; each retry doubles it. */
  initialDelay: number;
  /** Longest backoff, in milliseconds, jitter included: no backoff is ever longer. */
  maxDelay: number;
  /**
   * Longest `Retry-After` honoured, in milliseconds: a longer one waits this long. A caller a
   * program awaits gives up instead (ky's rule, see {@link isRetryAfterTooLong}).
   */
  maxRetryAfter: number;
}

/** Longest `Retry-After` text read: a delta-seconds or an IMF-fixdate is far shorter. */
const RETRY_AFTER_MAX_LENGTH = 64;

/**
 * Whether an HTTP status is worth another attempt: 408 (the server timed out waiting for the
 * request), 429 (rate limited) and every 5xx. Others (2xx, 3xx, other 4xx) are final. @internal
 */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status < 600);

/**
 * A `Retry-After` value as milliseconds from `now`: delta-seconds (`"120"`, `"1.5"`) or an
 * HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`); a date in the past is 0. `undefined` when
 * absent or unreadable (negative, too long, not a date). @internal
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.length > RETRY_AFTER_MAX_LENGTH) return undefined;
  // A date has letters; a bare "-5" or "1e3" is neither form.
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(value) ? +value * 1000 : /[a-z]/i.test(value) ? Date.parse(value) - now : NaN;
  return ms >= 0 ? Math.round(ms) : ms < 0 ? 0 : undefined;
}

/**
 * Exponential backoff with the jitter inside the cap: `initialDelay × 2^attempt`, capped at
 * `maxDelay`, then a random share of it between half and all ("equal jitter"). So the longest
 * wait is `maxDelay`, and callers failing together spread over its second half. @internal
 */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'initialDelay' | 'maxDelay'>): number {
  return Math.round(Math.min(options.maxDelay, options.initialDelay * 2 ** attempt) * (0.5 + Math.random() / 2));
}

/**
 * The wait a `Retry-After` asks for, in milliseconds, at most `maxRetryAfter`; `undefined` when
 * there is none or it cannot be read. @internal
 */
export function retryAfterDelay(value: string | null | undefined, options: Pick<RetryOptions, 'maxRetryAfter'>, now?: number): number | undefined {
  const asked = parseRetryAfter(value, now);
  return asked === undefined ? asked : Math.min(asked, options.maxRetryAfter);
}

/**
 * Whether a `Retry-After` asks for longer than `maxRetryAfter`: a call a program awaits gives up
 * then (ky's rule) rather than hang; a queue waits `maxRetryAfter` instead. @internal
 */
export const isRetryAfterTooLong = (value: string | null | undefined, options: Pick<RetryOptions, 'maxRetryAfter'>): boolean =>
  (parseRetryAfter(value) ?? 0) > options.maxRetryAfter;

/**
 * Milliseconds before attempt `attempt + 1`, after attempt `attempt` (0-based) failed: what a
 * `Retry-After` asks for when the server sent one (at most `maxRetryAfter`), else
 * {@link backoffDelay}. @internal
 */
export function retryDelay(attempt: number, retryAfter: string | null | undefined, options: RetryOptions, now?: number): number {
  return retryAfterDelay(retryAfter, options, now) ?? backoffDelay(attempt, options);
}
