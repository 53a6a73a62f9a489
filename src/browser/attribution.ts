import { resolveConfig, type BuyapowaConfig } from './config';
import { getConsent, onConsent, setConsent } from './consent';
import { writeRawCookie } from './cookie';
import { registrableDomain } from './cookie-domain';
import { uuid } from '../core/env';
import { hasDom, pagePath } from './page';
import type { BuyapowaError } from '../core/errors';
import { browserError, fieldProblem } from '../core/problems';
import { enableDebug, log } from './log';
import { newReferral, referralCookieValue, REFERRAL_KEY, type StoredReferral } from '../core/referral';
import { readStoredReferral } from './stored-referral';
import { removeItem, setItem } from './storage';
import { session } from './session';

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

/**
 * Reads the referral parameters (`bp_e`, or `referralParams`) from the page URL and
 * remembers them, with the time of the click, in the `bp_ref` first-party cookie on your
 * registrable domain (so `www.` and `bp.` subdomains share it) and in localStorage. Tokens
 * are stored raw, never decrypted. Call it once per page view, and on SPA route changes; the
 * script tag does it by itself on every page.
 *
 * @param options - `attribution` (`"last"` or `"first"` click), `attributionDays`,
 * `referralParams`, `stripReferralParams`, `cookieDomain`, `consent`, `debug`, and `url` +
 * `market` for the click beacon.
 * @returns The referral now in force, or null. Never throws.
 * @example
 * ```ts
 * captureReferral({ url: 'https://bp.your-website.com', market: 'your-market' });
 * router.afterEach(() => captureReferral());
 * ```
 */
export function captureReferral(options?: CaptureOptions): StoredReferral | null {
  return capture(options);
}

/** Reports an option of `captureReferral` given wrong: its error, its name and the value given. @internal */
export type OptionReporter = (error: BuyapowaError, key: string, value: unknown) => void;

/**
 * {@link captureReferral}, reporting each option given wrong with `report` (by default one
 * `[Buyapowa]` line; the script tag's loader passes its own, src/loader/report.ts). @internal
 */
export function capture(options?: CaptureOptions, report: OptionReporter = (error) => log('error', error.message)): StoredReferral | null {
  try {
    if (!hasDom()) return null;
    const o = options || {};
    // An option given wrong is reported, then its default is used.
    const check = (key: keyof CaptureOptions, ok: unknown) =>
      ok || report(browserError('invalid_config', 'captureReferral', fieldProblem(key, o[key])), key, o[key]);
    check('attribution', !o.attribution || /^(first|last)$/.test(o.attribution));
    check('attributionDays', o.attributionDays == null || o.attributionDays > 0);
    const given = o.referralParams;
    const names = (check('referralParams', !given || Array.isArray(given)) && given) || ['bp_e'];
    const url = new URL(location.href);
    const query = url.searchParams;
    const tokens: Record<string, string> = {};
    const page = session();
    enableDebug(o.debug);
    if (o.consent) setConsent(o.consent);
    // Only a host name is kept: this one is used by every later cookie write, consent changes included.
    check('cookieDomain', o.cookieDomain == null || typeof o.cookieDomain === 'string');
    page.cookieDomain = (typeof o.cookieDomain === 'string' && o.cookieDomain) || page.cookieDomain;
    if (!page.listeningToConsent) {
      onConsent((state) => (state === 'denied' ? clearReferral() : flush(readStoredReferral())));
      page.listeningToConsent = true;
    }
    // Not bp_p: it is plain personal data (an auto sign-up's email and name). An embed on this
    // page still gets it, by postMessage; it is never stored.
    let stripped = false;
    for (const [key, value] of [...query]) {
      if (value && names.includes(key)) tokens[key] = value;
      // Out of the address bar, but kept for an embed on this page.
      if (o.stripReferralParams && (/^bp_/.test(key) || names.includes(key))) {
        (page.strippedParams ||= {})[key] = value;
        query.delete(key);
        stripped = true;
      }
    }
    if (stripped) history.replaceState(history.state, '', url);
    // Denied: nothing is stored, and what an earlier page stored is deleted.
    if (getConsent() === 'denied') {
      clearReferral();
      return null;
    }
    let current = readStoredReferral();
    const json = JSON.stringify(tokens);
    if (json !== '{}' && (!current || (o.attribution !== 'first' && JSON.stringify(current.t) !== json))) {
      current = remember(newReferral(tokens, Date.now(), o.attributionDays! > 0 ? o.attributionDays : undefined));
      log('debug', 'captureReferral: captured', tokens);
    }
    if (o.url && o.market) page.clickFor = resolveConfig(o as BuyapowaConfig, 'captureReferral');
    flush(current);
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
  return hasDom() && getConsent() !== 'denied' ? readStoredReferral() : null;
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
  session().pendingReferral = null;
  removeItem(REFERRAL_KEY);
  setCookie('', 0);
}

/**
 * Writes the referral cookie (or, with no lifetime left, removes it) on the registrable domain.
 * Its value is already encodeURIComponent(JSON) (docs/protocol.md, 3.2): written as given.
 */
function setCookie(value: string, maxAgeSeconds: number) {
  // Probed once per page and kept: each probe is a few cookie writes.
  const page = session();
  const domain = (page.cookieDomain ||= registrableDomain());
  // A host-only copy may linger from a page that could not set the domain cookie.
  writeRawCookie(REFERRAL_KEY, '', 0);
  if (maxAgeSeconds > 0) writeRawCookie(REFERRAL_KEY, value, maxAgeSeconds, domain);
  else if (domain) writeRawCookie(REFERRAL_KEY, '', 0, domain);
}

// With consent, writes the waiting cookie and tells the platform about the landing once. `stored`
// is the referral stored, as just read or written: each read of document.cookie is a round trip
// to the browser's cookie store.
function flush(stored: StoredReferral | null) {
  if (getConsent() !== 'granted') return;
  const page = session();
  const current = page.pendingReferral || stored;
  const to = page.clickFor;
  // Once per landing: the stored referral remembers ("b") that the platform was told. The mark
  // is written before the click beacon leaves, so no cookie write of ours follows it: a relay
  // answers the beacon by re-setting the cookie for its whole window, and must not be overwritten.
  const click = to &&
    current &&
    !current.b && { v: 1, type: 'click', event_id: uuid(), market: to.market, tokens: current.t, captured_at: current.at, page: pagePath() };
  if (click) remember({ ...current, b: 1 });
  if (page.pendingReferral) writeCookie(page.pendingReferral);
  // Refused: unmarked again, so the next flush tells the platform.
  if (click && !sendBeacon(to.sendTo + '/click', JSON.stringify(click))) writeCookie(remember(current));
}

/** `navigator.sendBeacon`; false when the browser refuses the beacon (a full queue) or has no sendBeacon. */
function sendBeacon(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
}

/** Keeps `referral` in the localStorage mirror, and as the cookie to write once consent is granted. */
function remember(referral: StoredReferral): StoredReferral {
  session().pendingReferral = referral;
  setItem(REFERRAL_KEY, JSON.stringify(referral));
  return referral;
}

/** Writes `referral` as the cookie, within its bound: tokens that do not fit stay in the mirror only. */
function writeCookie(referral: StoredReferral) {
  setCookie(referralCookieValue(referral), Math.round((referral.exp - Date.now()) / 1000));
  session().pendingReferral = null;
}
