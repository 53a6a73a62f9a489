// The type of `window.Buyapowa`, the global the script-tag build (dist/embedding.min.js) defines.
// Its declarations ship as dist/embedding.d.ts, the types of `buyapowa-sdk/embedding.min.js`.
import type { captureReferral, clearReferral, getReferral } from './browser/attribution';
import type { Buyapowa } from './browser/buyapowa';
import type { BuyapowaConfig } from './browser/config';
import type { ConsentState } from './browser/consent';

/** A call made before the script arrived, as the async loader snippet queues it: `[stub instance or null, method, arguments]`. */
export type QueuedCall = [{ _real?: Buyapowa } | null, string, ArrayLike<unknown>];

/**
 * `window.Buyapowa`, defined by `embedding.min.js`: the {@link Buyapowa} class, callable with or
 * without `new`, plus the consent and referral functions of the npm entry.
 *
 * @example
 * ```ts
 * import 'buyapowa-sdk/embedding.min.js'; // types window.Buyapowa; on a server it does nothing
 *
 * const buyapowa = new window.Buyapowa!({ url: 'https://bp.your-website.com', market: 'your-market' });
 * buyapowa.embedReferAFriend({ campaign: 'refer-a-friend' });
 * // or with the platform URL alone: new window.Buyapowa!('https://your-market.co-buying.com', 'bp_div', 'bp_error')
 * window.Buyapowa!.setConsent('granted');
 * ```
 */
export interface BuyapowaGlobal {
  /** `new Buyapowa(config, container?, errorContainer?)`: see {@link Buyapowa}. */
  new (config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement): Buyapowa;
  /** `new Buyapowa("https://{market}.co-buying.com", container?, errorContainer?)`, as existing integrations call it: the market is the URL's first label. */
  new (url: string, container?: string | HTMLElement, errorContainer?: string | HTMLElement): Buyapowa;
  /** `Buyapowa(config, container?, errorContainer?)` without `new`: the same instance. */
  (config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement): Buyapowa;
  /** `Buyapowa("https://{market}.co-buying.com", container?, errorContainer?)` without `new`. */
  (url: string, container?: string | HTMLElement, errorContainer?: string | HTMLElement): Buyapowa;
  /** The SDK version, e.g. "0.1.0". */
  version: string;
  /** Calls queued by the async loader snippet before the script arrived; replayed once, in order. */
  q?: QueuedCall[];
  /** Records the visitor's consent: `'granted'`, `'denied'` or `'pending'`. Logs instead of throwing on bad input. */
  setConsent(state: ConsentState): void;
  /** The consent state in force. */
  getConsent(): ConsentState;
  /** Stores the page's referral parameters (`bp_e`, `bp_ref`…) in first-party storage. */
  captureReferral: typeof captureReferral;
  /** The stored referral, or null. */
  getReferral: typeof getReferral;
  /** Forgets the stored referral. */
  clearReferral: typeof clearReferral;
}

declare global {
  interface Window {
    /** Set by `embedding.min.js` (`buyapowa-sdk/embedding.min.js`); undefined until it runs, and on servers. */
    Buyapowa?: BuyapowaGlobal;
  }
}
