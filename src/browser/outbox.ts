// The browser's outbox: the shared core (src/core/outbox-core.ts) over localStorage with a memory
// fallback (src/browser/storage.ts), plus what only a page has: `track`'s promise, the
// `buyapowa:*` events, and the page-hide, visible and online listeners.
import { log } from './log';
import { createOutbox, orderKey, type Outbox, type OutboxEntry, type OutboxStatus } from '../core/outbox-core';
import { getItem, removeItem, setItem } from './storage';
import { beaconAll as beaconPass } from './outbox-beacon';
import { session } from './session';

export type { OutboxEntry };

/**
 * How a conversion ended up.
 *
 * - `delivered`: the platform confirmed it (or already had it).
 * - `already_tracked`: this order was tracked before for this market; nothing was sent.
 * - `rejected`: the platform refused it for good (invalid signature, unknown market…); see `reason`.
 * - `queued`: the platform could not be reached yet. It stays in the outbox and is retried with
 *   backoff, when the browser comes back online, and by the next page that loads the SDK.
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

/** Reports an outcome to the page's listeners, and to the `track` call of `waiting` still waiting for it. */
function report(waiting: Map<string, (result: TrackResult) => void>, entry: OutboxEntry, status: OutboxStatus, reason: string, retryInMs?: number) {
  const id = entry.event.event_id;
  const order = entry.event.conversion.order_number + '';
  const result: TrackResult = { status, order, id, reason };
  const settle = waiting.get(id);
  // Each retry is a debug line; only a caller still waiting gets (and the page hears) `queued`.
  if (status === 'queued') log('debug', `order ${order}: ${reason}, retry in ${retryInMs} ms`);
  if (status === 'queued' && !settle) return;
  log(status === 'delivered' ? 'debug' : status === 'queued' ? 'warn' : 'error', `order ${order}: ${status} (${reason})`);
  dispatchEvent(new CustomEvent('buyapowa:' + status, { detail: result }));
  waiting.delete(id);
  settle?.(result);
}

const debug = (message: string) => log('debug', message);

/** The page's outbox, created (with its listeners) on first use. */
function pageOutbox(): Outbox {
  const page = session();
  if (page.outbox) return page.outbox;
  const created = createOutbox({
    // Once the session is reset (a new page, in tests), this outbox reads nothing and writes
    // nothing: its timers and late answers cannot touch the new page's outbox.
    store: {
      get: async (key) => (session() === page ? getItem(key) : null),
      set: async (key, value) => void (session() === page && setItem(key, value)),
      remove: async (key) => void (session() === page && removeItem(key)),
    },
    outboxKey: OUTBOX_KEY,
    ledgerKey: LEDGER_KEY,
    transport: 'fetch',
    // The session the outbox was created in: after a reset, an outbox still running reports
    // to its own page's callers only.
    report: (...outcome) => report((page.waiting ||= new Map()), ...outcome),
    debug,
    endpointFor: (market) => page.endpoints?.get(market),
    // Said once per page, whichever URL: the fix is the same.
    configError: (url, reason) =>
      page.saidMissing ||
      log(
        'error',
        (page.saidMissing = `${url} answered ${reason}: no endpoint there. Conversions are kept for a page with the \`relay\` option or \`trackUrl\`; see ${DOCS}`),
      ),
  });
  // The page is hiding (either event may come first, or only one): what is pending leaves
  // once by sendBeacon. It stays in the outbox until a fetch confirms it.
  const beaconAll = () => beaconPass(created, (url, body) => navigator.sendBeacon(url, body), debug);
  addEventListener('pagehide', beaconAll);
  addEventListener('visibilitychange', () => (document.hidden ? beaconAll() : created.flush()));
  addEventListener('online', () => created.retryNow());
  return (page.outbox = created);
}

/**
 * Records the order in the ledger and the conversion in the outbox (before any send), and
 * delivers it. Resolves with its first outcome, or `already_tracked`. Never rejects. @internal
 */
export function deliver(entry: OutboxEntry): Promise<TrackResult> {
  const id = entry.event.event_id;
  const order = entry.event.conversion.order_number + '';
  const page = session();
  const waiting = (page.waiting ||= new Map());
  (page.endpoints ||= new Map()).set(entry.event.market, entry.url);
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
        (error) => report(waiting, entry, 'failed', 'storage error: ' + error),
      );
  });
}

/**
 * Sends every conversion that is due, for one market or all. `url`: the market's track endpoint
 * on this page, where its conversions kept for a missing endpoint go. Never throws. @internal
 */
export function flushConversionsNow(market?: string, url?: string): void {
  if (market && url) (session().endpoints ||= new Map()).set(market, url);
  pageOutbox().flush(market);
}
