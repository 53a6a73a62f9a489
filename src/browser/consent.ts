import { browserError, fieldProblem } from '../core/problems';
import { getConsent, type ConsentState } from './consent-state';
import { session } from './session';
import { moveStorage } from './storage';

export { getConsent, type ConsentState };

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
    session().consent = next;
    moveStorage();
    session().consentListeners?.forEach((fn) => fn(next));
  }
}

/** Registers a listener for consent changes. @internal */
export const onConsent = (fn: (state: ConsentState) => void): number => (session().consentListeners ||= []).push(fn);
