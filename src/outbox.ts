import { ledger } from './ledger';
import { log } from './log';
import { eventBody, outcomeOf, postEvent, retryDelay, type ConversionEvent } from './protocol';
import { getJSON, setItem } from './storage';

/**
 * How a conversion ended up.
 *
 * - `delivered`: the platform confirmed it (or already had it).
 * - `already_tracked`: this order was tracked before for this market; nothing was sent.
 * - `rejected`: the platform refused it for good (invalid signature, unknown market…); see `reason`.
 * - `queued`: the platform could not be reached yet. It stays in the outbox and is retried with
 *   backoff, when the browser comes back online, and by the next page that loads the SDK.
 * - `failed`: given up after 30 attempts or 7 days, or pushed out of a full outbox.
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

/** A conversion waiting for the platform's confirmation, as kept in localStorage. @internal */
export interface OutboxEntry {
  /** The request body; its `attempt` counts attempts on every page. */
  e: ConversionEvent;
  /** The track endpoint. */
  u: string;
  /** Earliest time of the next attempt (epoch ms). */
  n: number;
  /** The platform asked to wait (Retry-After): no beacon before `n`. */
  w?: 1;
}

/** Most conversions kept; beyond it the oldest is dropped, and reported. @internal */
export const OUTBOX_LIMIT = 100;
const KEY = 'bp_outbox';
const waiting: Record<string, (result: TrackResult) => void> = {};
const busy: Record<string, 1> = {};
let sending = 0;
let timer: ReturnType<typeof setTimeout>;
let listening: unknown;

const load = () => getJSON<OutboxEntry[]>(KEY, []);
function save(list: OutboxEntry[]) {
  setItem(KEY, JSON.stringify(list.slice(-OUTBOX_LIMIT)));
  list.slice(0, -OUTBOX_LIMIT).forEach((x) => finish(x, 'failed', 'the outbox is full'));
}
/** Changes the stored entry with this id, or (no change) removes it. */
const edit = (id: string, change?: Partial<OutboxEntry>) =>
  save(load().flatMap((x) => (x.e.event_id != id ? [x] : change ? [{ ...x, ...change }] : [])));

function finish(x: OutboxEntry, status: DeliveryStatus, reason: string) {
  const id = x.e.event_id;
  const order = x.e.conversion.order_number + '';
  const result: TrackResult = { status, order, id, reason };
  // Refused for good: forget the order, so a corrected conversion can be tracked.
  if (status == 'rejected' || status == 'failed') ledger(x.e.market, order, false);
  log(status == 'delivered' ? 'debug' : status == 'queued' ? 'warn' : 'error', `order ${order}: ${status} (${reason})`);
  dispatchEvent(new CustomEvent('buyapowa:' + status, { detail: result }));
  waiting[id]?.(result);
  delete waiting[id];
}

/** Writes a conversion to the outbox, before any send, and delivers it. Resolves with its first outcome. @internal */
export const deliver = (x: OutboxEntry): Promise<TrackResult> =>
  new Promise((done) => {
    waiting[x.e.event_id] = done;
    save([...load(), x]);
    flushConversionsNow();
  });

/** Sends every conversion that is due, for one market or all. @internal */
export function flushConversionsNow(market?: string): void {
  listening ||= listen();
  let soonest = 9e15;
  const list = load();
  if (list.length > OUTBOX_LIMIT) save(list); // an older page left too many: drop, and report, the oldest
  for (const x of list.slice(-OUTBOX_LIMIT))
    if (!busy[x.e.event_id] && (!market || x.e.market == market))
      if (x.n > Date.now()) soonest = Math.min(soonest, x.n);
      // A few at a time: a long outbox left by an outage goes in small tasks, not one long one.
      else if (sending < 4) send(x);
  clearTimeout(timer);
  if (soonest < 9e15) timer = setTimeout(flushConversionsNow, soonest - Date.now());
}

async function send(x: OutboxEntry) {
  const id = x.e.event_id;
  const attempt = (x.e.attempt || 0) + 1;
  busy[id] = 1;
  sending++;
  edit(id, { e: { ...x.e, attempt } });
  const { status, retryAfter, answer } = await postEvent(x.u, x.e, attempt, 'fetch');
  delete busy[id];
  sending--;
  const outcome = outcomeOf(status);
  const reason = answer.status || (status ? 'HTTP ' + status : 'network error');
  if (outcome != 'retry' || attempt > 29 || Date.now() - x.e.created_at > 6048e5) {
    // out of the outbox: confirmed, refused for good, or given up
    edit(id);
    finish(x, outcome != 'retry' ? outcome : 'failed', outcome != 'retry' ? reason : reason + ', given up');
  } else {
    const delay = retryDelay(attempt, retryAfter);
    edit(id, { n: Date.now() + delay, w: retryAfter ? 1 : undefined });
    log('debug', `order ${x.e.conversion.order_number}: ${reason}, retry in ${delay} ms`);
    if (waiting[id]) finish(x, 'queued', reason);
  }
  flushConversionsNow(); // the next ones in line
}

// The page is being hidden or unloaded: what is pending leaves by sendBeacon. It stays in the
// outbox, so the next page sends it again and the platform answers "duplicate".
function beaconAll() {
  for (const x of load())
    if (!busy[x.e.event_id] && !(x.w && x.n > Date.now())) {
      const attempt = (x.e.attempt || 0) + 1;
      const sent = navigator.sendBeacon(x.u, eventBody(x.e, attempt, 'beacon'));
      if (sent) edit(x.e.event_id, { e: { ...x.e, attempt } });
      log('debug', `order ${x.e.conversion.order_number}: sendBeacon ${sent}`);
    }
}

function listen() {
  addEventListener('pagehide', beaconAll);
  addEventListener('visibilitychange', () => (document.hidden ? beaconAll() : flushConversionsNow()));
  addEventListener('online', () => {
    save(load().map((x) => ({ ...x, n: 0 })));
    flushConversionsNow();
  });
  return 1;
}
