import { getItem } from './storage';

/** Name of the referral cookie and of its localStorage mirror. */
export const REFERRAL_KEY = 'bp_ref';

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
 * Parses a stored referral (a cookie value, URI-encoded or not, or the mirror's JSON).
 * Null when absent, malformed or expired.
 *
 * @example
 * ```ts
 * const referral = parseReferral(await browser.cookie.get('bp_ref'));
 * ```
 */
export function parseReferral(raw: string | null | undefined): StoredReferral | null {
  try {
    const value = JSON.parse(raw![0] == '%' ? decodeURIComponent(raw!) : raw!);
    return value.v == 1 && value.t && value.exp > Date.now() ? value : null;
  } catch {
    return null;
  }
}

/**
 * The referral stored on this device: the cookie first (it is shared across your
 * subdomains), then the localStorage mirror, which may hold tokens too long for the cookie.
 * @internal
 */
export function readStoredReferral(): StoredReferral | null {
  // A regex read instead of js-cookie: track and embed only read this one cookie, and
  // js-cookie would cost ~0.9 KB of their 2 KB budgets.
  const cookie = parseReferral((document.cookie.match(/(?:^|; )bp_ref=([^;]*)/) || [])[1]);
  const mirror = parseReferral(getItem(REFERRAL_KEY));
  return cookie && mirror && cookie.at == mirror.at ? mirror : cookie || mirror;
}
