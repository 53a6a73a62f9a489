import Cookies from 'js-cookie';
import { resolveConfig, type BuyapowaConfig } from './config';
import { getConsent, onConsent, setConsent } from './consent';
import { registrableDomain } from './cookie-domain';
import { hasDom, pagePath, uuid } from './env';
import { log, enableDebug } from './log';
import { strippedParams } from './page-params';
import { REFERRAL_KEY, readStoredReferral, type StoredReferral } from './referral';
import { removeItem, setItem } from './storage';

/**
 * Options of `captureReferral`: any part of the config. With `url` and `market`, the platform
 * is told about the landing (the click beacon).
 *
 * @example
 * ```ts
 * { url: 'https://bp.your-website.com', market: 'your-market', attribution: 'first', attributionDays: 60 }
 * ```
 */
export type CaptureOptions = Partial<BuyapowaConfig>;

const DAY = 864e5;
const COOKIE_LIMIT = 3000;
let toWrite: StoredReferral | null = null;
let clickFor: CaptureOptions | null = null;
let listening = false;
let domain: string | undefined;

/**
 * Reads the referral parameters (`bp_e`, `bp_p`, or `referralParams`) from the page URL and
 * remembers them, with the time of the click, in the `bp_ref` first-party cookie on your
 * registrable domain (shared by `www.` and `bp.` subdomains) and in localStorage. Tokens are
 * stored raw, never decrypted. Call it once per page view, and on SPA route changes.
 * The script tag does this by itself on every page.
 *
 * @param options - `attribution` (`"last"` or `"first"` click), `attributionDays`,
 * `referralParams`, `stripReferralParams`, `cookieDomain`, `consent`, and `url` + `market`
 * for the click beacon.
 * @returns The referral now in force, or null. Never throws.
 * @example
 * ```ts
 * captureReferral({ url: 'https://bp.your-website.com', market: 'your-market' });
 * router.afterEach(() => captureReferral());
 * ```
 */
export function captureReferral(options: CaptureOptions = {}): StoredReferral | null {
  try {
    if (!hasDom()) return null;
    const o = options || {};
    enableDebug(o.debug);
    if (o.consent) setConsent(o.consent);
    if (o.cookieDomain) domain = o.cookieDomain;
    listen();
    const query = new URLSearchParams(location.search);
    const names = o.referralParams || ['bp_e', 'bp_p'];
    const tokens: Record<string, string> = {};
    for (const name of names) {
      const value = query.get(name);
      if (value) tokens[name] = value;
    }
    if (o.stripReferralParams) strip(query, names);
    let current = readStoredReferral();
    const landed = Object.keys(tokens).length > 0;
    if (getConsent() == 'denied') return null;
    if (landed && (!current || (o.attribution != 'first' && JSON.stringify(current.t) != JSON.stringify(tokens)))) {
      const now = Date.now();
      const days = o.attributionDays! > 0 ? o.attributionDays! : 30;
      current = { v: 1, t: tokens, at: now, exp: now + days * DAY };
      log('debug', 'captureReferral: captured ' + Object.keys(tokens).join(', '));
      store(current);
    }
    if (current && !current.b && o.url && o.market) {
      clickFor = o;
      sendClick();
    }
    return current;
  } catch (error) {
    log('error', 'captureReferral failed', error);
    return null;
  }
}

/**
 * The referral stored on this device, or null. Use it to copy the token into a cart
 * attribute or an order form, so the referral travels with the order.
 *
 * @example
 * ```ts
 * const referral = getReferral();
 * if (referral) cart.setAttribute('_bp_ref', referral.t.bp_e);
 * ```
 */
export function getReferral(): StoredReferral | null {
  return getConsent() == 'denied' ? null : readStoredReferral();
}

/**
 * Deletes the stored referral: the cookie and its localStorage mirror.
 *
 * @example
 * ```ts
 * clearReferral();
 * ```
 */
export function clearReferral(): void {
  if (!hasDom()) return;
  toWrite = null;
  removeItem(REFERRAL_KEY);
  Cookies.remove(REFERRAL_KEY, { path: '/', domain: cookieDomain() });
  Cookies.remove(REFERRAL_KEY, { path: '/' });
}

const cookieDomain = () => (domain === undefined ? (domain = registrableDomain()) : domain) || undefined;

function store(referral: StoredReferral) {
  const json = JSON.stringify(referral);
  setItem(REFERRAL_KEY, json);
  if (getConsent() != 'granted') {
    toWrite = referral; // written to the cookie when consent is granted
    return;
  }
  toWrite = null;
  // The cookie is bounded: tokens that don't fit stay in the localStorage mirror only.
  const small: StoredReferral = { ...referral, t: {} };
  for (const name in referral.t) {
    small.t[name] = referral.t[name];
    if (encodeURIComponent(JSON.stringify(small)).length > COOKIE_LIMIT) delete small.t[name];
  }
  Cookies.set(REFERRAL_KEY, JSON.stringify(small), {
    path: '/',
    domain: cookieDomain(),
    sameSite: 'Lax',
    secure: location.protocol == 'https:',
    expires: new Date(referral.exp),
  });
}

function sendClick() {
  const current = readStoredReferral();
  const o = clickFor;
  if (!o || !current || current.b || getConsent() != 'granted') return;
  clickFor = null;
  try {
    const c = resolveConfig(o as BuyapowaConfig, 'captureReferral');
    const body = JSON.stringify({
      v: 1,
      type: 'click',
      event_id: uuid(),
      market: c.market,
      tokens: current.t,
      captured_at: current.at,
      page: pagePath(),
    });
    navigator.sendBeacon(c.base + '/click', new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    store({ ...current, b: 1 });
  } catch (error) {
    log('warn', 'captureReferral: the click beacon could not be sent', error);
  }
}

/** Removes `bp_*` and the referral parameters from the address bar, keeping them for this page. */
function strip(query: URLSearchParams, names: string[]) {
  let changed = false;
  for (const [key, value] of Array.from(query)) {
    if (key.startsWith('bp_') || names.includes(key)) {
      strippedParams[key] = value;
      query.delete(key);
      changed = true;
    }
  }
  if (changed) {
    const search = query.toString();
    history.replaceState(history.state, '', location.pathname + (search ? '?' + search : '') + location.hash);
  }
}

function listen() {
  if (listening) return;
  listening = true;
  onConsent((state) => {
    if (state == 'granted') {
      if (toWrite) store(toWrite);
      sendClick();
    } else if (state == 'denied') clearReferral();
  });
}
