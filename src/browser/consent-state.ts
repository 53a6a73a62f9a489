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
 * A consent platform the SDK can follow (docs/consent.md): `"tcf"` (IAB TCF v2.2/v2.3,
 * `window.__tcfapi`), `"google"` (Google consent mode v2, gtag's `consent` commands in
 * `window.dataLayer`) or `"shopify"` (Shopify's Customer Privacy API).
 */
export type ConsentPlatform = 'tcf' | 'google' | 'shopify';

/**
 * The current consent state.
 *
 * @example
 * ```ts
 * if (getConsent() === 'pending') showBanner();
 * ```
 */
export const getConsent = (): ConsentState => session().consent || 'granted';
