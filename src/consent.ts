import { BuyapowaError, problem } from './errors';
import { moveStorage } from './storage';

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

let state: ConsentState = 'granted';
const listeners: Array<(state: ConsentState) => void> = [];

/**
 * The current consent state.
 *
 * @example
 * ```ts
 * if (getConsent() === 'pending') showBanner();
 * ```
 */
export const getConsent = (): ConsentState => state;

/**
 * Changes the consent state at run time: `"granted"` writes what waited in memory,
 * `"denied"` deletes what was stored.
 *
 * @throws BuyapowaError (`invalid_config`) when `next` is not one of the three states.
 * @example
 * ```ts
 * cmp.on('consent', (ok) => setConsent(ok ? 'granted' : 'denied'));
 * ```
 */
export function setConsent(next: ConsentState): void {
  if (!/^(granted|pending|denied)$/.test(next))
    throw new BuyapowaError('invalid_config', ['setConsent: ' + problem('consent', '"granted", "pending" or "denied"', next)]);
  if (next != state) {
    state = next;
    moveStorage();
    listeners.forEach((fn) => fn(next));
  }
}

/** Registers a listener for consent changes. @internal */
export const onConsent = (fn: (state: ConsentState) => void): number => listeners.push(fn);
