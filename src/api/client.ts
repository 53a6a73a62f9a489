import { received } from '../core/errors';
import { BuyapowaApiError } from './errors';
import { MAX_RETRY_AFTER_MS, Transport, type FetchLike } from './http';
import { Friends } from './friends';
import { Referrals } from './referrals';
import { Reports } from './reports';
import { Signups } from './signups';
import { Subscriptions, Users } from './users';

/** API hosts by region, as the guide gives them. */
export const REGION_URLS = { eu: 'https://api.co-buying.com', na: 'https://api.co-buying.net' } as const;

/** `eu` (api.co-buying.com, the default) or `na` (api.co-buying.net, North American clients). */
export type Region = keyof typeof REGION_URLS;

/** Default retries after the first attempt, for 408, 429, 5xx and network errors. */
export const DEFAULT_MAX_RETRIES = 5;
/** Default time allowed per attempt, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** First retry waits about this long (then doubles), in milliseconds. */
export const DEFAULT_INITIAL_RETRY_DELAY_MS = 500;
/** Longest backoff between retries, in milliseconds, jitter included (a `Retry-After` up to 60 s is honoured instead). */
export const DEFAULT_MAX_RETRY_DELAY_MS = 8_000;

/** Options of {@link BuyapowaApi}. */
export interface BuyapowaApiOptions {
  /** Your market ID, sent as the `auth_id` header (the guide: "auth_id … is your market_id"). */
  market: string;
  /** Your auth token, sent as the `auth_token` header. Never logged, never in a URL or an error. */
  authToken: string;
  /** `eu` → https://api.co-buying.com (default), `na` → https://api.co-buying.net. */
  region?: Region;
  /** Overrides `region`: the dev platform (`http://127.0.0.1:8787`) or a proxy. */
  baseUrl?: string;
  /** The fetch to call. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Retries after the first attempt for 408, 429, 5xx and network errors. Default 5. */
  maxRetries?: number;
  /** Milliseconds allowed per attempt. Default 30 000. */
  timeout?: number;
  /** First backoff in milliseconds (doubles each retry, with jitter). Default 500. */
  initialRetryDelay?: number;
  /** Longest backoff in milliseconds, jitter included. Default 8000. */
  maxRetryDelay?: number;
}

/**
 * The guide's server APIs as a typed client. Every single call takes exactly the guide's JSON
 * request object; every batch call takes rows of the same inner objects and writes the CSV.
 *
 * @example
 * ```ts
 * import { BuyapowaApi } from 'buyapowa-sdk/api';
 * const api = new BuyapowaApi({ market: process.env.BUYAPOWA_MARKET!, authToken: process.env.BUYAPOWA_AUTH_TOKEN! });
 * await api.referrals.track({ order: { email_address: 'jane@smith.com', order_value: '12.89',
 *   order_number: 'ORDER123', order_timestamp: '1321009871', voucher_code: 'BPCODE1234' } });
 * ```
 */
export class BuyapowaApi {
  /** Referral tracking and reconciliation. */
  readonly referrals: Referrals;
  /** Referrer signups with share and dashboard links. */
  readonly signups: Signups;
  /** Friend registrations. */
  readonly friends: Friends;
  /** Campaign reports (CSV), windowed and streamed. */
  readonly reports: Reports;
  /** Subscribe and unsubscribe users to the refer-a-friend emails. */
  readonly subscriptions: Subscriptions;
  /** Forget users (erasure requests). */
  readonly users: Users;
  /** The base URL requests go to. */
  readonly baseUrl: string;

  constructor(options: BuyapowaApiOptions) {
    const problems: string[] = [];
    const o = (options ?? {}) as Partial<BuyapowaApiOptions>;
    if (typeof o.market !== 'string' || !o.market.trim())
      problems.push(`"market" expected your market ID (a non-empty string), received ${received(o.market)}`);
    if (typeof o.authToken !== 'string' || !o.authToken.trim())
      problems.push(`"authToken" expected your auth token (a non-empty string), received ${o.authToken === undefined ? 'undefined' : 'an unusable value'}`);
    if (o.region !== undefined && !(o.region in REGION_URLS)) problems.push(`"region" expected "eu" or "na", received ${received(o.region)}`);
    if (o.baseUrl !== undefined && !isHttpUrl(o.baseUrl)) problems.push(`"baseUrl" expected an http(s) URL, received ${received(o.baseUrl)}`);
    const fetchFn = o.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined);
    if (typeof fetchFn !== 'function') problems.push(`"fetch" expected a fetch function (this runtime has no globalThis.fetch), received ${received(o.fetch)}`);
    const numbers = {
      maxRetries: DEFAULT_MAX_RETRIES,
      timeout: DEFAULT_TIMEOUT_MS,
      initialRetryDelay: DEFAULT_INITIAL_RETRY_DELAY_MS,
      maxRetryDelay: DEFAULT_MAX_RETRY_DELAY_MS,
    };
    for (const key of Object.keys(numbers) as (keyof typeof numbers)[]) {
      const value = o[key];
      if (value === undefined) continue;
      const min = key === 'timeout' ? 1 : 0;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
        problems.push(`"${key}" expected a number ≥ ${min}, received ${received(value)}`);
      else numbers[key] = value;
    }
    if (problems.length) throw new BuyapowaApiError('invalid_request', `new BuyapowaApi(): ${problems.join('; ')}`, { problems });
    this.baseUrl = (o.baseUrl ?? REGION_URLS[o.region ?? 'eu']).replace(/\/+$/, '');
    const retry = { limit: numbers.maxRetries, initialDelay: numbers.initialRetryDelay, maxDelay: numbers.maxRetryDelay, maxRetryAfter: MAX_RETRY_AFTER_MS };
    const transport = new Transport({
      market: o.market!.trim(),
      authToken: o.authToken!.trim(),
      baseUrl: this.baseUrl,
      fetch: fetchFn as FetchLike,
      timeout: numbers.timeout,
      retry,
    });
    this.referrals = new Referrals(transport);
    this.signups = new Signups(transport);
    this.friends = new Friends(transport);
    this.reports = new Reports(transport);
    this.subscriptions = new Subscriptions(transport);
    this.users = new Users(transport);
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
