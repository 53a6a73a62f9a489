// Retry timing, once for the whole SDK: which answers are worth another attempt, how long a
// `Retry-After` asks to wait, and the backoff between attempts. The browser outbox, the Shopify
// pixel, the API client, the signups poll and the relay all take their timing from here; each
// only says how many attempts it makes and how long it is willing to wait.

/**
 * How a caller retries. One type for every caller; each fills it with its own bounds.
 * @internal
 */
export interface RetryOptions {
  /** Retries after the first attempt (the outbox counts its attempts itself: `Infinity`). */
  limit: number;
  /** First backoff step, in milliseconds; each retry doubles it. */
  initialDelay: number;
  /** Longest backoff, in milliseconds, jitter included: no backoff is ever longer. */
  maxDelay: number;
  /** Longest `Retry-After` honoured, in milliseconds. */
  maxRetryAfter: number;
  /**
   * What a `Retry-After` longer than `maxRetryAfter` does: `'give-up'` (default, as ky does)
   * ends the retries, so a call a program awaits does not hang; `'wait-max'` waits
   * `maxRetryAfter` and tries again (a persistent queue, which loses nothing by waiting).
   */
  beyondMaxRetryAfter?: 'give-up' | 'wait-max';
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
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // A date has letters or separators; a bare "-5" or "1e3" is no date.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with the jitter inside the cap: `initialDelay × 2^attempt`, capped at
 * `maxDelay`, then a random share of it between half and all ("equal jitter"). So the longest
 * wait is `maxDelay`, and callers failing together spread over its second half. @internal
 */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'initialDelay' | 'maxDelay'>, random: () => number = Math.random): number {
  const capped = Math.min(options.maxDelay, options.initialDelay * 2 ** Math.max(0, attempt));
  return Math.round(capped * (0.5 + random() / 2));
}

/**
 * The wait a `Retry-After` asks for, bounded by `maxRetryAfter` as `beyondMaxRetryAfter` says:
 * milliseconds, `undefined` when there is none (or it cannot be read), `Infinity` when it is
 * too long and the caller gives up. @internal
 */
export function retryAfterDelay(value: string | null | undefined, options: Pick<RetryOptions, 'maxRetryAfter' | 'beyondMaxRetryAfter'>, now = Date.now()): number | undefined {
  const asked = parseRetryAfter(value, now);
  if (asked === undefined || asked <= options.maxRetryAfter) return asked;
  return options.beyondMaxRetryAfter === 'wait-max' ? options.maxRetryAfter : Infinity;
}

/**
 * Milliseconds before attempt `attempt + 1`, after attempt `attempt` (0-based) failed: what a
 * `Retry-After` asks for when the server sent one (bounded, see {@link retryAfterDelay}), else
 * {@link backoffDelay}. `Infinity` means: do not retry (the server asked for longer than the
 * caller waits). @internal
 */
export function retryDelay(attempt: number, retryAfter: string | null | undefined, options: RetryOptions, now = Date.now(), random: () => number = Math.random): number {
  return retryAfterDelay(retryAfter, options, now) ?? backoffDelay(attempt, options, random);
}
