// The referral format, in one place: the bp_ref cookie's value and its localStorage mirror
// (docs/protocol.md §3.2), its lifetime and its size cap. Pure, so the browser SDK, the Shopify
// pixel, the relay and the Shopify webhook read and write it the same way, with no cookie code.
import { isRecord } from './stored-state';

/** Name of the referral cookie and of its localStorage mirror. */
export const REFERRAL_KEY = 'bp_ref';
/** The cart attribute (an order's note attribute) the Shopify theme snippet copies the referral into. */
export const CART_REFERRAL_ATTRIBUTE = '_bp_ref';
/** Attribution window when `attributionDays` is not given, in days. */
export const DEFAULT_ATTRIBUTION_DAYS = 30;
/** One day in milliseconds. @internal */
export const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Longest referral cookie value, in bytes (URI-encoded JSON is ASCII: one byte per character).
 * Browsers keep cookies up to about 4 KB with their name and attributes; past this, the tokens
 * that do not fit are left out of the cookie and kept in the localStorage mirror only.
 */
export const REFERRAL_COOKIE_MAX_BYTES = 3000;

/**
 * A captured referral click, as stored in the `bp_ref` cookie and its localStorage mirror.
 *
 * @example
 * ```ts
 * { v: 1, t: { bp_e: 'c/wMvXhE…' }, at: 1795400000000, exp: 1797992000000 }
 * ```
 */
export interface StoredReferral {
  /** Format version. */
  v: 1;
  /** The raw tokens by parameter name, never decrypted. */
  t: Record<string, string>;
  /** When it was captured (epoch ms). */
  at: number;
  /** When it expires (epoch ms). */
  exp: number;
  /** Set once the platform has been told about this landing. @internal */
  b?: 1;
}

/**
 * A referral captured at `at` (epoch ms) for `days` days (default {@link DEFAULT_ATTRIBUTION_DAYS}).
 * @internal
 */
export const newReferral = (tokens: Record<string, string>, at: number, days = DEFAULT_ATTRIBUTION_DAYS): StoredReferral => ({
  v: 1,
  t: tokens,
  at,
  exp: at + days * DAY_MS,
});

/**
 * Parses a stored referral (a cookie value, URI-encoded or not, or the mirror's JSON, as a
 * cart attribute holds it too). Null when absent, malformed or expired; with `keepExpired`,
 * an expired one is returned too (an order placed in time, read later).
 *
 * @example
 * ```ts
 * const referral = parseReferral(await browser.cookie.get('bp_ref'));
 * ```
 */
export function parseReferral(raw: string | null | undefined, keepExpired?: boolean): StoredReferral | null {
  let value: unknown;
  try {
    value = JSON.parse(raw![0] === '%' ? decodeURIComponent(raw!) : raw!);
  } catch {
    return null;
  }
  return isStoredReferral(value) && (keepExpired || value.exp > Date.now()) ? value : null;
}

/**
 * The referral as the cookie's value: URI-encoded JSON of at most
 * {@link REFERRAL_COOKIE_MAX_BYTES}. Tokens are added in order; a token that does not fit is
 * left out (the others are kept), and stays in the localStorage mirror only. The browser's
 * cookie and the relay's `Set-Cookie` both come from here. @internal
 */
export function referralCookieValue(referral: StoredReferral): string {
  const fitting: StoredReferral = { ...referral, t: {} };
  let value = encode(fitting);
  for (const name of Object.keys(referral.t)) {
    fitting.t[name] = referral.t[name];
    const longer = encode(fitting);
    if (longer.length > REFERRAL_COOKIE_MAX_BYTES) delete fitting.t[name];
    else value = longer;
  }
  return value;
}

const encode = (referral: StoredReferral): string => encodeURIComponent(JSON.stringify(referral));

/** The shape of a stored referral: version 1, string tokens, numeric times. */
function isStoredReferral(value: unknown): value is StoredReferral {
  return (
    isRecord(value) &&
    value.v === 1 &&
    isRecord(value.t) &&
    Object.values(value.t).every((token) => typeof token === 'string') &&
    typeof value.at === 'number' &&
    typeof value.exp === 'number'
  );
}
