// Options of the Shopify generator and their validation. Every value that ends up in a
// generated file is checked here first, so the templates can interpolate it as is.

import { received } from '../core/errors';

/**
 * Options of {@link generateShopifySnippets} (and of the `buyapowa-shopify` CLI, whose flags
 * are the same names in kebab case: `marketDomain` is `--market-domain`).
 *
 * @example
 * ```ts
 * const options: ShopifySnippetOptions = {
 *   marketDomain: 'bp.your-shop.com',
 *   market: 'your-market',
 *   campaign: 'refer-a-friend',
 *   locale: 'en',
 * };
 * ```
 */
export interface ShopifySnippetOptions {
  /**
   * Your market domain: the cookie subdomain CNAME'd to Buyapowa, as a bare host name such
   * as `"bp.your-shop.com"` (no `https://`, no path). A `:port` is accepted for local testing.
   */
  marketDomain: string;
  /** Your market id, given by your client services manager. Letters, digits, `.`, `_`, `-`. */
  market: string;
  /** The campaign slug shown on the refer-a-friend page. Letters, digits, `.`, `_`, `-`. */
  campaign: string;
  /**
   * The campaign's locale, e.g. `"en"` or `"pt-BR"`. Default: the language the shopper is
   * browsing the store in (on the page) and the checkout's language (in the pixel).
   */
  locale?: string;
  /**
   * Also generate the legacy order-status script for the Additional scripts box. That box was
   * turned off for Shopify Plus on 2025-08-28 and for every other plan on 2026-08-26; the
   * custom pixel replaces it. Default: `false`.
   */
  legacyOrderStatus?: boolean;
  /**
   * How the storefront snippet decides whether it may store the referral click:
   * - `"shopify"` (default): waits for Shopify's Customer Privacy API (the store's cookie
   *   banner) and stores it only once marketing is allowed;
   * - `"granted"`: stores it at once, for stores that need no consent banner.
   */
  consent?: 'shopify' | 'granted';
  /**
   * `"http"` makes the files load and post to `http://{marketDomain}`. For a local dev
   * platform only; a real market domain is always `https`. Default: `"https"`.
   */
  scheme?: 'https' | 'http';
  /**
   * Your first-party relay (`createRelay` from `buyapowa-sdk/server`): the setup of a real
   * Buyapowa account, whose browser endpoints are yours, not Buyapowa's. Then your orders
   * webhook (`createShopifyOrdersWebhook`, subscribed to orders/create and orders/cancelled)
   * records every order, with the referral the theme snippet writes into the cart; the custom
   * pixel sends nothing (it cannot sign, and the relay refuses unsigned conversions) and only
   * checks at checkout that the order carries the referral; the theme snippet tells referral
   * clicks to `{relay}/click`, which re-sets the cookie from the server. Either a full URL such
   * as `"https://www.your-shop.com/buyapowa"`, or a path such as `"/buyapowa"` on the store's
   * own domain. Cannot be combined with `legacyOrderStatus`. Default: none (the dev platform's
   * market-domain endpoints: the pixel sends conversions to `{marketDomain}/track`).
   */
  relay?: string;
}

/** An option that failed validation. */
export interface ShopifyOptionProblem {
  /** The option's name, as in {@link ShopifySnippetOptions}. */
  option: keyof ShopifySnippetOptions | string;
  /** What was expected, in words. */
  expected: string;
  /** What was received (the value itself). */
  received: unknown;
  /** One more sentence that says how to fix it, when there is an obvious fix. */
  hint?: string;
}

/** Validated options, with defaults filled in. */
export interface ResolvedShopifyOptions {
  /** Host name, with `:port` when one was given. */
  marketDomain: string;
  /** `scheme://marketDomain`, without trailing slash. */
  marketUrl: string;
  /** Market id. */
  market: string;
  /** Campaign slug. */
  campaign: string;
  /** Locale, or `''` for the shopper's language. */
  locale: string;
  /** Whether the legacy order-status script is generated. */
  legacyOrderStatus: boolean;
  /** Consent mode of the storefront snippet. */
  consent: 'shopify' | 'granted';
  /** The relay, without trailing slash (a URL, or a path starting with `/`), or `''` for none. */
  relay: string;
}

const KNOWN = ['marketDomain', 'market', 'campaign', 'locale', 'legacyOrderStatus', 'consent', 'scheme', 'relay'];
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;
/** Path segments of a relay: unreserved characters only, so the URL needs no escaping anywhere. */
const RELAY_PATH = /^(?:\/[A-Za-z0-9._~-]+)*\/?$/;
/** The placeholder values of the README, the docs and the integration guide. */
const PLACEHOLDER_HOSTS = ['your-shop.com', 'your-website.com', 'your-domain.com'];
const PLACEHOLDER_SLUG = /^your[-_]/i;

/** Shows a received value the way error messages quote it: the SDK's one helper, {@link received}. @internal */
export const show = received;

/** A placeholder of the integration guide, such as `{{market_domain}}`, left in. */
const GUIDE_PLACEHOLDER = /\{\{.*\}\}/;
const PLACEHOLDER_HINT = 'That is a placeholder of the integration guide: replace it with your own value.';

function checkHost(value: unknown, problems: ShopifyOptionProblem[]): string {
  const expected = 'a host name like "bp.your-shop.com"';
  if (typeof value === 'string' && GUIDE_PLACEHOLDER.test(value)) {
    problems.push({ option: 'marketDomain', expected, received: value, hint: PLACEHOLDER_HINT });
    return '';
  }
  if (typeof value !== 'string' || !value.trim()) {
    problems.push({ option: 'marketDomain', expected, received: value, hint: 'Use the cookie subdomain your client services manager gave you.' });
    return '';
  }
  const text = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('//') || /[/?#]/.test(text)) {
    problems.push({ option: 'marketDomain', expected, received: value, hint: 'Give the host name alone, without "https://" or a path.' });
    return '';
  }
  const [, host, port] = /^([^:]*)(?::(\d{1,5}))?$/.exec(text) || [];
  const labels = (host || '').toLowerCase().replace(/\.$/, '').split('.');
  const ok =
    host != null &&
    (labels.length > 1 || labels[0] === 'localhost') &&
    labels.every((l) => LABEL.test(l)) &&
    !/^\d+$/.test(labels[labels.length - 1]) &&
    (port == null || (+port > 0 && +port < 65536));
  if (!ok) {
    problems.push({ option: 'marketDomain', expected, received: value });
    return '';
  }
  return labels.join('.') + (port ? ':' + port : '');
}

function checkSlug(option: 'market' | 'campaign', value: unknown, problems: ShopifyOptionProblem[]): string {
  const what = option === 'market' ? 'your market id' : 'your campaign slug';
  if (typeof value === 'string' && SLUG.test(value.trim())) return value.trim();
  problems.push({
    option,
    expected: `${what}: letters, digits, ".", "_" or "-", starting with a letter or digit`,
    received: value,
    hint:
      typeof value === 'string' && GUIDE_PLACEHOLDER.test(value)
        ? PLACEHOLDER_HINT
        : typeof value === 'string' && value.trim()
          ? undefined
          : `Ask your client services manager for ${what}.`,
  });
  return '';
}

function checkRelay(value: unknown, scheme: 'http' | 'https', problems: ShopifyOptionProblem[]): string {
  if (value == null || value === '') return '';
  const expected = 'a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa"';
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.startsWith('/') && !text.startsWith('//')) {
    if (RELAY_PATH.test(text)) return text.replace(/\/+$/, '');
  } else if (/^https?:\/\//i.test(text) && !/[?#]/.test(text)) {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      // reported below
    }
    if (
      url &&
      (url.protocol === 'https:' || scheme === 'http') &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash &&
      !/[?#]/.test(text) &&
      RELAY_PATH.test(url.pathname)
    )
      return (url.origin + url.pathname).replace(/\/+$/, '');
    if (url && url.protocol === 'http:' && scheme !== 'http') {
      problems.push({
        option: 'relay',
        expected,
        received: value,
        hint: 'A relay on a real store is https; http is only for a local dev platform (with scheme "http").',
      });
      return '';
    }
  }
  problems.push({
    option: 'relay',
    expected,
    received: value,
    hint: typeof value === 'string' && /[?#]/.test(value) ? 'Leave out the query and the fragment: the snippet adds "/click" to it.' : undefined,
  });
  return '';
}

/**
 * Options left at a placeholder of the README or the integration guide (`bp.your-shop.com`,
 * `bp.your-website.com`, `your-market`): generating with them works, but the files would
 * talk to a domain that is not yours. The CLI prints one warning per option.
 *
 * @param options - What {@link generateShopifySnippets} would receive.
 * @returns One problem per option that holds a placeholder, with the placeholder as `received`.
 * @example
 * ```ts
 * findShopifyPlaceholders({ marketDomain: 'bp.your-shop.com', market: 'acme', campaign: 'raf' });
 * // [{ option: 'marketDomain', expected: 'your own market domain …', received: 'bp.your-shop.com', hint: … }]
 * ```
 */
export function findShopifyPlaceholders(options: Partial<ShopifySnippetOptions>): ShopifyOptionProblem[] {
  const found: ShopifyOptionProblem[] = [];
  const o = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
  const host = (value: unknown) =>
    typeof value === 'string'
      ? value
          .trim()
          .toLowerCase()
          .replace(/^[a-z]+:\/\//, '')
          .replace(/[:/].*$/, '')
      : '';
  const isPlaceholderHost = (value: unknown) => PLACEHOLDER_HOSTS.some((p) => host(value) === p || host(value).endsWith('.' + p));
  if (isPlaceholderHost(o.marketDomain))
    found.push({
      option: 'marketDomain',
      expected: 'your own market domain',
      received: o.marketDomain,
      hint: 'That is the example value of the documentation: use the cookie subdomain your client services manager set up with you (such as bp.acme-outdoors.com).',
    });
  for (const option of ['market', 'campaign'] as const)
    if (typeof o[option] === 'string' && PLACEHOLDER_SLUG.test((o[option] as string).trim()))
      found.push({
        option,
        expected: option === 'market' ? 'your own market id' : 'your own campaign slug',
        received: o[option],
        hint: 'That is the example value of the documentation: ask your client services manager for yours.',
      });
  if (isPlaceholderHost(o.relay))
    found.push({
      option: 'relay',
      expected: "your own store's address",
      received: o.relay,
      hint: 'That is the example value of the documentation: use the address where you mounted the relay.',
    });
  return found;
}

/**
 * Validates generator options: every problem at once, none when the options are good.
 *
 * @param options - What {@link generateShopifySnippets} would receive.
 * @returns The problems, each naming its option, what was expected and what was received.
 * @example
 * ```ts
 * const problems = validateShopifyOptions({ marketDomain: 'https://bp.shop.com', market: 'm', campaign: 'c' });
 * // [{ option: 'marketDomain', expected: 'a host name like "bp.your-shop.com"', received: 'https://bp.shop.com', hint: … }]
 * ```
 */
export function validateShopifyOptions(options: ShopifySnippetOptions): ShopifyOptionProblem[] {
  return resolveShopifyOptions(options).problems;
}

/** Validates and fills in defaults. @internal */
export function resolveShopifyOptions(options: ShopifySnippetOptions): { resolved: ResolvedShopifyOptions; problems: ShopifyOptionProblem[] } {
  const problems: ShopifyOptionProblem[] = [];
  const o = (options && typeof options === 'object' ? options : {}) as unknown as Record<string, unknown>;
  if (!options || typeof options !== 'object')
    problems.push({ option: 'options', expected: 'an object like { marketDomain, market, campaign }', received: options });
  for (const key of Object.keys(o))
    if (!KNOWN.includes(key)) problems.push({ option: key, expected: 'no such option (known: ' + KNOWN.join(', ') + ')', received: o[key] });
  const marketDomain = checkHost(o.marketDomain, problems);
  const market = checkSlug('market', o.market, problems);
  const campaign = checkSlug('campaign', o.campaign, problems);
  let locale = '';
  if (o.locale != null && o.locale !== '') {
    if (typeof o.locale === 'string' && LOCALE.test(o.locale.trim())) locale = o.locale.trim();
    else problems.push({ option: 'locale', expected: 'a language code like "en" or "pt-BR"', received: o.locale });
  }
  if (o.legacyOrderStatus != null && typeof o.legacyOrderStatus !== 'boolean')
    problems.push({ option: 'legacyOrderStatus', expected: 'true or false', received: o.legacyOrderStatus });
  if (o.consent != null && o.consent !== 'shopify' && o.consent !== 'granted')
    problems.push({ option: 'consent', expected: '"shopify" or "granted"', received: o.consent });
  if (o.scheme != null && o.scheme !== 'https' && o.scheme !== 'http') problems.push({ option: 'scheme', expected: '"https" or "http"', received: o.scheme });
  const resolved: ResolvedShopifyOptions = {
    marketDomain,
    marketUrl: (o.scheme === 'http' ? 'http' : 'https') + '://' + marketDomain,
    market,
    campaign,
    locale,
    legacyOrderStatus: o.legacyOrderStatus === true,
    consent: o.consent === 'granted' ? 'granted' : 'shopify',
    relay: checkRelay(o.relay, o.scheme === 'http' ? 'http' : 'https', problems),
  };
  // A real account: the orders webhook records every order, and an unsigned legacy script would be refused by the relay.
  if (resolved.relay && resolved.legacyOrderStatus)
    problems.push({
      option: 'legacyOrderStatus',
      expected: 'false together with relay',
      received: true,
      hint: 'With a relay (a real account) your orders webhook records every order; the Additional scripts box is gone anyway (2025-08-28 for Plus, 2026-08-26 for other plans).',
    });
  return { resolved, problems };
}

/** `"option" expected X, received Y. Hint` @internal */
export const describeProblem = (p: ShopifyOptionProblem, name: string = String(p.option)): string =>
  `${name} expected ${p.expected}, received ${show(p.received)}.` + (p.hint ? ' ' + p.hint : '');
