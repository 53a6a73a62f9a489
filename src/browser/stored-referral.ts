// The referral stored on this device: the bp_ref cookie and its localStorage mirror.
import { readCookie } from './cookie';
import { log } from './log';
import { getItem } from './storage';
import { parseReferral, REFERRAL_KEY, type StoredReferral } from '../core/referral';

/**
 * The referral stored on this device: the cookie first (it is shared across your
 * subdomains), then the localStorage mirror, which may hold tokens too long for the cookie.
 * @internal
 */
export function readStoredReferral(): StoredReferral | null {
  // Written and removed in attribution.ts; parseReferral decodes the cookie's value.
  const [cookie, mirror] = [readCookie(REFERRAL_KEY), getItem(REFERRAL_KEY)].map((raw) => {
    const referral = parseReferral(raw);
    if (raw && !referral) log('debug', 'the stored referral is expired or not a referral; ignored');
    return referral;
  });
  return cookie && mirror && cookie.at === mirror.at ? mirror : cookie || mirror;
}
