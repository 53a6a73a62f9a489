// What the dev platform has received. Every change goes through `record()`, which appends to
// a list, keeps the lookups in step and bumps `version` (the dashboard polls it to reload).

/** @type {ListName[]} The lists of the platform's state, as GET /api/state shows them. */
export const LISTS = ['conversions', 'duplicates', 'rejected', 'clicks', 'visits', 'referrers', 'logins', 'deliveries'];

/** @typedef {import('./platform').PlatformState} PlatformState */
/** @typedef {'conversions' | 'duplicates' | 'rejected' | 'clicks' | 'visits' | 'referrers' | 'logins' | 'deliveries'} ListName */
/** An entry of a list: read back through /api/state (platform.d.ts describes each list's shape). */
/** @typedef {Record<string, any>} Entry */

export class Store {
  constructor() {
    /** Bumped by every change, reset included, so a watcher never misses one. */
    this.version = 0;
    /** @type {Entry[]} */ this.conversions = [];
    /** @type {Entry[]} */ this.duplicates = [];
    /** @type {Entry[]} */ this.rejected = [];
    /** @type {Entry[]} */ this.clicks = [];
    /** @type {Entry[]} */ this.visits = [];
    /** @type {Entry[]} */ this.referrers = [];
    /** @type {Entry[]} */ this.logins = [];
    /** @type {Entry[]} */ this.deliveries = [];
    /** Conversions by event_id, and by market + order_number (the two dedupe keys). */
    /** @type {Map<string, Entry>} */ this.conversionsByEvent = new Map();
    /** @type {Map<string, Entry>} */ this.conversionsByOrder = new Map();
    /** Friend vouchers issued by share links: code → { market, referrer, issued_at }. */
    /** @type {Map<string, { market: string, referrer: string, issued_at: number }>} */ this.vouchers = new Map();
    /** @type {Map<string, Entry>} */ this.referrersByEmail = new Map();
    /** @type {Map<string, Entry>} */ this.referrersByCode = new Map();
    this.clear();
  }

  /** Forgets everything (the version still moves on). */
  clear() {
    for (const list of LISTS) this[list] = [];
    this.conversionsByEvent = new Map();
    this.conversionsByOrder = new Map();
    this.vouchers = new Map();
    this.referrersByEmail = new Map();
    this.referrersByCode = new Map();
    this.version++;
  }

  /**
   * Appends `entry` to `list` (one of LISTS), updates the lookups and bumps the version.
   * Changes made to earlier entries before a record (a referrer's count, a delivery's outcome)
   * are published by it. Returns the entry.
   *
   * @template {Entry} E
   * @param {ListName} list
   * @param {E} entry
   * @returns {E}
   */
  record(list, entry) {
    if (!LISTS.includes(list)) throw new Error(`store.record: "list" expected one of ${LISTS.join(', ')}, received ${JSON.stringify(list)}`);
    this[list].push(entry);
    if (list === 'conversions') {
      if (entry.event_id) this.conversionsByEvent.set(entry.event_id, entry);
      this.conversionsByOrder.set(orderKey(entry.market, entry.fields.order_number), entry);
    }
    if (list === 'referrers') {
      this.referrersByEmail.set(emailKey(entry.market, entry.email), entry);
      this.referrersByCode.set(entry.code, entry);
    }
    this.version++;
    return entry;
  }

  /**
   * The conversion this one repeats: `{ reason: 'event_id' | 'order_number', original }`, or null.
   *
   * @param {string} market
   * @param {string} orderNumber
   * @param {string | null | undefined} eventId
   * @returns {{ reason: 'event_id' | 'order_number', original: any } | null}
   */
  duplicateOf(market, orderNumber, eventId) {
    if (eventId && this.conversionsByEvent.has(eventId)) return { reason: 'event_id', original: this.conversionsByEvent.get(eventId) };
    const original = this.conversionsByOrder.get(orderKey(market, orderNumber));
    return original ? { reason: 'order_number', original } : null;
  }

  /**
   * The market's referrer with this email (any case), or undefined.
   *
   * @param {string} market
   * @param {string} email
   */
  referrerByEmail(market, email) {
    return this.referrersByEmail.get(emailKey(market, email));
  }

  /**
   * A deep copy of the lists (optionally one market's), for /api/state.
   *
   * @param {string} [market]
   * @returns {{ version: number } & Record<ListName, any[]>}
   */
  snapshot(market) {
    const only = (/** @type {Entry[]} */ list) => (market ? list.filter((item) => item.market === market) : list);
    const copy = /** @type {{ version: number } & Record<ListName, any[]>} */ ({ version: this.version });
    for (const list of LISTS) copy[list] = list === 'deliveries' ? this.deliveries : only(this[list]);
    return structuredClone(copy);
  }
}

const orderKey = (/** @type {string} */ market, /** @type {unknown} */ orderNumber) => market + '\n' + orderNumber;
const emailKey = (/** @type {string} */ market, /** @type {string} */ email) => market + '\n' + email.trim().toLowerCase();
