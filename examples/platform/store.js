// What the dev platform has received. Every change goes through `record()`, which appends to
// a list, keeps the lookups in step and bumps `version` (the dashboard polls it to reload).

/** The lists of the platform's state, as GET /api/state shows them. */
export const LISTS = ['conversions', 'duplicates', 'rejected', 'clicks', 'visits', 'referrers', 'logins', 'deliveries'];

export class Store {
  constructor() {
    /** Bumped by every change, reset included, so a watcher never misses one. */
    this.version = 0;
    this.clear();
  }

  /** Forgets everything (the version still moves on). */
  clear() {
    for (const list of LISTS) this[list] = [];
    /** Conversions by event_id, and by market + order_number (the two dedupe keys). */
    this.conversionsByEvent = new Map();
    this.conversionsByOrder = new Map();
    /** Friend vouchers issued by share links: code → { market, referrer, issued_at }. */
    this.vouchers = new Map();
    this.referrersByEmail = new Map();
    this.referrersByCode = new Map();
    this.version++;
  }

  /**
   * Appends `entry` to `list` (one of LISTS), updates the lookups and bumps the version.
   * Changes made to earlier entries before a record (a referrer's count, a delivery's outcome)
   * are published by it. Returns the entry.
   */
  record(list, entry) {
    if (!LISTS.includes(list)) throw new Error(`store.record: "list" expected one of ${LISTS.join(', ')}, received ${JSON.stringify(list)}`);
    this[list].push(entry);
    if (list == 'conversions') {
      if (entry.event_id) this.conversionsByEvent.set(entry.event_id, entry);
      this.conversionsByOrder.set(orderKey(entry.market, entry.fields.order_number), entry);
    }
    if (list == 'referrers') {
      this.referrersByEmail.set(emailKey(entry.market, entry.email), entry);
      this.referrersByCode.set(entry.code, entry);
    }
    this.version++;
    return entry;
  }

  /** The conversion this one repeats: `{ reason: 'event_id' | 'order_number', original }`, or null. */
  duplicateOf(market, orderNumber, eventId) {
    if (eventId && this.conversionsByEvent.has(eventId)) return { reason: 'event_id', original: this.conversionsByEvent.get(eventId) };
    const original = this.conversionsByOrder.get(orderKey(market, orderNumber));
    return original ? { reason: 'order_number', original } : null;
  }

  referrerByEmail(market, email) {
    return this.referrersByEmail.get(emailKey(market, email));
  }

  /** A deep copy of the lists (optionally one market's), for /api/state. */
  snapshot(market) {
    const only = (list) => (market ? list.filter((item) => item.market == market) : list);
    const copy = { version: this.version };
    for (const list of LISTS) copy[list] = list == 'deliveries' ? this.deliveries : only(this[list]);
    return structuredClone(copy);
  }
}

const orderKey = (market, orderNumber) => market + '\n' + orderNumber;
const emailKey = (market, email) => market + '\n' + email.trim().toLowerCase();
