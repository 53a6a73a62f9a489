import { captureReferral, type CaptureOptions } from './attribution';
import { resolveConfig, type BuyapowaConfig } from './config';
import { setConsent, type ConsentState } from './consent';
import type { Conversion } from '../core/conversion';
import { embedReferAFriend, type EmbedHandle, type EmbedParams } from './embed';
import { quiet } from '../core/env';
import { hasDom } from './page';
import { browserError, fieldProblem, type BuyapowaError } from '../core/errors';
import { readFields } from '../core/fields';
import { log } from './log';
import type { StoredReferral } from '../core/referral';
import type { TrackResult } from './outbox';
import { flushConversions, track } from './track';
import { VERSION } from '../core/version';

/**
 * The integration guide's API, as a thin facade over the free functions.
 * Constructing it captures the page's referral parameters and sends any conversion still
 * waiting for this market. It never throws: a refused config is reported once, as one
 * `[Buyapowa]` line per problem, and each call then rejects with it.
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

  /** The config's problems, reported once by the constructor; every call then rejects with them. */
  private readonly configError?: BuyapowaError;

  /**
   * Checks the config and reports its problems once (one `[Buyapowa]` line each); never throws,
   * whatever it is given.
   *
   * @param config - `{ url, market }` and options.
   * @param container - The element, or its id, for the campaign iframe. Default: `config.container`, then `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: `config.errorContainer`.
   */
  constructor(config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement) {
    // Read once, safely: a throwing getter or a Proxy becomes a reported problem.
    const fields = readFields(config) as Partial<BuyapowaConfig> | undefined;
    this.config = { ...fields, container: container || (fields && fields.container), errorContainer: errorContainer || (fields && fields.errorContainer) } as BuyapowaConfig;
    try {
      resolveConfig(fields ? this.config : config, 'new Buyapowa');
    } catch (error) {
      this.configError = error as BuyapowaError;
      for (const line of this.configError.problems) log('error', line);
      return;
    }
    if (hasDom()) {
      captureReferral(this.config);
      flushConversions(this.config);
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
    const fields = readFields(options);
    if (options != null && !fields) {
      log('error', browserError('invalid_config', 'captureReferral', fieldProblem('options', options)).message);
      return null;
    }
    // With a refused config (already reported), no click beacon: the tokens are still kept.
    const beacon = this.configError ? { url: undefined } : {};
    return captureReferral({ ...this.config, ...fields, ...beacon });
  }
}
