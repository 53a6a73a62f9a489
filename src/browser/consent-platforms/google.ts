// Google consent mode v2: follows `ad_storage` in gtag's consent commands in window.dataLayer.
import { googleDecision, googleStep, type GoogleConsent } from '../../core/consent-decisions';
import type { PlatformOptions } from '../consent';
import { followConsent, type ConsentAdapter } from './follow';

/**
 * The Google consent mode adapter: reads the consent commands already in `window.dataLayer`
 * (creating it as gtag's snippet does when it is missing), then wraps `dataLayer.push` to read
 * the later ones. The wrapper calls the push it found first (gtag.js's or GTM's, which in turn
 * wrap ours when they load later) and returns what it returns. @internal
 */
export const google: ConsentAdapter = (_options, decide, say) => {
  const w = window as unknown as { dataLayer?: unknown[] };
  const layer = (w.dataLayer = w.dataLayer || []);
  if (!Array.isArray(layer)) return say('window.dataLayer is not an array; still "pending"');
  let consent: GoogleConsent = {};
  let decided = 'pending';
  const read = (entry: unknown) => {
    try {
      consent = googleStep(consent, entry);
    } catch (error) {
      return say('ignored: ' + (error as Error).message);
    }
    const decision = googleDecision(consent);
    if (decision !== decided) decide((decided = decision));
  };
  Array.from(layer).forEach(read);
  const push = layer.push;
  layer.push = function (this: unknown[], ...entries: unknown[]) {
    const result = push.apply(this, entries);
    entries.forEach(read);
    return result;
  };
};

/**
 * Follows Google consent mode v2: consent follows `ad_storage` in `gtag('consent', 'default' |
 * 'update', …)`, those pushed before the SDK loaded and later ones, without a reload. The script
 * tag does this for `data-consent="google"`. See docs/consent.md.
 *
 * @param options - `honorGlobalPrivacyControl`.
 * @example
 * ```ts
 * import { followGoogleConsent } from 'buyapowa-sdk';
 * followGoogleConsent();
 * ```
 */
export const followGoogleConsent = (options?: PlatformOptions): void => followConsent('google', google, options);
