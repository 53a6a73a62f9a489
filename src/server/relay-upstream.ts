// Forwards one tracking object to the Referral tracking API through the typed client, and sorts
// the answer into what the sender should do next. Shared by the relay and the Shopify webhook.
import { BuyapowaApi, BuyapowaApiError } from '../api';
import { BuyapowaError, problem } from '../core/errors';
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
}

/**
 * What the upstream answer means for the sender:
 * - `created`: 201, a referral conversion was recorded.
 * - `noted`: 200 with problems (a repeated order number…): delivered; sending again would not help.
 * - `rejected`: 422 or a refused input: it will never succeed.
 * - `misconfigured`: 401/403/404, the relay's own credentials or market are wrong: wait for a fix.
 * - `unavailable`: 429, 5xx or no answer: try again later.
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

/** Longest Retry-After the relay passes on for 429/5xx/network (seconds). */
export const MAX_RETRY_AFTER_S = 30;
/** Retry-After when upstream is unavailable and says nothing (seconds). */
export const DEFAULT_RETRY_AFTER_S = 10;
/** Retry-After while the relay's credentials are refused: long enough to fix them (seconds). */
export const MISCONFIGURED_RETRY_AFTER_S = 600;
/** Time allowed for the one upstream attempt (ms): the sender retries, not the relay. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

/** Checks the connection options once, when a handler is created. @internal */
export function checkUpstream(options: UpstreamOptions, where: string): UpstreamOptions {
  const o = (options || {}) as UpstreamOptions;
  const problems: string[] = [];
  if (typeof o.market != 'string' || !o.market.trim()) problems.push(`${where}: ` + problem('market', 'your market id', o.market));
  if (typeof o.authToken != 'string' || o.authToken.trim().length < 32)
    problems.push(`${where}: "authToken" expected your market's auth token (at least 32 characters), received ${typeof o.authToken == 'string' ? o.authToken.trim().length + ' characters' : typeof o.authToken}`);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);
  try {
    client(o, o.fetch);
  } catch (error) {
    throw new BuyapowaError('invalid_config', `${where}: ${(error as Error).message}`);
  }
  return { ...o, market: o.market.trim(), authToken: o.authToken.trim() };
}

/**
 * One client per forwarded order: the relay keeps no state, and the wrapper reads the upstream's
 * `Retry-After`. No retries inside the request: the browser outbox (or Shopify) is the queue.
 */
function client(o: UpstreamOptions, fetchFn: UpstreamOptions['fetch']): BuyapowaApi {
  return new BuyapowaApi({ market: o.market, authToken: o.authToken, region: o.region, baseUrl: o.baseUrl, fetch: fetchFn, maxRetries: 0, timeout: UPSTREAM_TIMEOUT_MS });
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\s*\d+\s*$/.test(header) ? +header : (Date.parse(header) - Date.now()) / 1e3;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/** POSTs `{ order }` to /api/referrals/track once and sorts the answer. Never throws. @internal */
export async function forwardOrder(o: UpstreamOptions, order: GuideOrder, where: string): Promise<UpstreamOutcome> {
  let retryAfterHeader: string | null = null;
  const baseFetch = o.fetch || globalThis.fetch.bind(globalThis);
  const api = client(o, async (input, init) => {
    const response = await baseFetch(input, init);
    retryAfterHeader = response.headers.get('retry-after');
    return response;
  });
  try {
    const result = await api.referrals.track({ order });
    return result.status == 201 || result.created
      ? { kind: 'created', status: result.status, problems: result.problems }
      : { kind: 'noted', status: result.status, problems: result.problems };
  } catch (error) {
    const e = error as BuyapowaApiError;
    const status = e.status || 0;
    const problems = e.problems && e.problems.length ? e.problems : [e.message];
    if (e.code == 'unauthorized' || e.code == 'not_found' || status == 403) {
      console.error(
        `[Buyapowa] ${where}: the Referral tracking API answered ${status} (${e.code}): the market id "${o.market}", the auth token or the region/baseUrl is wrong. ` +
          `Conversions wait in the senders' queues (answering 503) until this is fixed.`,
      );
      return { kind: 'misconfigured', status, problems, retryAfter: MISCONFIGURED_RETRY_AFTER_S };
    }
    if (e.retryable || !(e instanceof BuyapowaApiError)) {
      const upstream = retryAfterSeconds(retryAfterHeader);
      console.warn(`[Buyapowa] ${where}: the Referral tracking API is unavailable (${status || e.code || 'no answer'}); the sender will retry`);
      return { kind: 'unavailable', status, problems, retryAfter: Math.min(MAX_RETRY_AFTER_S, upstream ?? DEFAULT_RETRY_AFTER_S) };
    }
    return { kind: 'rejected', status, problems };
  }
}
