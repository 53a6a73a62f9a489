import { log } from './log';
import { outcomeOf, type ConversionEvent } from './protocol';
import { forget } from './ledger';
import { getJSON, removeItem, setItem } from './storage';

/**
 * How a conversion ended up.
 *
 * - `delivered`: the platform confirmed it (or already had it).
 * - `already_tracked`: this order was tracked before for this market; nothing was sent.
 * - `rejected`: the platform refused it for good (invalid signature, unknown market…); see `reason`.
 * - `queued`: the platform could not be reached on this page; it stays in the outbox and is
 *   sent on the next page that loads the SDK, or when the browser comes back online.
 * - `failed`: given up after too many attempts or too long, or pushed out of a full outbox.
 */
export type DeliveryStatus = 'delivered' | 'already_tracked' | 'rejected' | 'queued' | 'failed';

/**
 * The outcome of `track`, also the `detail` of the `buyapowa:delivered` and
 * `buyapowa:failed` events dispatched on `window`.
 *
 * @example
 * ```ts
 * addEventListener('buyapowa:failed', (e) => report((e as CustomEvent<TrackResult>).detail));
 * ```
 */
export interface TrackResult {
  /** See {@link DeliveryStatus}. */
  status: DeliveryStatus;
  /** The order number tracked. */
  orderNumber: string;
  /** The event id sent with every attempt, for the platform's deduplication. */
  eventId?: string;
  /** The platform's last HTTP status (0 for a network error). */
  httpStatus?: number;
  /** Why it was rejected or failed. */
  reason?: string;
  /** Problems reported while checking the conversion. */
  warnings: string[];
}

/** A conversion waiting for the platform's confirmation. @internal */
export interface OutboxEntry {
  id: string;
  url: string;
  market: string;
  order: string;
  event: ConversionEvent;
  /** Attempts so far, on every page. */
  tries: number;
  /** Earliest time of the next attempt (epoch ms). */
  next: number;
  /** The platform asked to wait (Retry-After): no beacon before `next`. */
  wait?: 1;
}

const KEY = 'bp_outbox';
/** Most conversions kept; the oldest is dropped (and reported) beyond it. */
export const OUTBOX_LIMIT = 100;
const MAX_AGE = 7 * 864e5;
const MAX_TRIES = 30;
const TRIES_PER_PAGE = 6;
const MAX_DELAY = 6e4;

const waiting: Record<string, Array<(result: TrackResult) => void>> = {};
const warningsById: Record<string, string[]> = {};
const inflight: Record<string, number> = {};
const triesHere: Record<string, number> = {};
let timer: ReturnType<typeof setTimeout> | undefined;
let listening = false;

const load = (): OutboxEntry[] => getJSON<OutboxEntry[]>(KEY, []);
const save = (list: OutboxEntry[]) => (list.length ? setItem(KEY, JSON.stringify(list)) : removeItem(KEY));

function update(id: string, change: (entry: OutboxEntry) => OutboxEntry | null) {
  const list = load();
  const i = list.findIndex((e) => e.id == id);
  if (i < 0) return;
  const next = change(list[i]);
  next ? (list[i] = next) : list.splice(i, 1);
  save(list);
}

function finish(entry: OutboxEntry, status: DeliveryStatus, httpStatus?: number, reason?: string) {
  const result: TrackResult = { status, orderNumber: entry.order, eventId: entry.id, httpStatus, reason, warnings: warningsById[entry.id] || [] };
  if (status != 'queued') {
    delete warningsById[entry.id];
    try {
      dispatchEvent(new CustomEvent(status == 'delivered' ? 'buyapowa:delivered' : 'buyapowa:failed', { detail: result }));
    } catch {
      // no window events: the promise still settles
    }
  }
  (waiting[entry.id] || []).forEach((done) => done(result));
  delete waiting[entry.id];
  return result;
}

/**
 * Writes a conversion to the outbox (before any send) and starts delivering it.
 * Resolves with its outcome. @internal
 */
export function deliver(entry: OutboxEntry, warnings: string[]): Promise<TrackResult> {
  const result = new Promise<TrackResult>((done) => (waiting[entry.id] = [done]));
  warningsById[entry.id] = warnings;
  const list = load();
  list.push(entry);
  while (list.length > OUTBOX_LIMIT) {
    const dropped = list.shift()!;
    log('error', `the outbox is full (${OUTBOX_LIMIT}): order ${dropped.order} was dropped without confirmation`);
    finish(dropped, 'failed', undefined, 'outbox full');
  }
  save(list);
  flushConversionsNow();
  return result;
}

/**
 * Sends every conversion that is due, for one market or all. Called on page load, on
 * `online`, and by `track`. @internal
 */
export function flushConversionsNow(market?: string): void {
  listen();
  const now = Date.now();
  let soonest = Infinity;
  for (const entry of load()) {
    if ((market && entry.market != market) || inflight[entry.id]) continue;
    if ((triesHere[entry.id] || 0) >= TRIES_PER_PAGE) continue;
    if (entry.next > now) soonest = Math.min(soonest, entry.next);
    else send(entry);
  }
  if (soonest < Infinity) {
    clearTimeout(timer);
    timer = setTimeout(flushConversionsNow, soonest - now);
  }
}

async function send(entry: OutboxEntry) {
  inflight[entry.id] = 1;
  triesHere[entry.id] = (triesHere[entry.id] || 0) + 1;
  const tries = entry.tries + 1;
  update(entry.id, (e) => ({ ...e, tries }));
  let status = 0;
  let retryAfter: string | null = null;
  let answer: { status?: string } = {};
  try {
    const body = JSON.stringify({ ...entry.event, sent_at: Date.now(), attempt: tries, transport: 'fetch' });
    const response = await fetch(entry.url, {
      method: 'POST',
      body,
      // keepalive lets it outlive the page; its 64 KB quota is shared, so big bodies go without.
      keepalive: body.length < 6e4,
      credentials: 'include',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    });
    status = response.status;
    retryAfter = response.headers.get('Retry-After');
    answer = await response.json().catch(() => ({}));
  } catch {
    // network error, blocked, or CORS: retried below
  }
  delete inflight[entry.id];
  const outcome = outcomeOf(status);
  const what = `order ${entry.order} (event ${entry.id})`;
  if (outcome == 'delivered') {
    update(entry.id, () => null);
    log('debug', `delivered ${what}: ${status} ${answer.status || ''}`);
    return finish(entry, 'delivered', status, answer.status);
  }
  if (outcome == 'rejected') {
    update(entry.id, () => null);
    log('error', `the platform refused ${what} with ${status} ${answer.status || ''}; it will not be retried. Check the conversion's fields and signature.`);
    forget(entry.market, entry.order);
    return finish(entry, 'rejected', status, answer.status || 'HTTP ' + status);
  }
  const now = Date.now();
  if (tries >= MAX_TRIES || now - entry.event.created_at > MAX_AGE) {
    update(entry.id, () => null);
    log('error', `gave up on ${what} after ${tries} attempts over ${Math.round((now - entry.event.created_at) / 6e4)} min`);
    forget(entry.market, entry.order);
    return finish(entry, 'failed', status, 'gave up');
  }
  const delay = retryDelay(tries, retryAfter, now);
  update(entry.id, (e) => ({ ...e, next: now + delay, wait: retryAfter ? 1 : undefined }));
  log('debug', `${what} got ${status || 'a network error'}; retrying in ${delay} ms`);
  if (triesHere[entry.id] >= TRIES_PER_PAGE) {
    log('warn', `could not deliver ${what} yet; it stays queued and is retried on the next page or when back online`);
    finish(entry, 'queued', status, status ? 'HTTP ' + status : 'network error');
  }
  flushConversionsNow();
}

/**
 * Milliseconds before attempt `tries + 1`: `Retry-After` when the platform sent one,
 * else exponential backoff (1 s, 2 s, 4 s … up to 60 s) with ±50 % jitter. @internal
 */
export function retryDelay(tries: number, retryAfter: string | null, now = Date.now()): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = isNaN(seconds) ? Date.parse(retryAfter) - now : seconds * 1e3;
    if (ms >= 0) return Math.min(ms, 36e5);
  }
  return Math.round(Math.min(MAX_DELAY, 1e3 * 2 ** (tries - 1)) * (0.5 + Math.random()));
}

/** Hands every pending conversion to sendBeacon: the page is being hidden or unloaded. */
function beaconAll() {
  const now = Date.now();
  for (const entry of load()) {
    if (inflight[entry.id] || (entry.wait && entry.next > now)) continue;
    const body = JSON.stringify({ ...entry.event, sent_at: now, attempt: entry.tries + 1, transport: 'beacon' });
    let sent = false;
    try {
      sent = navigator.sendBeacon(entry.url, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    } catch {
      // no sendBeacon: the next page sends it
    }
    // Kept in the outbox: the next page re-sends it and the platform answers "duplicate".
    if (sent) update(entry.id, (e) => ({ ...e, tries: e.tries + 1 }));
    log('debug', `order ${entry.order} ${sent ? 'left by sendBeacon' : 'could not leave by sendBeacon'}`);
  }
}

function listen() {
  if (listening || typeof addEventListener == 'undefined') return;
  listening = true;
  addEventListener('pagehide', beaconAll);
  document.addEventListener('visibilitychange', () => (document.visibilityState == 'hidden' ? beaconAll() : flushConversionsNow()));
  addEventListener('online', () => {
    for (const id in triesHere) triesHere[id] = 0;
    save(load().map((e) => ({ ...e, next: 0 })));
    flushConversionsNow();
  });
}
