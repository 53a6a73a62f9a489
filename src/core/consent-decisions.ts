// What each consent platform's signal means for Buyapowa's storage: pure functions, shared by
// the browser adapters (src/browser/consent-platforms/) and the Shopify custom pixel. Each
// throws a TypeError that names the field when its input is malformed; callers log it and keep
// the state they had.

/**
 * A platform's answer: `"granted"` (the visitor allowed it), `"implied"` (allowed without the
 * visitor's choice: GDPR does not apply, a consent default, a region without a banner; Global
 * Privacy Control keeps it pending), `"denied"`, or `"pending"` (no decision yet).
 */
export type Decision = 'granted' | 'implied' | 'denied' | 'pending';

type Bag = Record<string | number, unknown>;
const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null;
const received = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

/** The consents object at `tcData[part].consents`; throws when it is missing. */
function consents(tcData: Bag, part: string): Bag {
  const holder = tcData[part];
  const found = isBag(holder) && holder.consents;
  if (!isBag(found)) throw new TypeError(`TCData.${part}.consents: expected an object, received ${received(isBag(holder) ? holder.consents : holder)}`);
  return found;
}

/**
 * IAB TCF v2.2/v2.3: the decision of a TCData object from `__tcfapi('addEventListener', 2, cb)`.
 * Only `tcloaded` and `useractioncomplete` decide (`cmpuishown` is still pending).
 * `gdprApplies === false` is implied consent. Otherwise Purpose 1 (store and access information
 * on a device) must have consent: for the publisher (`publisher.consents[1]`), or, given a
 * vendor id, for that vendor (`vendor.consents[id]`) and for the purpose (`purpose.consents[1]`).
 *
 * @throws TypeError when `tcData` or the consents it needs are not objects.
 * @example
 * ```ts
 * tcfDecision({ eventStatus: 'useractioncomplete', gdprApplies: true, publisher: { consents: { 1: true } } }); // 'granted'
 * ```
 */
export function tcfDecision(tcData: unknown, vendorId?: number): Decision {
  if (!isBag(tcData)) throw new TypeError('TCData: expected an object, received ' + received(tcData));
  if (tcData.eventStatus !== 'tcloaded' && tcData.eventStatus !== 'useractioncomplete') return 'pending';
  if (tcData.gdprApplies === false) return 'implied';
  const allowed = vendorId
    ? consents(tcData, 'vendor')[vendorId] === true && consents(tcData, 'purpose')[1] === true
    : consents(tcData, 'publisher')[1] === true;
  return allowed ? 'granted' : 'denied';
}

/** What the gtag consent commands seen so far say about `ad_storage`. */
export interface GoogleConsent {
  /** The last `consent default` without `region`. */
  default?: string;
  /** A `consent default` limited to regions was seen: an unscoped default grant no longer counts. */
  regional?: boolean;
  /** The last `consent update` that named `ad_storage`. */
  update?: string;
}

/**
 * Google consent mode v2: folds one `dataLayer` entry into `state`. Only the `arguments` objects
 * that `gtag('consent', 'default' | 'update', {...})` pushes count, as with gtag.js itself; other
 * entries (GTM events, arrays) are left alone.
 *
 * @throws TypeError when a consent command's parameters or `ad_storage` are malformed.
 * @example
 * ```ts
 * const state = googleStep({}, (function () { return arguments; })('consent', 'update', { ad_storage: 'granted' }));
 * googleDecision(state); // 'granted'
 * ```
 */
export function googleStep(state: GoogleConsent, entry: unknown): GoogleConsent {
  if (Object.prototype.toString.call(entry) !== '[object Arguments]') return state;
  const [command, action, params] = entry as unknown[];
  if (command !== 'consent' || (action !== 'default' && action !== 'update')) return state;
  if (!isBag(params)) throw new TypeError(`gtag('consent', '${action}', params): expected an object, received ${received(params)}`);
  const value = params.ad_storage;
  if (value === undefined) return state;
  if (value !== 'granted' && value !== 'denied')
    throw new TypeError(`gtag('consent', '${action}').ad_storage: expected "granted" or "denied", received ${JSON.stringify(value)}`);
  if (action === 'update') return { ...state, update: value };
  return params.region === undefined ? { ...state, default: value } : { ...state, regional: true };
}

/**
 * The decision of the consent commands folded by {@link googleStep}: the last update, else an
 * unscoped default grant (implied; none when a regional default exists, as the visitor's region
 * is unknown here). A default denial is pending, not denied: it is the state before the banner
 * answers, and must not delete what an earlier page stored.
 */
export function googleDecision(state: GoogleConsent): Decision {
  if (state.update) return state.update === 'granted' ? 'granted' : 'denied';
  return state.default === 'granted' && !state.regional ? 'implied' : 'pending';
}

/**
 * `marketingAllowed` of Shopify's Customer Privacy API, the one signal both the storefront and the
 * custom pixel decide on: a method of `window.Shopify.customerPrivacy`, a boolean in the Web Pixels
 * sandbox (`init.customerPrivacy`) and in `visitorConsentCollected` events. Whatever else it is
 * (missing, throwing) comes back as is, or undefined; it never throws.
 *
 * @example
 * ```ts
 * marketingAllowed(init.customerPrivacy) === false; // hold the event
 * ```
 */
export function marketingAllowed(privacy: unknown): unknown {
  try {
    const value = (privacy as Bag).marketingAllowed;
    return typeof value === 'function' ? value.call(privacy) : value;
  } catch {
    return undefined;
  }
}

/**
 * Shopify's Customer Privacy API on the storefront: the decision of `window.Shopify.customerPrivacy`
 * (or of a `visitorConsentCollected` event's booleans). {@link marketingAllowed} decides. Allowed
 * with the visitor's `"yes"` is granted, allowed otherwise (a region without a banner) implied.
 * Not allowed is denied once the visitor said no (`currentVisitorConsent().marketing === "no"`, or
 * `collected`: the value comes from a `visitorConsentCollected` event), else pending.
 *
 * @throws TypeError when `marketingAllowed` gives no boolean.
 * @example
 * ```ts
 * shopifyDecision(window.Shopify.customerPrivacy); // 'pending' before the banner is answered
 * ```
 */
export function shopifyDecision(privacy: unknown, collected = false): Decision {
  const allowed = marketingAllowed(privacy);
  if (typeof allowed !== 'boolean') throw new TypeError('customerPrivacy.marketingAllowed: expected a function or a boolean, received ' + received(allowed));
  const p = privacy as Bag;
  const given = typeof p.currentVisitorConsent === 'function' ? p.currentVisitorConsent() : undefined;
  const marketing = isBag(given) ? given.marketing : undefined;
  if (allowed) return collected || marketing === 'yes' ? 'granted' : 'implied';
  return collected || marketing === 'no' ? 'denied' : 'pending';
}
