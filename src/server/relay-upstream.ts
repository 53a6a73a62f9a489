// Forwards one tracking object to the Referral tracking API through the typed client, and sorts
// the answer into what the sender should do next. Shared by the relay and the Shopify webhook.
import { BuyapowaApi, BuyapowaApiError } from '../api';
import { problem } from '../core/errors';
import { retryAfterDelay, type RetryOptions } from '../core/retry';
import type { Logger } from './log';
import type { GuideOrder } from './relay-mapping';

/** How to reach the Referral tracking API: `BuyapowaApi`'s connection options. */
export interface UpstreamOptions {
  /** Your market id (the API's `auth_id`). Required. */
  market: string;
  /** Your market's auth token (the API's `auth_token`; also decrypts `bp_e`). Required. */
  authToken: string;
  /** `"eu"` (api.co-buying.com, default) or `"na"` (api.co-buying.net). */
  region?: 'eu' | 'na';
  /** Overrides `region`: the dev platform, or a proxy. */
  baseUrl?: string;
  /** The fetch to call upstream with. Default `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Where the handler logs what you should know. Default `console`. */
  logger?: Logger;
}

/**
 * What the upstream answer means for the sender:
 * - `created`: 201, a referral conversion was recorded.
 * - `noted`: 200 with problems (a repeated order number…): delivered; sending again would not help.
 * - `rejected`: 422 or a refused input: it will never succeed.
 * - `misconfigured`: 401/403/404, the relay's own credentials or market are wrong: wait for a fix.
 * - `unavailable`: 408, 429, 5xx or no answer: try again later.
 * @internal
 */
export interface UpstreamOutcome {
  kind: 'created' | 'noted' | 'rejected' | 'misconfigured' | 'unavailable';
  /** The upstream status (0 when there was none). */
  status: number;
  problems: string[];
  /** Seconds to wait, for `misconfigured` and `unavailable`. */
  retryAfter?: number;
}

/** Longest Retry-After the relay passes on for 408/429/5xx/network (seconds). */
export const MAX_RETRY_AFTER_S = 30;
/** Retry-After when upstream is unavailable and says nothing (seconds). */
export const DEFAULT_RETRY_AFTER_S = 10;
/** Retry-After while the relay's credentials are refused: long enough to fix them (seconds). */
export const MISCONFIGURED_RETRY_AFTER_S = 600;
/** Time allowed for the one upstream attempt (ms): the sender retries, not the relay. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

/**
 * The relay's retry timing (src/core/retry.ts): no retry inside the request, the sender (the
 * browser outbox, or Shopify) is the queue; the upstream's Retry-After is passed on, and a longer
 * one is cut to {@link MAX_RETRY_AFTER_S}, so senders come back soon once the API recovers.
 */
const RELAY_RETRY: RetryOptions = {
  limit: 0,
  initialDelay: DEFAULT_RETRY_AFTER_S * 1000,
  maxDelay: MAX_RETRY_AFTER_S * 1000,
  maxRetryAfter: MAX_RETRY_AFTER_S * 1000,
};

/** The Referral tracking API as a handler uses it: its market, its token, and one forward. @internal */
export interface Upstream {
  market: string;
  authToken: string;
  /** The handler's one API client (no retries inside a request). */
  api: BuyapowaApi;
  /** POSTs `{ order }` to /api/referrals/track once and sorts the answer. Never throws. */
  forward(order: GuideOrder): Promise<UpstreamOutcome>;
}

/**
 * Checks the connection options once, when a handler is created, and builds its one API client:
 * the relay keeps no state between requests, and the client holds none either (no retries inside
 * the request). Problems are added to `problems`; the caller throws them all at once. @internal
 */
export function createUpstream(options: UpstreamOptions, where: string, logger: Logger, problems: string[]): Upstream {
  const o = (options || {}) as UpstreamOptions;
  const before = problems.length;
  if (typeof o.market !== 'string' || !o.market.trim()) problems.push(`${where}: ` + problem('market', 'your market id', o.market));
  if (typeof o.authToken !== 'string' || o.authToken.trim().length < 32)
    problems.push(
      `${where}: "authToken" expected your market's auth token (at least 32 characters), received ${typeof o.authToken === 'string' ? o.authToken.trim().length + ' characters' : typeof o.authToken}`,
    );
  const upstream = { market: '', authToken: '', api: undefined as unknown as BuyapowaApi, forward: () => Promise.reject(new Error('unreachable')) } as Upstream;
  if (problems.length > before) return upstream;
  let api: BuyapowaApi;
  try {
    api = new BuyapowaApi({
      market: o.market,
      authToken: o.authToken,
      region: o.region,
      baseUrl: o.baseUrl,
      fetch: o.fetch,
      maxRetries: RELAY_RETRY.limit ?? 0,
      timeout: UPSTREAM_TIMEOUT_MS,
    });
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return upstream;
  }
  upstream.api = api;
  upstream.market = o.market.trim();
  upstream.authToken = o.authToken.trim();
  upstream.forward = (order) => forward(api, upstream.market, order, where, logger);
  return upstream;
}

async function forward(api: BuyapowaApi, market: string, order: GuideOrder, where: string, logger: Logger): Promise<UpstreamOutcome> {
  try {
    const result = await api.referrals.track({ order });
    return result.status === 201 || result.created
      ? { kind: 'created', status: result.status, problems: result.problems }
      : { kind: 'noted', status: result.status, problems: result.problems };
  } catch (error) {
    const e = error as BuyapowaApiError;
    const status = e.status || 0;
    const problems = e.problems && e.problems.length ? e.problems : [e.message];
    if (e.code === 'unauthorized' || e.code === 'not_found' || status === 403) {
      logger.error(
        `[Buyapowa] ${where}: the Referral tracking API answered ${status} (${e.code}): the market id "${market}", the auth token or the region/baseUrl is wrong. ` +
          `Conversions wait in the senders' queues (answering 503) until this is fixed.`,
      );
      return { kind: 'misconfigured', status, problems, retryAfter: MISCONFIGURED_RETRY_AFTER_S };
    }
    if (e.retryable || !(e instanceof BuyapowaApiError)) {
      logger.warn(`[Buyapowa] ${where}: the Referral tracking API is unavailable (${status || e.code || 'no answer'}); the sender will retry`);
      const asked = e instanceof BuyapowaApiError ? retryAfterDelay(e.headers.get('retry-after'), RELAY_RETRY) : undefined;
      return { kind: 'unavailable', status, problems, retryAfter: Math.ceil((asked ?? DEFAULT_RETRY_AFTER_S * 1000) / 1000) };
    }
    return { kind: 'rejected', status, problems };
  }
}
