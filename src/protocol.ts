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
export function conversionEvent(
  id: string,
  market: string,
  conversion: Record<string, unknown>,
  referral: StoredReferral | null,
  page: string,
): ConversionEvent {
  const event: ConversionEvent = {
    v: 1,
    type: 'conversion',
    event_id: id,
    market,
    created_at: Date.now(),
    sdk: 'js/' + VERSION,
    page,
    conversion,
  };
  if (referral) event.referral = { tokens: referral.t, captured_at: referral.at };
  return event;
}

/** What a platform answer means for a request that carries an event. @internal */
export function outcomeOf(status: number): 'delivered' | 'rejected' | 'retry' {
  if (status >= 200 && status < 300) return 'delivered';
  return status == 408 || status == 429 || status >= 500 || !status ? 'retry' : 'rejected';
}
