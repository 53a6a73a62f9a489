// The one outbox core, shared by the browser SDK (src/browser/outbox.ts) and the Shopify custom pixel
// (src/shopify/pixel-core.ts): the ledger of orders already tracked, the queue of conversions
// the platform has not confirmed yet, the retry policy and the give-up rule. The page-hide
// beacon pass is browser-only and lives apart (src/browser/outbox-beacon.ts), over `update`, so
// the Shopify pixel carries none of it. It works over a small async key-value store; each caller brings its own
// (localStorage with a memory fallback, or the Web Pixels API's `browser.localStorage`).
//
// Every change runs as one task in a serial queue: a pass reads the outbox once, applies the
// platform's answers, starts what is due, and writes it back once.
import { groupRequests, postEvent, requestBody, byteLength, KEEPALIVE_MAX_BYTES, type PlatformAnswer, type TrackRequest } from './outbox-requests';
import { eventBody } from './protocol';
import { isRetryableStatus, retryDelay as delayFor, type RetryOptions } from './retry';
import { isRecord, parseStoredList } from './stored-state';

export { KEEPALIVE_MAX_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from './outbox-requests';
export type { KeyValueStore, Outbox, OutboxEntry, OutboxOptions, OutboxStatus } from './outbox-types';
import type { Outbox, OutboxEntry, OutboxOptions, OutboxStatus } from './outbox-types';

/** Attempts (fetches and beacons, on every page) before a conversion is given up. @internal */
export const MAX_ATTEMPTS = 30;
/** Age after which a conversion still unconfirmed is given up: 7 days. @internal */
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Most conversions kept waiting; beyond it the oldest are given up (`failed`), and reported. @internal */
export const OUTBOX_LIMIT = 100;
/** Most ledger keys kept (orders, and Shopify event ids for the pixel); the oldest are forgotten. @internal */
export const LEDGER_LIMIT = 400;
/**
 * Requests in flight at once: an outbox left by an outage is handed over in a few round trips,
 * each pass starting a bounded number of requests (the browser queues them per host). @internal
 */
export const MAX_IN_FLIGHT = 16;

/**
 * Requests started in one task. Each `fetch()` call costs the page 1.5–8 ms in Chromium
 * (measured here, more for a batch's larger body), so the first request of a pass starts at once
 * (a page about to unload still sends it) and the others one per following task. @internal
 */
export const REQUESTS_PER_TASK = 1;
/**
 * The outbox's retry timing (src/core/retry.ts): backoff from 1 s doubling to at most 1 minute,
 * jitter included; a `Retry-After` is honoured up to 1 hour, and a longer one waits that hour
 * (the outbox loses nothing by waiting). Attempts are bounded by {@link MAX_ATTEMPTS} and
 * {@link MAX_AGE_MS}, not here. @internal
 */
export const OUTBOX_RETRY: RetryOptions = { initialDelay: 500, maxDelay: 60 * 1000, maxRetryAfter: 60 * 60 * 1000 };

/** The ledger key of an order: unique per market. @internal */
export const orderKey = (market: string, order: string): string => market + ' ' + order;

/**
 * What a platform answer means: 2xx done; 408/429/5xx/network retry; 404 and 405 a missing
 * endpoint (`config`: a configuration error, kept for a page whose config can take it); other
 * 4xx refused for good. The one classification, shared by the browser and the Shopify pixel. @internal
 */
export const outcomeOf = (status: number): 'delivered' | 'rejected' | 'retry' | 'config' => {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 404 || status === 405) return 'config';
  return status === 0 || isRetryableStatus(status) ? 'retry' : 'rejected';
};

/**
 * Milliseconds before the next attempt, after `attempt` attempts: {@link OUTBOX_RETRY} applied by
 * src/core/retry.ts (`Retry-After` when the platform sent one, else backoff with jitter). @internal
 */
export const retryDelay = (attempt: number, retryAfter: string | null, now?: number): number => delayFor(attempt, retryAfter, OUTBOX_RETRY, now);

/** A stored entry the core can work with; anything else is discarded. @internal */
export function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (!isRecord(value) || !isRecord(value.event) || typeof value.url !== 'string' || typeof value.due !== 'number') return false;
  const event = value.event;
  const order = isRecord(event.conversion) ? event.conversion.order_number : undefined;
  return (
    typeof event.event_id === 'string' &&
    typeof event.market === 'string' &&
    typeof event.created_at === 'number' &&
    (event.attempt === undefined || typeof event.attempt === 'number') &&
    (typeof order === 'string' || typeof order === 'number')
  );
}

const OUTBOX_FULL = 'the outbox is full';
const isLedgerKey = (value: unknown): value is string => typeof value === 'string';

interface Answered extends PlatformAnswer {
  entry: OutboxEntry;
  /** The server takes no batches: due again at once, and sent alone from now on. */
  resend?: boolean;
}

/**
 * Each entry's answer from a batch's answer: its own result by `event_id`; the whole answer for a
 * fault to be retried; no result is a network error; and a server that takes no batch (any other
 * answer) has every entry sent again alone.
 */
function batchAnswers(entries: OutboxEntry[], whole: PlatformAnswer): Answered[] {
  const { status, answer } = whole;
  const outcome = outcomeOf(status);
  // One conversion, or a fault of the whole request (to retry, or a missing endpoint): the whole answer is each one's.
  if (entries.length === 1 || outcome === 'retry' || outcome === 'config') return entries.map((entry) => ({ entry, ...whole }));
  const results = outcome === 'delivered' && answer.status === 'batch' && Array.isArray(answer.results) ? answer.results.filter(isRecord) : null;
  return entries.map((entry): Answered => {
    if (!results) return { entry, status: 0, retryAfter: null, answer: {}, resend: true };
    const result = results.find((r) => r.event_id === entry.event.event_id);
    return {
      entry,
      status: result && typeof result.status === 'number' ? result.status : 0,
      retryAfter: result && typeof result.retry_after === 'string' ? result.retry_after : null,
      answer: result && isRecord(result.body) ? result.body : {},
    };
  });
}

/** Creates the outbox over `options.store`. @internal */
export function createOutbox(options: OutboxOptions): Outbox {
  const { store, outboxKey, ledgerKey, debug } = options;
  const sendsPerPage = options.sendsPerPage ?? Infinity;
  const inFlight = new Set<string>();
  let requestsInFlight = 0;
  // Track URLs whose server answered a batch as something else: one conversion per request there.
  const noBatches = new Set<string>();
  const takesBatches = (url: string) => !noBatches.has(url);
  const sentHere = new Map<string, number>();
  const answers: Answered[] = [];
  let keepaliveBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The pass waiting in the queue, if any: requests made meanwhile join it.
  let queuedPass: { market?: string } | null = null;

  // Every read-modify-write runs in turn. A failing task is logged; the queue goes on.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch((error) => debug('outbox: ' + error));
    return run;
  }
  // For callers that do not wait on the outcome: the queue has logged the failure.
  const ignoreFailure = (run: Promise<unknown>): Promise<void> =>
    run.then(
      () => {},
      () => {},
    );

  // What this page last read or wrote, per key: while the stored text is unchanged, a pass
  // skips parsing and checking it again (another tab's write changes the text).
  const lastSeen = new Map<string, { raw: string; items: unknown[] }>();

  async function readList<T>(key: string, isItem: (value: unknown) => value is T, what: string): Promise<T[]> {
    const raw = await store.get(key);
    const seen = lastSeen.get(key);
    if (seen && raw === seen.raw) return seen.items.slice() as T[];
    const { items, discarded } = parseStoredList(raw, isItem);
    if (discarded) {
      debug(`discarded what ${key} held that is not ${what}`);
      await writeList(key, items);
    } else if (raw != null) lastSeen.set(key, { raw, items: items.slice() });
    return items;
  }
  async function writeList(key: string, items: unknown[]): Promise<void> {
    const raw = JSON.stringify(items);
    await store.set(key, raw);
    lastSeen.set(key, { raw, items: items.slice() });
  }
  const readOutbox = () => readList(outboxKey, isOutboxEntry, 'a list of conversions');
  const readLedger = () => readList(ledgerKey, isLedgerKey, 'a list of orders');

  /** Writes the outbox; beyond the limit the oldest are given up and reported. */
  async function writeOutbox(entries: OutboxEntry[]): Promise<void> {
    const dropped = entries.slice(0, Math.max(0, entries.length - OUTBOX_LIMIT));
    await writeList(outboxKey, entries.slice(dropped.length));
    await settle(dropped.map((entry) => [entry, 'failed', OUTBOX_FULL]));
  }

  /** Reports final and retry outcomes; refused or given up orders leave the ledger, so a corrected one can be tracked. */
  async function settle(outcomes: Array<[OutboxEntry, OutboxStatus, string, number?]>): Promise<void> {
    const forget = outcomes
      .filter(([, status]) => status === 'rejected' || status === 'failed')
      .map(([entry]) => orderKey(entry.event.market, entry.event.conversion.order_number + ''));
    if (forget.length) {
      const ledger = await readLedger();
      await writeList(
        ledgerKey,
        ledger.filter((key) => !forget.includes(key)),
      );
    }
    for (const [entry, status, reason, retryIn] of outcomes) options.report(entry, status, reason, retryIn);
  }

  // One pass: answers applied, due entries started, one read and one write of the outbox.
  async function pass(market?: string): Promise<void> {
    const now = Date.now();
    const entries = new Map((await readOutbox()).map((entry) => [entry.event.event_id, entry]));
    const outcomes: Array<[OutboxEntry, OutboxStatus, string, number?]> = [];
    let changed = answers.length > 0;
    // One backoff per attempt count and Retry-After in a pass: conversions that failed together
    // (a batch) are due together again, and leave as one batch, not one by one.
    const delays = new Map<string, number>();
    for (const { entry, status, retryAfter, answer, resend } of answers.splice(0)) {
      const id = entry.event.event_id;
      if (resend) {
        noBatches.add(entry.url);
        const stored = entries.get(id);
        if (stored) stored.due = now;
        continue;
      }
      const outcome = outcomeOf(status);
      const reason = answer.status || (status ? 'HTTP ' + status : 'network error');
      const config = outcome === 'config';
      // A missing endpoint says nothing about the conversion: the attempt is not counted (only
      // its age gives it up), and it waits a minute, unbeaconed, unless a page has another endpoint.
      const attempts = (entry.event.attempt || 0) - +config;
      const after = config ? '60' : retryAfter;
      const givenUp = attempts >= MAX_ATTEMPTS || now - entry.event.created_at > MAX_AGE_MS;
      const stored = entries.get(id);
      if ((outcome === 'retry' || config) && !givenUp) {
        if (config) options.configError?.(entry.url, reason);
        const key = attempts + ' ' + after;
        const delay = delays.get(key) ?? retryDelay(attempts, after, now);
        delays.set(key, delay);
        if (stored) Object.assign(stored, { due: now + delay, wait: !!after, dead: config }, config && { event: { ...stored.event, attempt: attempts } });
        outcomes.push([entry, 'queued', reason, delay]);
      } else {
        entries.delete(id);
        if (outcome === 'retry' || config) outcomes.push([entry, 'failed', reason + ', given up']);
        else outcomes.push([entry, outcome, reason]);
      }
    }

    // An older page or another writer left too many: the oldest are given up before any is sent.
    for (const entry of [...entries.values()].slice(0, Math.max(0, entries.size - OUTBOX_LIMIT))) {
      entries.delete(entry.event.event_id);
      outcomes.push([entry, 'failed', OUTBOX_FULL]);
      changed = true;
    }

    const due: Array<{ entry: OutboxEntry; body: string }> = [];
    let soonest = Infinity;
    const allowed = !options.maySend || options.maySend();
    for (const entry of entries.values()) {
      const id = entry.event.event_id;
      if (!allowed || inFlight.has(id) || (market && entry.event.market !== market) || (sentHere.get(id) || 0) >= sendsPerPage) continue;
      // Kept for a missing endpoint, and this page has another for its market: it goes there now.
      // Still one entry, one event_id: never in flight twice.
      const here = options.endpointFor?.(entry.event.market);
      if (entry.dead && here && here !== entry.url) {
        Object.assign(entry, { url: here, dead: false, due: 0 });
        changed = true;
      }
      if (entry.due > now) soonest = Math.min(soonest, entry.due);
      else due.push({ entry, body: eventBody(entry.event, (entry.event.attempt || 0) + 1, options.transport) });
    }
    const starting = groupRequests(due, takesBatches).slice(0, Math.max(0, MAX_IN_FLIGHT - requestsInFlight));
    for (const { entries: started } of starting)
      for (const entry of started) {
        // Counted before it is sent: a tab closed mid-request still used an attempt.
        const id = entry.event.event_id;
        entry.event = { ...entry.event, attempt: (entry.event.attempt || 0) + 1 };
        inFlight.add(id);
        sentHere.set(id, (sentHere.get(id) || 0) + 1);
        changed = true;
      }
    requestsInFlight += starting.length;
    if (changed) await writeOutbox([...entries.values()]);
    await settle(outcomes);
    clearTimeout(timer);
    if (soonest < Infinity) timer = setTimeout(() => flush(), soonest - now);
    startInTurns(starting);
  }

  /** Starts the requests {@link REQUESTS_PER_TASK} per task, the first ones at once. */
  function startInTurns(requests: TrackRequest<OutboxEntry>[]): void {
    for (const request of requests.slice(0, REQUESTS_PER_TASK)) send(request);
    if (requests.length > REQUESTS_PER_TASK) setTimeout(() => startInTurns(requests.slice(REQUESTS_PER_TASK)), 0);
  }

  async function send({ url, entries, bodies }: TrackRequest<OutboxEntry>): Promise<void> {
    const body = requestBody(bodies);
    const bytes = byteLength(body);
    const keepalive = keepaliveBytes + bytes <= KEEPALIVE_MAX_BYTES;
    const reserved = keepalive ? bytes : 0;
    keepaliveBytes += reserved;
    const answer = await postEvent(url, body, keepalive);
    keepaliveBytes -= reserved;
    requestsInFlight--;
    for (const entry of entries) inFlight.delete(entry.event.event_id);
    answers.push(...batchAnswers(entries, answer));
    flush();
  }

  function flush(market?: string): Promise<void> {
    if (queuedPass) {
      if (queuedPass.market !== market) queuedPass.market = undefined; // two different requests: all markets
      return queue.then(() => {});
    }
    const request: { market?: string } = { market };
    queuedPass = request;
    return ignoreFailure(
      serial(() => {
        queuedPass = null;
        return pass(request.market);
      }),
    );
  }

  return {
    add: (ledgerKeys, entry) =>
      serial(async () => {
        const ledger = await readLedger();
        if (ledgerKeys.some((key) => ledger.includes(key))) return false;
        await writeList(ledgerKey, ledger.concat(ledgerKeys).slice(-LEDGER_LIMIT));
        await writeOutbox((await readOutbox()).concat(entry));
        return true;
      }).then((added) => {
        // Also when already tracked: a copy kept for a missing endpoint may go to this page's.
        flush();
        return added;
      }),
    flush,
    retryNow: () =>
      ignoreFailure(
        serial(async () => {
          const entries = await readOutbox();
          await writeOutbox(entries.map((entry) => ({ ...entry, due: 0 })));
        }),
      ).then(() => flush()),
    update: (change) =>
      ignoreFailure(
        serial(async () => {
          const entries = await readOutbox();
          if (
            change(
              entries.filter((entry) => !inFlight.has(entry.event.event_id)),
              takesBatches,
            )
          )
            await writeOutbox(entries);
        }),
      ),
  };
}
