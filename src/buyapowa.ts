import { captureReferral, type CaptureOptions } from './attribution';
import type { BuyapowaConfig } from './config';
import { setConsent, type ConsentState } from './consent';
import type { Conversion } from './conversion';
import { embedReferAFriend, type EmbedHandle, type EmbedParams } from './embed';
import { hasDom } from './env';
import type { StoredReferral } from './referral';
import type { TrackResult } from './outbox';
import { flushConversions, track } from './track';
import { VERSION } from './version';

/**
 * The integration guide's API, as a thin facade over the free functions.
 * Constructing it captures the page's referral parameters and sends any conversion still
 * waiting for this market. It never throws: problems surface from each call.
 *
 * @example
 * ```ts
 * const buyapowa = new Buyapowa({ url: 'https://bp.your-website.com', market: 'your-market' }, 'bp_div', 'bp_error');
 * buyapowa.embedReferAFriend({ campaign: 'refer-a-friend', locale: 'en' });
 * ```
 */
export class Buyapowa {
  /** The SDK version. */
  static get version(): string {
    return VERSION;
  }
  /** See {@link setConsent}. */
  static setConsent(state: ConsentState): void {
    setConsent(state);
  }

  /** The config, with `container` and `errorContainer` from the constructor's arguments. */
  readonly config: BuyapowaConfig;

  /**
   * @param config - `{ url, market }` and options.
   * @param container - The element, or its id, for the campaign iframe. Default: `config.container`, then `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: `config.errorContainer`.
   */
  constructor(config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement) {
    this.config = { ...config, container: container || (config && config.container), errorContainer: errorContainer || (config && config.errorContainer) };
    if (hasDom() && config && config.url && config.market) {
      captureReferral(this.config);
      flushConversions(this.config);
    }
  }

  /** Embeds the campaign; see {@link embedReferAFriend}. */
  embedReferAFriend(params: EmbedParams): EmbedHandle {
    return embedReferAFriend(this.config, params);
  }

  /** Sends a conversion; see {@link track}. */
  track(conversion: Conversion): Promise<TrackResult> {
    return track(this.config, conversion);
  }

  /** Captures the page's referral parameters; see {@link captureReferral}. */
  captureReferral(options?: CaptureOptions): StoredReferral | null {
    return captureReferral({ ...this.config, ...options });
  }
}
