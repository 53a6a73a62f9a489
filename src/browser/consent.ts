import { browserError, fieldProblem } from '../core/errors';
import { consent, getConsent, type ConsentState } from './consent-state';
import { moveStorage } from './storage';

export { getConsent, type ConsentState };

const listeners: Array<(state: ConsentState) => void> = [];

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
  if (typeof next != 'string' || !/^(granted|pending|denied)$/.test(next))
    throw browserError('invalid_config', 'setConsent', fieldProblem('consent', next));
  if (next != getConsent()) {
    consent.state = next;
    moveStorage();
    listeners.forEach((fn) => fn(next));
  }
}

/** Registers a listener for consent changes. @internal */
export const onConsent = (fn: (state: ConsentState) => void): number => listeners.push(fn);
