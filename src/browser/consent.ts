import { browserError, fieldProblem } from '../core/problems';
import { getConsent, type ConsentPlatform, type ConsentState } from './consent-state';
import { session } from './session';
import { moveStorage } from './storage';

export { getConsent, type ConsentPlatform, type ConsentState };

/** What the `consent` option takes: a state, or a platform to follow (docs/consent.md). */
export type ConsentOption = ConsentState | ConsentPlatform;

/** The options of a consent platform: the script tag's data attributes, or a `follow…` function's argument. */
export interface PlatformOptions {
  /** TCF: Buyapowa's vendor id in your CMP. Given, Purpose 1 needs consent for this vendor instead of the publisher. */
  tcfVendorId?: number;
  /** `false`: an implied grant (no banner, GDPR does not apply) counts even under Global Privacy Control. Default: `true`. */
  honorGlobalPrivacyControl?: boolean;
}

/** setConsent as given to the page before any platform is known: the three states. @internal */
export function setState(next: ConsentState): void {
  if (typeof next !== 'string' || !/^(granted|pending|denied)$/.test(next)) throw browserError('invalid_config', 'setConsent', fieldProblem('consent', next));
  if (next !== getConsent()) {
    session().consent = next;
    moveStorage();
    session().consentListeners?.forEach((fn) => fn(next));
  }
}

/**
 * Changes the consent state at run time: `"granted"` writes what waited in memory,
 * `"denied"` deletes what was stored. Once a platform's adapter is known (the script tag knows
 * all three; in the npm build, a `follow…` function ran), it also takes `"tcf"`, `"google"` or
 * `"shopify"` to follow that platform (again), and a state overrides the platform followed.
 *
 * @throws BuyapowaError (`invalid_config`) when `next` is not one of the three states (or a known platform).
 * @example
 * ```ts
 * cmp.on('consent', (ok) => setConsent(ok ? 'granted' : 'denied'));
 * ```
 */
// A binding that src/browser/consent-platforms/follow.ts and hook.ts re-point (routeSetConsent)
// once a platform is known, so the calls that store carry none of the platforms' code.
export let setConsent: (next: ConsentOption) => void = setState as (next: ConsentOption) => void;

/** Routes every setConsent call (and so the `consent` option) through `route`. @internal */
export const routeSetConsent = (route: (next: ConsentOption) => void): void => void (setConsent = route);

/** Registers a listener for consent changes. @internal */
export const onConsent = (fn: (state: ConsentState) => void): number => (session().consentListeners ||= []).push(fn);
