// Following a consent platform: the shared part of the adapters (tcf.ts, google.ts, shopify.ts).
// Imported only with an adapter, so a program that follows no platform does not carry it.
import type { Decision } from '../../core/consent-decisions';
import { BuyapowaError } from '../../core/errors';
import { problem } from '../../core/messages';
import { onConsent, routeSetConsent, setState, type ConsentPlatform, type ConsentState, type PlatformOptions } from '../consent';
import { getConsent } from '../consent-state';
import { log } from '../log';

/**
 * A consent platform adapter: starts following its platform and calls `decide` with each
 * decision; `say` writes a debug line. It never throws into the page. @internal
 */
export type ConsentAdapter = (options: PlatformOptions, decide: (decision: Decision) => void, say: (message: string) => void) => void;

/** Finds a platform's adapter: the script tag's (today bundled; the loader will fetch it as a chunk). @internal */
export type Loader = (platform: ConsentPlatform) => ConsentAdapter | Promise<ConsentAdapter>;

/** The state each platform last decided, once its adapter runs (an adapter runs once per page). */
const last: Partial<Record<ConsentPlatform, ConsentState>> = {};
const WAITS_FOR: Record<ConsentPlatform, string> = {
  tcf: 'window.__tcfapi',
  google: "gtag('consent', …) in window.dataLayer",
  shopify: 'window.Shopify.customerPrivacy',
};

/** The platform followed, if any: until setConsent is given a state. */
let following: ConsentPlatform | undefined;
let announcing = false;

/** Applies a platform's state. */
function applyConsent(platform: ConsentPlatform, next: ConsentState): void {
  following = platform;
  setState(next);
}

/** Starts following `platform`: its last state, else pending. False when it was followed already. */
function startFollowing(platform: ConsentPlatform, options: PlatformOptions): boolean {
  // Each change of state is a buyapowa:consent event (the Shopify theme snippet's cue),
  // dispatched after the SDK's own listeners have stored or deleted the referral.
  if (!announcing)
    announcing = !!onConsent((state) => Promise.resolve().then(() => document.dispatchEvent(new CustomEvent('buyapowa:consent', { detail: state }))));
  const id = options.tcfVendorId;
  if (id != null && !(Number.isInteger(id) && id > 0))
    throw new BuyapowaError('invalid_config', [problem('tcfVendorId', 'a vendor id, a whole number above 0', id)]);
  if (following === platform) return false;
  applyConsent(platform, last[platform] || 'pending');
  log('debug', `consent: "${getConsent()}", following ${platform} (docs/consent.md)`);
  return true;
}

/** Runs a platform's adapter, once per page; its decisions apply while the platform is followed. */
function attach(platform: ConsentPlatform, adapter: ConsentAdapter, options: PlatformOptions): void {
  if (last[platform]) return;
  last[platform] = 'pending';
  const say = (message: string) => log('debug', `consent (${platform}): ${message}`);
  const gpc = options.honorGlobalPrivacyControl !== false && (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true;
  say('waiting for ' + WAITS_FOR[platform]);
  try {
    adapter(
      options,
      (decision) => {
        // Global Privacy Control: a grant the visitor did not give (no banner, GDPR does not apply) stays pending.
        const next = decision === 'implied' ? (gpc ? 'pending' : 'granted') : decision;
        say(decision === 'implied' && gpc ? 'implied, but Global Privacy Control is on: "pending"' : decision);
        last[platform] = next;
        if (following === platform) applyConsent(platform, next);
      },
      say,
    );
  } catch (error) {
    say('failed: ' + (error as Error).message);
  }
}

/** The adapters known so far, with their options: each `follow…` function's, and the script tag's loader. */
const adapters: Partial<Record<ConsentPlatform, [ConsentAdapter, PlatformOptions]>> = {};
let loader: [Loader, PlatformOptions] | undefined;

/**
 * Every setConsent call once a platform is known: a known platform's name follows it; a state
 * (or anything else, refused there) goes to setConsent and overrides the platform followed.
 */
function followOption(value: string): void {
  const platform = value as ConsentPlatform;
  const known = typeof value === 'string' && /^(tcf|google|shopify)$/.test(value) && (adapters[platform] || loader);
  if (!known) {
    following = undefined;
    return setState(value as ConsentState);
  }
  const [adapter, options] = known;
  if (!startFollowing(platform, options) || last[platform]) return;
  if (known !== loader) return attach(platform, adapter as ConsentAdapter, options);
  Promise.resolve()
    .then(() => (adapter as Loader)(platform))
    .then((found) => attach(platform, found, options))
    .catch((error) => log('error', `consent "${platform}": its adapter did not load, so consent stays "pending"`, error));
}

/**
 * Follows a consent platform with its adapter: pending until it decides, then each of its
 * decisions (later changes included) until `setConsent` is given a state. Used by the `follow…`
 * function of each platform module; `setConsent` and the `consent` option take the platform's
 * name from then on.
 * @throws BuyapowaError (`invalid_config`) for a wrong `tcfVendorId`.
 * @internal
 */
export function followConsent(platform: ConsentPlatform, adapter: ConsentAdapter, options: PlatformOptions = {}): void {
  adapters[platform] = [adapter, options];
  routeSetConsent(followOption);
  startFollowing(platform, options);
  attach(platform, adapter, options);
}

/**
 * Takes over from the script tag's hook (hook.ts) once the consent chunk has loaded: follows
 * `platform` with its adapter from `chunk`, and from then on `setConsent` follows any platform.
 * `options` are the script tag's data attributes, as strings. @internal
 */
export function takeOver(platform: ConsentPlatform, chunk: Record<ConsentPlatform, ConsentAdapter>, data: Record<string, unknown>): void {
  const options: PlatformOptions = {
    tcfVendorId: data.tcfVendorId == null ? undefined : +(data.tcfVendorId as string),
    honorGlobalPrivacyControl: data.honorGlobalPrivacyControl !== 'false' && data.honorGlobalPrivacyControl !== false,
  };
  loader = [(other) => chunk[other], options];
  followConsent(platform, chunk[platform], options);
}
