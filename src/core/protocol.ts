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
