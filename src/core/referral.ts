// The referral format: the bp_ref cookie's value and its localStorage mirror (docs/protocol.md §3.2).
// Pure, so the Shopify pixel can parse what the storefront stored without any cookie code.
import { isRecord } from './stored-state';

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
  let value: unknown;
  try {
    value = JSON.parse(raw![0] == '%' ? decodeURIComponent(raw!) : raw!);
  } catch {
    return null;
  }
  return isStoredReferral(value) && value.exp > Date.now() ? value : null;
}

/** The shape of a stored referral: version 1, string tokens, numeric times. */
function isStoredReferral(value: unknown): value is StoredReferral {
  return (
    isRecord(value) &&
    value.v === 1 &&
    isRecord(value.t) &&
    Object.values(value.t).every((token) => typeof token == 'string') &&
    typeof value.at == 'number' &&
    typeof value.exp == 'number'
  );
}
