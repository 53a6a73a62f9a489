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
  /** True once the platform has been told about this landing. @internal */
  b?: 1;
}

/** Parses a stored referral (cookie value or mirror); null when absent, malformed or expired. */
export function parseReferral(raw: string | null | undefined, now = Date.now()): StoredReferral | null {
  try {
    let text = raw!;
    if (text.charAt(0) == '%') text = decodeURIComponent(text);
    const value = JSON.parse(text) as StoredReferral;
    return value && value.v === 1 && value.t && typeof value.t == 'object' && !(value.exp < now) ? value : null;
  } catch {
    return null;
  }
}

/** Reads one cookie by name from `document.cookie`. @internal */
export function readCookie(name: string): string | null {
  // A regex read instead of js-cookie: track and embed only ever read one cookie, and
  // js-cookie would cost ~0.9 KB of their 2 KB budgets.
  const match = document.cookie.match('(?:^|; )' + name + '=([^;]*)');
  return match ? match[1] : null;
}

/**
 * The referral stored on this device: the cookie first (it is shared across your
 * subdomains), then the localStorage mirror. Null when there is none, it expired, or consent
 * was denied.
 */
export function readStoredReferral(): StoredReferral | null {
  if (typeof document == 'undefined') return null;
  const cookie = parseReferral(readCookie(REFERRAL_KEY));
  const mirror = parseReferral(getItem(REFERRAL_KEY));
  // The mirror may hold tokens too long for the cookie; the cookie wins across subdomains.
  return cookie && mirror && cookie.at == mirror.at ? mirror : cookie || mirror;
}
