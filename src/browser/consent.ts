import { BuyapowaError, problem } from '../core/errors';
import type { Decision } from '../core/consent-decisions';
import { consent, getConsent, type ConsentPlatform, type ConsentState } from './consent-state';
import { log } from './log';
import { moveStorage } from './storage';

export { getConsent, type ConsentPlatform, type ConsentState };

/** What the `consent` option takes: a state, or a platform to follow. */
export type ConsentOption = ConsentState | ConsentPlatform;

/** The options a consent platform adapter reads (part of the config). */
export interface PlatformOptions {
  /** TCF: Buyapowa's vendor id in your CMP. Given, Purpose 1 needs consent for this vendor instead of the publisher. */
  tcfVendorId?: number;
  /** `false`: an implied grant (no banner, GDPR does not apply) counts even under Global Privacy Control. Default: `true`. */
  honorGlobalPrivacyControl?: boolean;
}

/**
 * A consent platform adapter (src/browser/consent-platforms/): starts following its platform and
 * calls `decide` with each decision; `say` writes a debug line. It never throws into the page.
 */
export type ConsentAdapter = (options: PlatformOptions, decide: (decision: Decision) => void, say: (message: string) => void) => void;

const listeners: Array<(state: ConsentState) => void> = [];
const PLATFORM = /^(tcf|google|shopify)$/;
/** The npm function that follows each platform, named in the error when it is missing. */
const FOLLOW: Record<ConsentPlatform, string> = { tcf: 'followTcf', google: 'followGoogleConsent', shopify: 'followShopifyPrivacy' };
/** The state each platform last decided, once its adapter runs (an adapter runs once per page). */
const last: Partial<Record<ConsentPlatform, ConsentState>> = {};
let loadPlatform: ((platform: ConsentPlatform) => ConsentAdapter | Promise<ConsentAdapter>) | undefined;

/** Applies a state: writes what waited, or moves what is stored off the device; tells the listeners. */
function apply(next: ConsentState): void {
  if (next === getConsent()) return;
  consent.state = next;
  moveStorage();
  listeners.forEach((fn) => fn(next));
  try {
    document.dispatchEvent(new CustomEvent('buyapowa:consent', { detail: next }));
  } catch {
    // no document
  }
}

/**
 * Changes the consent state at run time: `"granted"` writes what waited in memory,
 * `"denied"` deletes what was stored. It overrides a followed platform (`consent: "tcf"`…)
 * from then on. Each change dispatches `buyapowa:consent` on `document` (`detail`: the state).
 *
 * @throws BuyapowaError (`invalid_config`) when `next` is not one of the three states.
 * @example
 * ```ts
 * cmp.on('consent', (ok) => setConsent(ok ? 'granted' : 'denied'));
 * ```
 */
export function setConsent(next: ConsentState): void {
  if (typeof next !== 'string' || !/^(granted|pending|denied)$/.test(next))
    throw new BuyapowaError('invalid_config', ['setConsent: ' + problem('consent', '"granted", "pending" or "denied"', next)]);
  consent.following = undefined;
  apply(next);
}

/** Registers a listener for consent changes. @internal */
export const onConsent = (fn: (state: ConsentState) => void): number => listeners.push(fn);

/** Sets how `consent: "tcf" | "google" | "shopify"` finds its adapter (the script tag's chunks). @internal */
export const setPlatformLoader = (load: typeof loadPlatform): void => void (loadPlatform = load);

/** Starts following `platform`: its last state, else pending. False when it was followed already. */
function startFollowing(platform: ConsentPlatform): boolean {
  if (consent.following === platform) return false;
  consent.following = platform;
  apply(last[platform] || 'pending');
  log('debug', `consent: "${getConsent()}", following ${platform} (docs/consent.md)`);
  return true;
}

/** Runs a platform's adapter, once per page; its decisions apply while the platform is followed. */
function attach(platform: ConsentPlatform, adapter: ConsentAdapter, options: PlatformOptions): void {
  if (last[platform]) return;
  last[platform] = 'pending';
  const say = (message: string) => log('debug', `consent (${platform}): ${message}`);
  const gpc = options.honorGlobalPrivacyControl !== false && (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true;
  say('waiting for ' + { tcf: 'window.__tcfapi', google: "gtag('consent', …) in window.dataLayer", shopify: 'window.Shopify.customerPrivacy' }[platform]);
  try {
    adapter(
      options,
      (decision) => {
        // Global Privacy Control: a grant the visitor did not give (no banner, GDPR does not apply) stays pending.
        const next = decision === 'implied' ? (gpc ? 'pending' : 'granted') : decision;
        say(decision === 'implied' && gpc ? 'implied, but Global Privacy Control is on: "pending"' : decision);
        last[platform] = next;
        if (consent.following === platform) apply(next);
      },
      say,
    );
  } catch (error) {
    say('failed: ' + (error as Error).message);
  }
}

/**
 * Follows a consent platform with its adapter: pending until it decides, then each of its
 * decisions (later changes included) until `setConsent` overrides it. Used by the `follow…`
 * functions of each platform module. @internal
 */
export function followConsent(platform: ConsentPlatform, adapter: ConsentAdapter, options: PlatformOptions = {}): void {
  startFollowing(platform);
  attach(platform, adapter, options);
}

/**
 * Applies the `consent` option: a state (see {@link setConsent}) or a platform to follow, whose
 * adapter the script tag loads; in the npm build, call the platform's `follow…` function.
 * @throws BuyapowaError (`invalid_config`) for a value it does not know, or a wrong `tcfVendorId`.
 * @internal
 */
export function useConsent(value: ConsentOption, options: PlatformOptions = {}): void {
  if (typeof value !== 'string' || !/^(granted|pending|denied|tcf|google|shopify)$/.test(value))
    throw new BuyapowaError('invalid_config', [problem('consent', '"granted", "pending", "denied", "tcf", "google" or "shopify"', value)]);
  if (!PLATFORM.test(value)) return setConsent(value as ConsentState);
  const id = options.tcfVendorId;
  if (id != null && !(Number.isInteger(id) && id > 0)) throw new BuyapowaError('invalid_config', [problem('tcfVendorId', 'a vendor id, a whole number above 0', id)]);
  const platform = value as ConsentPlatform;
  if (!startFollowing(platform) || last[platform]) return;
  if (!loadPlatform) return log('error', `consent "${platform}": import { ${FOLLOW[platform]} } from "buyapowa-sdk" and call it; until then consent stays "pending"`);
  const load = loadPlatform;
  Promise.resolve()
    .then(() => load(platform))
    .then((adapter) => attach(platform, adapter, options))
    .catch((error) => log('error', `consent "${platform}": its adapter did not load, so consent stays "pending"`, error));
}
