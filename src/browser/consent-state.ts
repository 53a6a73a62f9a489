import { session } from './session';

/**
 * Whether the SDK may store anything on the visitor's device.
 *
 * - `"granted"` (default): the referral cookie, its localStorage mirror and the conversion
 *   outbox are stored.
 * - `"pending"`: nothing is written; captures and conversions wait in memory and are written
 *   when consent is granted.
 * - `"denied"`: nothing is stored, and what was stored is deleted. Conversions are still sent,
 *   without the stored referral.
 */
export type ConsentState = 'granted' | 'pending' | 'denied';


/**
 * The current consent state.
 *
 * @example
 * ```ts
 * if (getConsent() === 'pending') showBanner();
 * ```
 */
export const getConsent = (): ConsentState => session().consent || 'granted';
