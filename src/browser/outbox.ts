// The browser's outbox: the shared core (src/core/outbox-core.ts) over localStorage with a memory
// fallback (src/browser/storage.ts), plus what only a page has: `track`'s promise, the
// `buyapowa:*` events, and the page-hide, visible and online listeners.
import { log } from './log';
import { beaconAll, createOutbox, orderKey, type Outbox, type OutboxEntry, type OutboxStatus } from '../core/outbox-core';
import { getItem, removeItem, setItem } from './storage';

export type { OutboxEntry };

/**
 * How a conversion ended up.
 *
 * - `delivered`: the platform confirmed it (or already had it).
 * - `already_tracked`: this order was tracked before for this market; nothing was sent.
 * - `rejected`: the platform refused it for good (invalid signature, unknown market…); see `reason`.
 * - `queued`: the platform could not be reached yet. It stays in the outbox and is retried with
 *   backoff, when the browser comes back online, and by the next page that loads the SDK. Also
 *   when the endpoint answered 404 or 405 (no endpoint there: a configuration error, logged once
 *   per page): a later page whose `relay` or `trackUrl` leads elsewhere sends it there.
 * - `failed`: given up after 30 attempts or 7 days, or pushed out of a full outbox (100 conversions).
 */
export type DeliveryStatus = 'delivered' | 'already_tracked' | 'rejected' | 'queued' | 'failed';

/**
 * The outcome of `track`. Also the `detail` of the `buyapowa:delivered`, `buyapowa:rejected`,
 * `buyapowa:queued` and `buyapowa:failed` events dispatched on `window`, which also report
 * conversions that a later page delivers.
 *
 * @example
 * ```ts
 * addEventListener('buyapowa:rejected', (e) => report((e as CustomEvent<TrackResult>).detail));
 * ```
 */
export interface TrackResult {
  /** See {@link DeliveryStatus}. */
  status: DeliveryStatus;
  /** The order number. */
  order: string;
  /** The event id sent with every attempt, for the platform's deduplication. */
  id?: string;
  /** The platform's answer (`created`, `duplicate`, `invalid_signature`, `HTTP 500`, `network error`…). */
  reason?: string;
}

/** localStorage key of the conversions not yet confirmed by the platform. @internal */
export const OUTBOX_KEY = 'bp_outbox:v2';
/** localStorage key of the orders already tracked (`"{market} {order}"`, newest kept). @internal */
export const LEDGER_KEY = 'bp_ledger:v2';
// The unversioned keys of unreleased builds (`bp_outbox`, `bp_ledger`) are not read.
/** Where a missing endpoint's message sends the merchant. */
const DOCS = 'https://github.com/buyapowa-sdk/buyapowa-sdk/blob/main/docs/real-account.md';
// Callers of `track` waiting for their conversion's first outcome, by event id.
const waiting = new Map<string, (result: TrackResult) => void>();
let outbox: Outbox | undefined;
let saidMissing: string | undefined;
// This page's track endpoint per market (from `track` and `new Buyapowa`): conversions kept for
// a missing endpoint go there.
const endpoints = new Map<string, string>();

function report(entry: OutboxEntry, status: OutboxStatus, reason: string, retryInMs?: number) {
  const id = entry.event.event_id;
  const order = entry.event.conversion.order_number + '';
  const result: TrackResult = { status, order, id, reason };
  const settle = waiting.get(id);
  // Each retry is a debug line; only a caller still waiting gets (and the page hears) `queued`.
  if (status == 'queued') log('debug', `order ${order}: ${reason}, retry in ${retryInMs} ms`);
  if (status == 'queued' && !settle) return;
  log(status == 'delivered' ? 'debug' : status == 'queued' ? 'warn' : 'error', `order ${order}: ${status} (${reason})`);
  dispatchEvent(new CustomEvent('buyapowa:' + status, { detail: result }));
  waiting.delete(id);
  settle?.(result);
}

/** The page's outbox, created (with its listeners) on first use. */
function pageOutbox(): Outbox {
  if (outbox) return outbox;
  const created = createOutbox({
    store: {
      get: async (key) => getItem(key),
      set: async (key, value) => setItem(key, value),
      remove: async (key) => removeItem(key),
    },
    outboxKey: OUTBOX_KEY,
    ledgerKey: LEDGER_KEY,
    transport: 'fetch',
    report,
    debug: (message) => log('debug', message),
    endpointFor: (market) => endpoints.get(market),
    // Said once per page, whichever URL: the fix is the same.
    configError: (url, reason) =>
      saidMissing || log('error', (saidMissing = `${url} answered ${reason}: no endpoint there. Conversions are kept for a page with the \`relay\` option or \`trackUrl\`; see ${DOCS}`)),
  });
  // The page is hiding (either event may come first, or only one): what is pending leaves
  // once by sendBeacon. It stays in the outbox until a fetch confirms it.
  const hiding = () => beaconAll(created, (url, body) => navigator.sendBeacon(url, body), (message) => log('debug', message));
  addEventListener('pagehide', hiding);
  addEventListener('visibilitychange', () => (document.hidden ? hiding() : created.flush()));
  addEventListener('online', () => created.retryNow());
  return (outbox = created);
}

/**
 * Records the order in the ledger and the conversion in the outbox (before any send), and
 * delivers it. Resolves with its first outcome, or `already_tracked`. Never rejects. @internal
 */
export function deliver(entry: OutboxEntry): Promise<TrackResult> {
  const id = entry.event.event_id;
  const order = entry.event.conversion.order_number + '';
  endpoints.set(entry.event.market, entry.url);
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    pageOutbox()
      .add([orderKey(entry.event.market, order)], entry)
      .then(
        (added) => {
          if (added) return;
          waiting.delete(id);
          log('debug', `track: order ${order} was already tracked; nothing sent`);
          resolve({ status: 'already_tracked', order });
        },
        (error) => report(entry, 'failed', 'storage error: ' + error),
      );
  });
}

/**
 * Sends every conversion that is due, for one market or all. `url`: the market's track endpoint
 * on this page, where its conversions kept for a missing endpoint go. Never throws. @internal
 */
export function flushConversionsNow(market?: string, url?: string): void {
  if (market && url) endpoints.set(market, url);
  pageOutbox().flush(market);
}
