// One page's state, in one object: what the browser modules remember between calls on this
// page (consent, the debug switch, the outbox, the referral waiting for consent, the embeds…).
// It is created on first use and reset explicitly (`resetSession`, for tests: a new page). This
// module holds data only, no code of the modules that use it, so each free function still
// bundles only what it calls. Each field is read and written by the one module named beside it,
// which creates it when first needed.
import type { Outbox } from '../core/outbox-core';
import type { StoredReferral } from '../core/referral';
import type { ResolvedConfig } from './config';
import type { ConsentState } from './consent-state';
import type { TrackResult } from './outbox';

/** What the SDK remembers on one page. @internal */
export interface Session {
  /** log.ts: debug lines on, once any config asked for them. */
  debug?: boolean;
  /** consent-state.ts: the consent state, changed only by `setConsent`; none means granted. */
  consent?: ConsentState;
  /** consent.ts: the listeners of consent changes. */
  consentListeners?: Array<(state: ConsentState) => void>;
  /** storage.ts: what could not be persisted (private mode, a full quota, consent not granted). */
  memory?: Map<string, string>;
  /** page-params.ts: `bp_*` parameters removed from the address bar by `stripReferralParams`. */
  strippedParams?: Record<string, string>;
  /** config.ts: the script tag's `data-relay`, the `relay` of every config that has none. */
  relay?: string;
  /** outbox.ts: the page's outbox, created with its listeners on first use. */
  outbox?: Outbox;
  /** outbox.ts: this page's track endpoint per market; conversions kept for a missing endpoint go there. */
  endpoints?: Map<string, string>;
  /** outbox.ts: the missing-endpoint message, said once per page. */
  saidMissing?: string;
  /** outbox.ts: callers of `track` waiting for their conversion's first outcome, by event id. */
  waiting?: Map<string, (result: TrackResult) => void>;
  /** attribution.ts: the referral whose cookie waits for consent. */
  pendingReferral?: StoredReferral | null;
  /** attribution.ts: the config the click beacon is sent with. */
  clickFor?: ResolvedConfig;
  /** attribution.ts: whether it listens to consent changes yet. */
  listeningToConsent?: boolean;
  /** attribution.ts: the referral cookie's domain, probed once per page. */
  cookieDomain?: string;
  /** embed.ts: the embed in each container, so a new embed replaces it. */
  embeds?: WeakMap<HTMLElement, () => void>;
  /** embed-advice.ts: the advice already given on this page. */
  warnedSite?: boolean;
  warnedWidth?: boolean;
}

let current: Session | undefined;

/** The page's session, created on first use. @internal */
export const session = (): Session => (current ||= {});

/**
 * Forgets everything this page's SDK remembered: the next call starts a new session, as a new
 * page would. Listeners already added to `window` stay. For tests. @internal
 */
export function resetSession(): void {
  current = undefined;
}
