import { browserError, fieldProblem } from '../core/problems';
import { urlExtraProblem } from '../core/messages';
import { isPlaceholder, readFields } from '../core/fields';
import { enableDebug } from './log';
import type { ConsentOption } from './consent';
import { session } from './session';

/**
 * The first argument of `new Buyapowa(config)` and of every free function.
 *
 * @example
 * ```ts
 * const config: BuyapowaConfig = { url: 'https://bp.your-website.com', market: 'your-market' };
 * ```
 */
export interface BuyapowaConfig {
  /** Your market domain (the cookie subdomain), e.g. `"https://bp.your-website.com"`: a domain, without a path. Required. */
  url: string;
  /** Your market id, given by your client services manager. Required. */
  market: string;
  /** The element, or its id, that hosts the campaign iframe. Default: `"bp_div"`. */
  container?: string | HTMLElement;
  /** The element, or its id, shown when the embed fails. Default: none. */
  errorContainer?: string | HTMLElement;
  /** Where conversions are POSTed. Default: `{url}/track`. */
  trackUrl?: string;
  /** How long the embed waits for the campaign's handshake, in ms. Default: `10000`. */
  timeout?: number;
  /** The iframe's accessible title. Default: `"Refer a friend"`. */
  title?: string;
  /** Log every step to the console. Default: `false`. */
  debug?: boolean;
  /**
   * Storage consent, applied by the calls that store (`track`, `captureReferral`), as
   * `setConsent` takes it: a `ConsentState`, or a consent platform to follow, `"tcf"`, `"google"`
   * or `"shopify"` (pending until it decides), once its adapter is known: the script tag knows all
   * three; in the npm build, call the platform's `follow…` function first, which takes the
   * platform's options (`tcfVendorId`, `honorGlobalPrivacyControl`). See docs/consent.md.
   * Default: `"granted"`.
   */
  consent?: ConsentOption;
  /** Which referral click wins when there are several: `"last"` or `"first"`. Default: `"last"`. */
  attribution?: 'last' | 'first';
  /** How long a referral click is remembered, in days. Default: `30`. */
  attributionDays?: number;
  /** Query parameters that carry referral tokens, stored raw. Default: `["bp_e"]` (`bp_p` is personal data and is never stored). */
  referralParams?: string[];
  /** Remove `bp_*` parameters from the address bar after capture. Default: `false`. */
  stripReferralParams?: boolean;
  /** Domain for the referral cookie. Default: the registrable domain, found by probing. */
  cookieDomain?: string;
  /** Your first-party relay (`createRelay` of `buyapowa-sdk/server`), a path like `"/buyapowa"` or a URL: `track`, the click beacon and the noscript pixel go there instead of `url` (`trackUrl` still wins for `track`). Default: the script tag's `data-relay`, else none. */
  relay?: string;
}

/** A validated config. @internal */
export interface ResolvedConfig extends BuyapowaConfig {
  /** `url` as an absolute URL without a trailing slash: the market domain's origin. */
  base: string;
  /** The exact origin of `url`. */
  origin: string;
  /** Where conversions, clicks and the pixel go: `relay` without a trailing slash, else `base`. */
  sendTo: string;
}

/**
 * The problem with `url`, if any. A URL without scheme (`bp.shop.com`, `//bp.shop.com`) is
 * unambiguous and completed with the page's scheme; a path, query or fragment is refused up
 * front, as the campaign and the tracking endpoints live at the domain's root.
 */
function checkUrl(given: unknown): { url: URL } | { problem: string } {
  const wrong = (note?: string) => ({ problem: fieldProblem('url', given, note) });
  if (typeof given !== 'string') return wrong();
  if (isPlaceholder(given)) return wrong('placeholder');
  const text = given.trim();
  const pageScheme = typeof location === 'object' ? location.protocol : 'https:';
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(text) ? text : (/^\/\//.test(text) ? pageScheme : 'https:') + '//' + text.replace(/^\/\//, ''));
  } catch {
    return wrong();
  }
  const path = url.pathname.replace(/\/+$/, '');
  const extra = path + url.search + url.hash;
  if (extra) return { problem: process.env.NODE_ENV !== 'production' ? urlExtraProblem(given, path, extra) : 'url' };
  return { url };
}

/**
 * Validates a config; throws one BuyapowaError listing every problem. The config is read once,
 * safely (see {@link readFields}), so a throwing getter or a Proxy gives a BuyapowaError, not a
 * TypeError. `check` reports a problem with an option only its caller uses, so other imports
 * don't carry it.
 * @internal
 */
export function resolveConfig(config: BuyapowaConfig, where: string, check?: (c: BuyapowaConfig) => string | false): ResolvedConfig {
  const fields = readFields(config);
  const c = (fields || {}) as unknown as BuyapowaConfig;
  const problems: string[] = [];
  // Nothing given is reported as the missing url and market below; something unreadable, once.
  if (config != null && !fields) throw browserError('invalid_config', where, fieldProblem('config', config));
  const checkedUrl = checkUrl(c.url);
  if ('problem' in checkedUrl) problems.push(checkedUrl.problem);
  const market = typeof c.market === 'string' ? c.market.trim() : '';
  if (!market || isPlaceholder(market)) problems.push(fieldProblem('market', c.market, market && 'placeholder'));
  const relay = c.relay ?? session().relay;
  if (relay != null && !(typeof relay === 'string' && /^(\/|https?:\/\/)/.test(relay))) problems.push(fieldProblem('relay', relay));
  const optionProblem = check && check(c);
  if (optionProblem) problems.push(optionProblem);
  if (problems[0] || !('url' in checkedUrl)) throw browserError('invalid_config', where, problems);
  enableDebug(c.debug);
  const origin = checkedUrl.url.origin;
  return { ...c, market, origin, base: origin, sendTo: typeof relay === 'string' ? relay.replace(/\/+$/, '') : origin };
}

/** The `track` check of `trackUrl`. @internal */
export const checkTrackUrl = (c: BuyapowaConfig): string | false =>
  c.trackUrl != null && !(typeof c.trackUrl === 'string' && /^https?:\/\//.test(c.trackUrl)) && fieldProblem('trackUrl', c.trackUrl);

/**
 * The market of a URL on the platform's own domain, `https://{market}.co-buying.com` or
 * `.co-buying.net` (a trailing slash is fine): its first label. `undefined` for any other URL.
 * @internal
 */
export const marketOfUrl = (url: string): string | undefined =>
  /^(?:https?:)?(?:\/\/)?([a-z\d-]+)\.co-buying\.(?:com|net)\/?$/i.exec(url.trim())?.[1].toLowerCase();

/** The problem of `new Buyapowa(url)` with a URL that does not name the market. @internal */
export const MARKET_IN_URL = 'a URL like "https://{market}.co-buying.com" (or .net), or a config like { url, market }';

/** Where `track` POSTs for a config: `trackUrl`, else `{relay or url}/track`. @internal */
export const endpointOf = (c: ResolvedConfig): string => c.trackUrl || c.sendTo + '/track';

/** The `embedReferAFriend` check of `timeout`: milliseconds, as a number or a numeric string. @internal */
export const checkTimeout = (c: BuyapowaConfig): string | false =>
  c.timeout != null && !((typeof c.timeout === 'number' || typeof c.timeout === 'string') && +c.timeout > 0) && fieldProblem('timeout', c.timeout);
