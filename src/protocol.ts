import { VERSION } from './version';
import type { StoredReferral } from './referral';

/**
 * The JSON body of a conversion request (docs/protocol.md, section 2).
 * Built by `track` and by the Shopify custom pixel from this one function.
 */
export interface ConversionEvent {
  v: 1;
  type: 'conversion';
  event_id: string;
  market: string;
  created_at: number;
  sent_at?: number;
  attempt?: number;
  transport?: 'fetch' | 'beacon' | 'shopify-pixel';
  sdk: string;
  page: string;
  conversion: Record<string, unknown>;
  referral?: { tokens: Record<string, string>; captured_at: number };
}

/** Builds a conversion event; `sent_at`, `attempt` and `transport` are set per attempt. @internal */
export const conversionEvent = (
  id: string,
  market: string,
  conversion: Record<string, unknown>,
  referral: StoredReferral | null,
  page: string,
): ConversionEvent => ({
  v: 1,
  type: 'conversion',
  event_id: id,
  market,
  created_at: Date.now(),
  sdk: 'js/' + VERSION,
  page,
  conversion,
  referral: referral ? { tokens: referral.t, captured_at: referral.at } : undefined,
});

/**
 * The body of one attempt. A string body goes as `text/plain;charset=UTF-8`, by fetch and by
 * sendBeacon alike: a CORS simple request, without preflight. @internal
 */
export const eventBody = (event: ConversionEvent, attempt: number, transport: ConversionEvent['transport']): string =>
  JSON.stringify({ ...event, attempt, sent_at: Date.now(), transport });

/** What a platform answer means: 2xx done, 408/429/5xx/network retry, other 4xx never. @internal */
export const outcomeOf = (status: number): 'delivered' | 'rejected' | 'retry' =>
  status > 199 && status < 300 ? 'delivered' : status == 408 || status == 429 || status > 499 || !status ? 'retry' : 'rejected';

/**
 * POSTs one attempt of a conversion event, with `keepalive` so it outlives the page, and reads
 * the answer. Never throws: a network error, a block or an unreadable answer comes back as
 * status 0 or an empty answer.
 * @internal
 */
export async function postEvent(
  url: string,
  event: ConversionEvent,
  attempt: number,
  transport: ConversionEvent['transport'],
): Promise<{ status: number; retryAfter: string | null; answer: { status?: string } }> {
  const result = { status: 0, retryAfter: null as string | null, answer: {} };
  try {
    const body = eventBody(event, attempt, transport);
    // keepalive's 64 KB quota is shared by the page, so big bodies go without it.
    const response = await fetch(url, { method: 'POST', body, keepalive: body.length < 6e4, credentials: 'include' });
    result.status = response.status;
    result.retryAfter = response.headers.get('Retry-After');
    result.answer = await response.json();
  } catch {
    // network error, blocked, CORS, or an answer that isn't JSON
  }
  return result;
}

/**
 * Milliseconds before the next attempt: `Retry-After` (seconds or a date) when the platform
 * sent one, else exponential backoff (1 s, 2 s, 4 s … 60 s) with ±50 % jitter. @internal
 */
export function retryDelay(attempt: number, retryAfter: string | null, now = Date.now()): number {
  const wait = retryAfter ? (+retryAfter >= 0 ? +retryAfter * 1e3 : Date.parse(retryAfter) - now) : -1;
  return wait >= 0 ? Math.min(wait, 36e5) : Math.round(Math.min(6e4, 500 * 2 ** attempt) * (0.5 + Math.random()));
}
