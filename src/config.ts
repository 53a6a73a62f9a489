import { BuyapowaError, problem } from './errors';
import { enableDebug } from './log';
import type { ConsentState } from './consent';

/**
 * The first argument of `new Buyapowa(config)` and of every free function.
 *
 * @example
 * ```ts
 * const config: BuyapowaConfig = { url: 'https://bp.your-website.com', market: 'your-market' };
 * ```
 */
export interface BuyapowaConfig {
  /** Your market domain (the cookie subdomain), e.g. `"https://bp.your-website.com"`. Required. */
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
  /** Storage consent, applied by the calls that store (`track`, `captureReferral`); see {@link ConsentState}. Default: `"granted"`. */
  consent?: ConsentState;
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

/** The script tag's `data-relay`: the `relay` of every config that has none. @internal */
export const scriptTagDefaults: { relay?: string } = {};

/** A validated config. @internal */
export interface ResolvedConfig extends BuyapowaConfig {
  /** `url` as an absolute URL without a trailing slash. */
  base: string;
  /** The exact origin of `url`. */
  origin: string;
  /** Where conversions, clicks and the pixel go: `relay` without a trailing slash, else `base`. */
  sendTo: string;
}

/**
 * Validates a config; throws one BuyapowaError listing every problem. A URL without scheme
 * (`bp.shop.com`, `//bp.shop.com`) is unambiguous and completed with the page's. `check`
 * reports a problem with an option only its caller uses, so other imports don't carry it.
 * @internal
 */
export function resolveConfig(config: BuyapowaConfig, where: string, check?: (c: BuyapowaConfig) => string | false): ResolvedConfig {
  const c = config || ({} as BuyapowaConfig);
  const problems: string[] = [];
  const market = (c.market + '').trim();
  let url: URL | undefined;
  try {
    const given = c.url.trim();
    url = new URL(/^https?:\/\//.test(given) ? given : (/^\/\//.test(given) ? location.protocol : 'https:') + '//' + given.replace(/^\/\//, ''));
    if (/[{}<>]/.test(given)) throw 0;
  } catch {
    problems.push(problem('url', 'your market domain, like "https://bp.your-website.com"', c.url));
  }
  if (typeof c.market != 'string' || !market || /[{}<>]/.test(market)) problems.push(problem('market', 'your market id', c.market));
  const relay = c.relay || scriptTagDefaults.relay;
  if (relay && !/^(\/|https?:\/\/)/.test(relay)) problems.push(problem('relay', 'a path like "/buyapowa" or an absolute URL', relay));
  const optionProblem = check && check(c);
  if (optionProblem) problems.push(optionProblem);
  if (problems[0]) throw new BuyapowaError('invalid_config', problems.map((p) => where + ': ' + p));
  enableDebug(c.debug);
  const base = url!.origin + url!.pathname.replace(/\/+$/, '');
  return { ...c, market, origin: url!.origin, base, sendTo: relay ? relay.replace(/\/+$/, '') : base };
}

/** The `track` check of `trackUrl`. @internal */
export const checkTrackUrl = (c: BuyapowaConfig): string | false =>
  c.trackUrl != null && !/^https?:\/\//.test(c.trackUrl) && problem('trackUrl', 'an absolute URL', c.trackUrl);

/** The `embedReferAFriend` check of `timeout`. @internal */
export const checkTimeout = (c: BuyapowaConfig): string | false =>
  c.timeout != null && !(c.timeout > 0) && problem('timeout', 'milliseconds above 0', c.timeout);
