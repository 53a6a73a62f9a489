// IAB TCF v2.2 and v2.3: follows the CMP's `__tcfapi('addEventListener', 2, cb)`.
import { tcfDecision } from '../../core/consent-decisions';
import type { PlatformOptions } from '../consent';
import { followConsent, type ConsentAdapter } from './follow';

type TcfApi = (command: string, version: number, callback: (tcData: unknown, success: boolean) => void) => void;

/** How often, and how many times, the adapter looks for a CMP that loads after the SDK. */
const POLL_MS = 250;
const POLLS = 120;

/**
 * The TCF adapter. A CMP installs the standard `__tcfapi` stub (with its `__tcfapiLocator` frame)
 * before its own script loads, and the stub queues our call; a CMP without a stub that loads after
 * the SDK is found by looking for `window.__tcfapi` every 250 ms for 30 s, then once more when the
 * page's `load` event fires. @internal
 */
export const tcf: ConsentAdapter = (options, decide, say) => {
  let polls = 0;
  let listening = false;
  const listen = (): void => {
    const api = (window as { __tcfapi?: TcfApi }).__tcfapi;
    if (listening) return;
    if (typeof api !== 'function') {
      if (++polls === POLLS) say('no window.__tcfapi after 30 s; still "pending", looking again at the page\'s load event');
      else if (polls < POLLS) setTimeout(listen, POLL_MS);
      return;
    }
    listening = true;
    try {
      api('addEventListener', 2, (tcData, success) => {
        if (success === false) return say('__tcfapi answered success: false');
        try {
          const decision = tcfDecision(tcData, options.tcfVendorId);
          if (decision !== 'pending') decide(decision);
        } catch (error) {
          say('ignored: ' + (error as Error).message);
        }
      });
    } catch (error) {
      say('__tcfapi threw: ' + (error as Error).message);
    }
  };
  listen();
  if (!listening) addEventListener('load', listen);
};

/**
 * Follows the visitor's choice in your IAB TCF v2.2/v2.3 CMP: consent is `"pending"` until the
 * CMP has a TC string, then granted when Purpose 1 has consent (for the publisher, or for
 * `tcfVendorId` when given), denied otherwise; later changes are followed without a reload. The
 * script tag does this for `data-consent="tcf"`. See docs/consent.md.
 *
 * @param options - `tcfVendorId`, `honorGlobalPrivacyControl`.
 * @example
 * ```ts
 * import { followTcf } from 'buyapowa-sdk';
 * followTcf({ tcfVendorId: 1234 });
 * ```
 */
export const followTcf = (options?: PlatformOptions): void => followConsent('tcf', tcf, options);
