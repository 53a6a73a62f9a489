import { captureReferral, type CaptureOptions } from './attribution';
import type { BuyapowaConfig } from './config';
import { captureWith, construct, type Constructed } from './construct';
import { setConsent, type ConsentState } from './consent';
import type { Conversion } from '../core/conversion';
import { embedReferAFriend, type EmbedHandle, type EmbedParams } from './embed';
import { quiet } from '../core/env';
import { hasDom } from './page';
import type { BuyapowaError } from '../core/errors';
import type { StoredReferral } from '../core/referral';
import { flushConversionsNow, type TrackResult } from './outbox';
import { track } from './track';
import { VERSION } from '../core/version';

/**
 * The integration guide's API, as a thin facade over the free functions.
 * Constructing it captures the page's referral parameters and sends any conversion still
 * waiting for this market. It never throws: a refused config is reported once, as one
 * `[Buyapowa]` line per problem, and each call then rejects with it.
 *
 * Existing integrations may pass the platform URL alone, `new Buyapowa("https://{market}.co-buying.com")`
 * (or `.co-buying.net`): the market is its first label.
 *
 * @example
 * ```ts
 * const buyapowa = new Buyapowa({ url: 'https://bp.your-website.com', market: 'your-market' }, 'bp_div', 'bp_error');
 * buyapowa.embedReferAFriend({ campaign: 'refer-a-friend', locale: 'en' });
 * // or, as existing integrations do: new Buyapowa('https://your-market.co-buying.com', 'bp_div', 'bp_error')
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

  /** The config's problems, reported once by the constructor; every call then rejects with them. */
  private readonly configError?: BuyapowaError;

  /** What the constructor read and checked. */
  private readonly state: Constructed;

  /**
   * The platform URL alone, as existing integrations call it: the market is the first label of
   * `https://{market}.co-buying.com` (or `.co-buying.net`). Any other URL is reported once, as a
   * problem with `market`. Never throws.
   *
   * @param url - `"https://{market}.co-buying.com"`, e.g. `"https://acme.co-buying.com/"`.
   * @param container - The element, or its id, for the campaign iframe. Default: `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: none.
   */
  constructor(url: string, container?: string | HTMLElement, errorContainer?: string | HTMLElement);
  /**
   * Checks the config and reports its problems once (one `[Buyapowa]` line each); never throws,
   * whatever it is given.
   *
   * @param config - `{ url, market }` and options.
   * @param container - The element, or its id, for the campaign iframe. Default: `config.container`, then `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: `config.errorContainer`.
   */
  constructor(config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement);
  constructor(config: BuyapowaConfig | string, container?: string | HTMLElement, errorContainer?: string | HTMLElement) {
    this.state = construct(config, container, errorContainer);
    this.config = this.state.config;
    this.configError = this.state.error;
    if (!this.configError && hasDom()) {
      captureReferral(this.config);
      // This page's endpoint: the market's conversions kept for a missing one go there.
      flushConversionsNow(this.state.market, this.state.endpoint);
    }
  }

  /** Embeds the campaign; see {@link embedReferAFriend}. */
  embedReferAFriend(params: EmbedParams): EmbedHandle {
    return embedReferAFriend(this.config, params);
  }

  /** Sends a conversion; see {@link track}. With a refused config, rejects with the constructor's error (already reported). */
  track(conversion: Conversion): Promise<TrackResult> {
    return this.configError ? quiet(Promise.reject(this.configError)) : track(this.config, conversion);
  }

  /** Captures the page's referral parameters; see {@link captureReferral}. Never throws. */
  captureReferral(options?: CaptureOptions): StoredReferral | null {
    return captureWith(this.state, options);
  }
}
