import { BuyapowaError, problem } from './errors';
import { enableDebug } from './log';
import { setConsent, type ConsentState } from './consent';

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
  /** Storage consent; see {@link ConsentState}. Default: `"granted"`. */
  consent?: ConsentState;
  /** Which referral click wins when there are several: `"last"` or `"first"`. Default: `"last"`. */
  attribution?: 'last' | 'first';
  /** How long a referral click is remembered, in days. Default: `30`. */
  attributionDays?: number;
  /** Query parameters that carry referral tokens. Default: `["bp_e", "bp_p"]`. */
  referralParams?: string[];
  /** Remove `bp_*` parameters from the address bar after capture. Default: `false`. */
  stripReferralParams?: boolean;
  /** Domain for the referral cookie. Default: the registrable domain, found by probing. */
  cookieDomain?: string;
}

/** A validated config. @internal */
export interface ResolvedConfig extends BuyapowaConfig {
  /** `url` as an absolute URL without a trailing slash. */
  base: string;
  /** The exact origin of `url`. */
  origin: string;
}

const PLACEHOLDER = /{{|}}|<[a-z_]+>/i;

/** Validates a config; throws one BuyapowaError listing every problem. @internal */
export function resolveConfig(config: BuyapowaConfig, where: string): ResolvedConfig {
  const problems: string[] = [];
  const c = (config && typeof config === 'object' ? config : {}) as BuyapowaConfig;
  if (c !== config) problems.push(problem('config', 'an object like { url, market }', config));
  let base = '';
  let origin = '';
  let url = c.url;
  if (typeof url == 'string') {
    url = url.trim();
    // "bp.shop.com" and "//bp.shop.com" are unambiguous: complete them.
    if (url.startsWith('//')) url = location.protocol + url;
    else if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) url = 'https://' + url;
  }
  try {
    if (typeof url != 'string' || PLACEHOLDER.test(url)) throw 0;
    const u = new URL(url);
    if (!/^https?:$/.test(u.protocol) || !u.hostname) throw 0;
    origin = u.origin;
    base = origin + u.pathname.replace(/\/+$/, '');
  } catch {
    problems.push(problem('url', 'your market domain URL, like "https://bp.your-website.com"', c.url));
  }
  const market = typeof c.market == 'string' ? c.market.trim() : c.market;
  if (typeof market != 'string' || !market || PLACEHOLDER.test(market))
    problems.push(problem('market', 'your market id, a non-empty string', c.market));
  if (c.timeout !== undefined && !(typeof c.timeout == 'number' && c.timeout > 0))
    problems.push(problem('timeout', 'a number of milliseconds above 0', c.timeout));
  if (c.trackUrl !== undefined && !/^https?:\/\//.test(String(c.trackUrl)))
    problems.push(problem('trackUrl', 'an absolute http(s) URL', c.trackUrl));
  if (problems.length) throw new BuyapowaError('invalid_config', problems.map((p) => `${where}: ${p}`));
  enableDebug(c.debug);
  if (c.consent) setConsent(c.consent);
  return { ...c, market: market as string, base, origin };
}
