// The script tag's `Buyapowa` class: the same surface as src/browser/buyapowa.ts, but `track` and
// `embedReferAFriend` load their code on first use (src/loader/registry.ts). What they need from
// the page (the config, the consent, the stored referral) is read when they are called, and a
// `track` call is written to storage at once (src/loader/pending.ts).
import { capture, type CaptureOptions, type OptionReporter } from '../browser/attribution';
import { checkTrackUrl, endpointOf, resolveConfig, type BuyapowaConfig } from '../browser/config';
import { captureWith, construct, type Constructed } from '../browser/construct';
import { getConsent, setConsent } from '../browser/consent';
import { OUTBOX_KEY, type TrackResult } from '../browser/outbox';
import type { EmbedHandle, EmbedParams, EmbedReady } from '../browser/embed';
import { hasDom, pagePath } from '../browser/page';
import { getItem } from '../browser/storage';
import { readStoredReferral } from '../browser/stored-referral';
import type { Conversion } from '../core/conversion';
import { quiet, uuid } from '../core/env';
import { BuyapowaError } from '../core/errors';
import { readFields } from '../core/fields';
import type { StoredReferral } from '../core/referral';
import { VERSION } from '../core/version';
import { addCall, live, readCalls } from './pending';
import { loadChunk } from './registry';
import { report } from './report';

/** Reports a `captureReferral` option given wrong (see {@link report}). @internal */
export const reportOption: OptionReporter = (error, key, value) => report(error, [key, value]);

/**
 * Loads the track chunk and hands it every call waiting, this page's and earlier pages'; `market`
 * and `endpoint` name where conversions kept for a missing endpoint go. When it cannot load, this page's calls resolve `queued`: they stay stored for the next page. @internal
 */
export function runTrack(market?: string, endpoint?: string): void {
  loadChunk('track', 'conversions are kept and sent by the next page').then(
    (api) => (api.run as (market?: string, endpoint?: string) => void)(market, endpoint),
    () =>
      live.forEach(({ call, resolve }) =>
        resolve({ status: 'queued', id: call.id, order: '' + (readFields(call.conversion) || {}).order_number, reason: 'the track code could not be loaded' }),
      ),
  );
}

/** Whether an earlier page left conversions to send: stored calls, or an outbox with entries. @internal */
export const hasWaitingConversions = (): boolean => !!readCalls() || (getItem(OUTBOX_KEY) || '[]') !== '[]';

/** `track` of the script tag: checked and written down now, sent by the track chunk. */
function track(config: BuyapowaConfig, conversion: Conversion): Promise<TrackResult> {
  return quiet(
    new Promise<TrackResult>((resolve, reject) => {
      if (!hasDom()) throw new BuyapowaError('unsupported_environment', 'track: there is no document here; call it in the browser');
      const c = resolveConfig(config, 'track', checkTrackUrl);
      if (c.consent) setConsent(c.consent);
      const referral: StoredReferral | null = getConsent() === 'denied' ? null : readStoredReferral();
      const call = { id: uuid(), at: Date.now(), page: pagePath(), market: c.market, url: endpointOf(c), referral, conversion };
      addCall({ call, resolve, reject });
      runTrack();
    }).catch((error) => {
      // Refused here: the config, in full once explained. A conversion's problems were logged by the track chunk.
      if ((error as BuyapowaError).code !== 'invalid_conversion') report(error, [config]);
      throw error;
    }),
  );
}

/** Shows the error container of a config (an element or its id), as the embed does when it fails. */
function showErrorBox(config: BuyapowaConfig) {
  try {
    const given = config.errorContainer;
    const box = typeof given === 'string' ? document.getElementById(given) : given;
    if (box) {
      box.hidden = false;
      box.style.display = 'block';
    }
  } catch {
    // not an element: the embed chunk would have said so; the failure is logged anyway
  }
}

/** `embedReferAFriend` of the script tag: a handle at once; the embed starts when its chunk has run. */
function embed(config: BuyapowaConfig, params: EmbedParams): EmbedHandle {
  let real: EmbedHandle | undefined;
  let gone = false;
  let destroyed!: (error: BuyapowaError) => void;
  // Destroyed before the embed code arrived: `ready` rejects at once, as the embed's own would.
  const early = new Promise<never>((_, reject) => (destroyed = reject));
  const started = loadChunk('embed', 'the campaign is not shown').then(
    (api): Promise<EmbedReady> => {
      if (gone) return early;
      real = (api.embed as unknown as (c: BuyapowaConfig, p: EmbedParams) => EmbedHandle)(config, params);
      return real.ready;
    },
    () => {
      showErrorBox(config);
      throw new BuyapowaError('frame_failed', 'embedReferAFriend: the embed code could not be loaded');
    },
  );
  return {
    ready: quiet(Promise.race([early, started])),
    destroy() {
      if (real) real.destroy();
      else if (!gone) destroyed(new BuyapowaError('destroyed', 'embedReferAFriend: destroyed before it was ready'));
      gone = true;
    },
  };
}

/**
 * The guide's API on the script tag (`window.Buyapowa`): see {@link import('../browser/buyapowa').Buyapowa}.
 * Construction captures the page's referral parameters; `track` and `embedReferAFriend` load
 * their code the first time they are called. Never throws.
 */
export class Buyapowa {
  /** The SDK version. */
  static get version(): string {
    return VERSION;
  }

  /** The config, with `container` and `errorContainer` from the constructor's arguments. */
  readonly config: BuyapowaConfig;

  /** The config's problems, reported once by the constructor; every call then rejects with them. */
  private readonly configError?: BuyapowaError;

  /** What the constructor read and checked. */
  private readonly state: Constructed;

  /**
   * Accepts the platform URL alone, `https://{market}.co-buying.com` (or `.co-buying.net`), as
   * existing integrations pass it: the market is its first label. Never throws.
   *
   * @param url - `"https://{market}.co-buying.com"`, e.g. `"https://acme.co-buying.com/"`.
   * @param container - The element, or its id, for the campaign iframe. Default: `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: none.
   */
  constructor(url: string, container?: string | HTMLElement, errorContainer?: string | HTMLElement);
  /**
   * Checks the config and reports its problems once; never throws.
   *
   * @param config - `{ url, market }` and options.
   * @param container - The element, or its id, for the campaign iframe. Default: `config.container`, then `"bp_div"`.
   * @param errorContainer - The element, or its id, shown when the embed fails. Default: `config.errorContainer`.
   */
  constructor(config: BuyapowaConfig, container?: string | HTMLElement, errorContainer?: string | HTMLElement);
  constructor(config: BuyapowaConfig | string, container?: string | HTMLElement, errorContainer?: string | HTMLElement) {
    this.state = construct(config, container, errorContainer, (error) => report(error, [config, container, errorContainer]));
    this.config = this.state.config;
    this.configError = this.state.error;
    if (!this.configError && hasDom()) {
      capture(this.config, reportOption);
      // Conversions an earlier page left go out now; those kept for a missing endpoint go to this page's.
      if (hasWaitingConversions()) runTrack(this.state.market, this.state.endpoint);
    }
  }

  /** Embeds the campaign; see {@link import('../browser/embed').embedReferAFriend}. */
  embedReferAFriend(params: EmbedParams): EmbedHandle {
    return embed(this.config, params);
  }

  /** Sends a conversion; see {@link import('../browser/track').track}. With a refused config, rejects with the constructor's error (already reported). */
  track(conversion: Conversion): Promise<TrackResult> {
    return this.configError ? quiet(Promise.reject(this.configError)) : track(this.config, conversion);
  }

  /** Captures the page's referral parameters; see {@link import('../browser/attribution').captureReferral}. Never throws. */
  captureReferral(options?: CaptureOptions): StoredReferral | null {
    return captureWith(this.state, options, reportOption);
  }
}
