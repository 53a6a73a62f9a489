// @vitest-environment node
// The one outbox core (src/core/outbox-core.ts) over an in-memory async store, as both the browser
// and the Shopify pixel use it: ledger, queue, retry policy, give-up rule, limits.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { beaconAll } from '../../src/browser/outbox-beacon';
import {
  createOutbox,
  isOutboxEntry,
  KEEPALIVE_MAX_BYTES,
  LEDGER_LIMIT,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_IN_FLIGHT,
  MAX_AGE_MS,
  MAX_ATTEMPTS,
  OUTBOX_LIMIT,
  outcomeOf,
  retryDelay,
  REQUESTS_PER_TASK,
  type KeyValueStore,
  type OutboxEntry,
  type OutboxOptions,
} from '../../src/core/outbox-core';
import { conversionEvent } from '../../src/core/protocol';
import { answerWith } from '../fetch-stub';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function memoryStore() {
  const data = new Map<string, string>();
  const store: KeyValueStore = {
    get: async (key) => data.get(key) ?? null,
    set: async (key, value) => void data.set(key, value),
    remove: async (key) => void data.delete(key),
  };
  return { data, store };
}

function setup(options: Partial<OutboxOptions> = {}) {
  const { data, store } = memoryStore();
  const reports: Array<[string, string, string]> = [];
  const debug = vi.fn();
  const outbox = createOutbox({
    store,
    outboxKey: 'o',
    ledgerKey: 'l',
    transport: 'fetch',
    report: (entry, status, reason) => reports.push([entry.event.conversion.order_number as string, status, reason]),
    debug,
    ...options,
  });
  const stored = () => JSON.parse(data.get('o') || '[]') as OutboxEntry[];
  return { data, outbox, reports, debug, stored };
}

const entry = (order: string, market = 'demo', created = Date.now()): OutboxEntry => ({
  event: { ...conversionEvent(`id-${market}-${order}`, market, { order_number: order }, null, 'https://www.shop.com/'), created_at: created },
  url: 'https://bp.shop.com/track',
  due: 0,
});

describe('outbox core: ledger', () => {
  it('records an order once per market; a second add is refused and sends nothing', async () => {
    const fetch = answerWith(201, 201);
    const { outbox, data } = setup();
    expect(await outbox.add(['demo A'], entry('A'))).toBe(true);
    expect(await outbox.add(['demo A'], entry('A'))).toBe(false);
    expect(await outbox.add(['other A'], entry('A', 'other'))).toBe(true);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(JSON.parse(data.get('l')!)).toEqual(['demo A', 'other A']);
  });

  it('forgets a refused order, so a corrected conversion can be tracked', async () => {
    answerWith(400);
    const { outbox, reports, data } = setup();
    await outbox.add(['demo A'], entry('A'));
    await vi.waitFor(() => expect(reports).toEqual([['A', 'rejected', 'error']]));
    expect(JSON.parse(data.get('l')!)).toEqual([]);
  });

  it(`keeps the newest ${LEDGER_LIMIT} keys`, async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise(() => {})),
    );
    const { outbox, data } = setup();
    data.set('l', JSON.stringify(Array.from({ length: LEDGER_LIMIT }, (_, i) => 'demo old' + i)));
    await outbox.add(['demo new'], entry('new'));
    await outbox.flush(); // the pass the add started sends on this test's stub, not a later one's
    const ledger = JSON.parse(data.get('l')!);
    expect(ledger).toHaveLength(LEDGER_LIMIT);
    expect(ledger[0]).toBe('demo old1');
    expect(ledger.at(-1)).toBe('demo new');
  });

  it('discards a ledger that is not a list of strings, with one debug line', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise(() => {})),
    );
    for (const value of ['[1,2,3]', '"hello"', '42', '{"a":1}', '[null]', '{"__proto__":{"x":1}}']) {
      const { outbox, data, debug } = setup();
      data.set('l', value);
      data.set('o', value);
      expect(await outbox.add(['demo A'], entry('A'))).toBe(true);
      await outbox.flush(); // the pass the add started sends on this test's stub, not a later one's
      expect(JSON.parse(data.get('l')!)).toEqual(['demo A']);
      expect(debug.mock.calls.filter(([m]) => /discarded/.test(m))).toHaveLength(2);
    }
  });
});

describe('outbox core: retry policy and give-up rule', () => {
  it(`gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    answerWith(503);
    const { outbox, data, reports } = setup();
    const old = entry('A');
    old.event.attempt = MAX_ATTEMPTS - 1;
    data.set('o', JSON.stringify([old]));
    await outbox.flush();
    await vi.waitFor(() => expect(reports).toEqual([['A', 'failed', 'error, given up']]));
    expect(JSON.parse(data.get('o')!)).toEqual([]);
  });

  it('gives up a conversion older than 7 days after its next failed attempt', async () => {
    answerWith(0);
    const { outbox, data, reports } = setup();
    data.set('o', JSON.stringify([entry('A', 'demo', Date.now() - MAX_AGE_MS - 1)]));
    await outbox.flush();
    await vi.waitFor(() => expect(reports).toEqual([['A', 'failed', 'network error, given up']]));
  });

  it('queues a retry with backoff, stored with the attempt count', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fetch = answerWith(503, 201);
    const { outbox, stored, reports } = setup();
    await outbox.add(['demo A'], entry('A'));
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([['A', 'queued', 'error']]);
    // 1 s after the first attempt, jitter inside it (Math.random 0.5 → three quarters).
    expect(stored()).toMatchObject([{ event: { attempt: 1 }, due: Date.now() + 750, wait: false }]);
    await vi.advanceTimersByTimeAsync(750);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(reports.at(-1)).toEqual(['A', 'delivered', 'created']);
    expect(stored()).toEqual([]);
  });

  it(`gives up the oldest beyond ${OUTBOX_LIMIT} conversions, and reports it`, async () => {
    // Fake timers: the timer the pass sets for the entries due in a minute ends with this test instead of firing into a later one.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise(() => {})),
    );
    const { outbox, data, reports, stored } = setup();
    data.set('o', JSON.stringify(Array.from({ length: OUTBOX_LIMIT }, (_, i) => ({ ...entry('O' + i), due: Date.now() + 60_000 }))));
    await outbox.add(['demo new'], entry('new'));
    await outbox.flush(); // the pass the add started has run on this test's stub
    expect(reports).toEqual([['O0', 'failed', 'the outbox is full']]);
    expect(stored()).toHaveLength(OUTBOX_LIMIT);
  });

  it('stops after sendsPerPage sends on this page, and sends nothing while maySend is false', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fetch = answerWith(...Array(10).fill(503));
    let allowed = false;
    const { outbox, stored } = setup({ sendsPerPage: 2, maySend: () => allowed });
    await outbox.add(['demo A'], entry('A'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).not.toHaveBeenCalled();
    allowed = true;
    await outbox.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(stored()).toMatchObject([{ event: { attempt: 2 } }]);
  });

  it(`keeps keepalive bodies in flight under ${KEEPALIVE_MAX_BYTES} bytes together; the rest go without keepalive`, async () => {
    const fetch = vi.fn((_url: string, _init: RequestInit) => new Promise<Response>(() => {}));
    vi.stubGlobal('fetch', fetch);
    const { outbox, data } = setup();
    const big = (order: string) => {
      const x = entry(order);
      x.event.conversion.note = 'x'.repeat(KEEPALIVE_MAX_BYTES / 2);
      return x;
    };
    // Three track URLs, so three requests (one URL's entries would go as batches).
    const at = (x: OutboxEntry, url: string) => ({ ...x, url });
    data.set(
      'o',
      JSON.stringify([at(big('A'), 'https://a.shop.com/track'), at(big('B'), 'https://b.shop.com/track'), at(entry('C'), 'https://c.shop.com/track')]),
    );
    await outbox.flush();
    // One request per task: all three have started once the next tasks have run.
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(3));
    expect(fetch.mock.calls.map(([, init]) => init.keepalive)).toEqual([true, false, true]);
  });

  it('says what a status means', () => {
    expect([200, 201, 299].map(outcomeOf)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([0, 408, 429, 500, 503].map(outcomeOf)).toEqual(Array(5).fill('retry'));
    expect([400, 401, 409, 422].map(outcomeOf)).toEqual(Array(4).fill('rejected'));
    expect([404, 405].map(outcomeOf)).toEqual(['config', 'config']);
  });

  it('honours Retry-After up to an hour, and backs off exponentially with jitter up to a minute', () => {
    expect(retryDelay(1, '7', 0)).toBe(7000);
    expect(retryDelay(1, '86400', 0)).toBe(3_600_000);
    expect(retryDelay(1, new Date(30_000).toUTCString(), 0)).toBe(30_000);
    // Steps of 1 s, 2 s, 4 s … capped at 60 s, then a share between half and all of the step.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([1, 2, 3, 7, 20].map((attempt) => retryDelay(attempt, null))).toEqual([750, 1500, 3000, 45000, 45000]);
    expect(retryDelay(2, 'soon')).toBe(1500);
  });

  it('never backs off longer than a minute: the jitter is inside the cap', () => {
    // The old rule applied ±50 % after the cap: up to 90 s.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    expect(retryDelay(20, null)).toBeLessThanOrEqual(60_000);
    expect(retryDelay(20, null)).toBeGreaterThan(59_000);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(retryDelay(20, null)).toBe(30_000);
  });
});

describe('outbox core: stored entries', () => {
  it('accepts only entries it can send', () => {
    const good = entry('A');
    expect(isOutboxEntry(good)).toBe(true);
    expect(isOutboxEntry({ ...good, event: { ...good.event, conversion: { order_number: 12 } } })).toBe(true);
    for (const bad of [
      null,
      1,
      'x',
      [],
      {},
      { ...good, url: 1 },
      { ...good, due: '0' },
      { ...good, event: null },
      { ...good, event: { ...good.event, event_id: 1 } },
      { ...good, event: { ...good.event, conversion: {} } },
      { ...good, event: { ...good.event, attempt: '1' } },
    ])
      expect(isOutboxEntry(bad)).toBe(false);
  });
});

describe('outbox core: batches (docs/protocol.md §2.4)', () => {
  /** The events of each request a fetch stub got, as order numbers. */
  const requests = (fetch: { mock: { calls: Array<[string, RequestInit]> } }) =>
    fetch.mock.calls.map(([, init]) => {
      const body = JSON.parse(init.body as string);
      return body.type === 'batch'
        ? body.events.map((e: { conversion: { order_number: string } }) => e.conversion.order_number)
        : [body.conversion.order_number];
    });
  /** A stub answering one batch with `answer(event)` per event, or the whole request with `whole`. */
  function batchPlatform(answer: (order: string) => { status: number; body?: object; retry_after?: string } | null, whole?: Response) {
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      if (whole) return whole.clone();
      const sent = JSON.parse(init.body as string);
      const events = sent.type === 'batch' ? sent.events : [sent];
      const results = events.flatMap((e: { event_id: string; conversion: { order_number: string } }) => {
        const result = answer(e.conversion.order_number);
        return result ? [{ event_id: e.event_id, body: { status: 'created' }, ...result }] : [];
      });
      if (sent.type !== 'batch') return new Response(JSON.stringify(results[0].body), { status: results[0].status });
      return new Response(JSON.stringify({ status: 'batch', results }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  it(`sends the due conversions for one track URL together, ${MAX_BATCH_EVENTS} at most per request; one alone as it is`, async () => {
    const fetch = answerWith();
    const { outbox, data, stored } = setup();
    const many = Array.from({ length: MAX_BATCH_EVENTS + 3 }, (_, i) => entry('B' + i));
    const other = { ...entry('X'), url: 'https://bp.other.com/track' };
    data.set('o', JSON.stringify([...many, other]));
    await outbox.flush();
    await vi.waitFor(() => expect(stored()).toEqual([]));
    expect(requests(fetch)).toEqual([many.slice(0, MAX_BATCH_EVENTS).map((x) => x.event.conversion.order_number), ['B25', 'B26', 'B27'], ['X']]);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['https://bp.shop.com/track', 'https://bp.shop.com/track', 'https://bp.other.com/track']);
    // Each event is a whole §2.1 body with its own attempt, transport and sent_at.
    const batch = JSON.parse(fetch.mock.calls[0][1].body as string);
    expect(batch).toMatchObject({ v: 1, type: 'batch' });
    expect(batch.events[0]).toMatchObject({ type: 'conversion', event_id: 'id-demo-B0', attempt: 1, transport: 'fetch' });
    expect(JSON.parse(fetch.mock.calls[2][1].body as string)).toMatchObject({ type: 'conversion', event_id: 'id-demo-X' });
  });

  it(`keeps a batch body under ${MAX_BATCH_BYTES} bytes, counted in UTF-8`, async () => {
    const fetch = answerWith();
    const { outbox, data, stored } = setup();
    // 3 bytes a character: 12,000 characters are 36 kB, so two cannot share one request.
    const wide = (order: string) => {
      const x = entry(order);
      x.event.conversion.note = '€'.repeat(12_000);
      return x;
    };
    data.set('o', JSON.stringify([wide('W1'), wide('W2'), entry('S')]));
    await outbox.flush();
    await vi.waitFor(() => expect(stored()).toEqual([]));
    expect(requests(fetch)).toEqual([['W1'], ['W2', 'S']]);
    for (const [, init] of fetch.mock.calls) expect(new TextEncoder().encode(init.body as string).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it("applies each event's own result: delivered, duplicate, rejected, retried with its Retry-After, and missing", async () => {
    vi.useFakeTimers();
    const answers: Record<string, { status: number; body?: object; retry_after?: string } | null> = {
      A: { status: 201 },
      B: { status: 200, body: { status: 'duplicate', reason: 'event_id' } },
      C: { status: 400, body: { status: 'invalid', errors: ['x'] } },
      D: { status: 503, body: { status: 'unavailable' }, retry_after: '30' },
      E: null,
    };
    batchPlatform((order) => answers[order]);
    const { outbox, data, stored, reports } = setup();
    data.set('o', JSON.stringify(['A', 'B', 'C', 'D', 'E'].map((order) => entry(order))));
    await outbox.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([
      ['A', 'delivered', 'created'],
      ['B', 'delivered', 'duplicate'],
      ['C', 'rejected', 'invalid'],
      ['D', 'queued', 'unavailable'],
      ['E', 'queued', 'network error'],
    ]);
    const waiting = stored();
    expect(waiting.map((x) => x.event.conversion.order_number)).toEqual(['D', 'E']);
    expect(waiting[0]).toMatchObject({ wait: true, due: Date.now() + 30_000 });
  });

  it('retries every event of a batch answered 503 as a whole, honouring its Retry-After', async () => {
    vi.useFakeTimers();
    batchPlatform(() => null, new Response('{}', { status: 503, headers: { 'Retry-After': '20' } }));
    const { outbox, data, stored, reports } = setup();
    data.set('o', JSON.stringify([entry('A'), entry('B')]));
    await outbox.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([
      ['A', 'queued', 'HTTP 503'],
      ['B', 'queued', 'HTTP 503'],
    ]);
    expect(stored().map((x) => x.due)).toEqual([Date.now() + 20_000, Date.now() + 20_000]);
  });

  it('retries the events of a batch that failed as a whole together, with one backoff, so they leave as one batch again', async () => {
    vi.useFakeTimers();
    const fetch = answerWith(0, 201);
    const { outbox, data, stored, reports } = setup();
    data.set('o', JSON.stringify(['A', 'B', 'C'].map((order) => entry(order))));
    await outbox.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(new Set(stored().map((x) => x.due)).size).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stored()).toEqual([]);
    expect(reports.filter(([, status]) => status === 'delivered')).toHaveLength(3);
    expect(fetch.mock.calls.map(([, init]) => JSON.parse(init.body as string).events.length)).toEqual([3, 3]);
  });

  it.each([
    ['400 (a server that knows only single conversions)', new Response('{"status":"invalid","errors":["type"]}', { status: 400 })],
    ['201 without results', new Response('{"status":"created"}', { status: 201 })],
  ])('sends each event alone, at once and from then on, when a batch is answered %s: nothing is dropped', async (_, answer) => {
    let batches = 0;
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const sent = JSON.parse(init.body as string);
      if (sent.type === 'batch') return (batches++, answer.clone());
      return new Response('{"status":"created"}', { status: 201 });
    });
    vi.stubGlobal('fetch', fetch);
    const { outbox, data, stored, reports } = setup();
    data.set('o', JSON.stringify([entry('A'), entry('B')]));
    await outbox.flush();
    await vi.waitFor(() => expect(stored()).toEqual([]));
    expect(requests(fetch)).toEqual([['A', 'B'], ['A'], ['B']]);
    expect(reports).toEqual([
      ['A', 'delivered', 'created'],
      ['B', 'delivered', 'created'],
    ]);
    // Later conversions to that URL go alone too.
    data.set('o', JSON.stringify([entry('C'), entry('D')]));
    await outbox.flush();
    await vi.waitFor(() => expect(stored()).toEqual([]));
    expect(batches).toBe(1);
    expect(requests(fetch).slice(3)).toEqual([['C'], ['D']]);
  });

  it(`keeps ${MAX_IN_FLIGHT} requests in flight at most, started ${REQUESTS_PER_TASK} per task`, async () => {
    vi.useFakeTimers();
    const fetch = vi.fn((_url: string, _init: RequestInit) => new Promise<Response>(() => {}));
    vi.stubGlobal('fetch', fetch);
    const { outbox, data } = setup();
    // One track URL each, so nothing can share a request.
    data.set('o', JSON.stringify(Array.from({ length: MAX_IN_FLIGHT + 4 }, (_, i) => ({ ...entry('U' + i), url: `https://bp${i}.shop.com/track` }))));
    // Counted by this test's URLs: an earlier test's outbox may still start a send on the shared stub.
    const started = () => fetch.mock.calls.filter(([url]) => /^https:\/\/bp\d+\.shop\.com\//.test(url)).length;
    await outbox.flush();
    expect(started()).toBe(REQUESTS_PER_TASK);
    await vi.advanceTimersByTimeAsync(100);
    expect(started()).toBe(MAX_IN_FLIGHT);
  });

  it('beacons the pending conversions of one track URL as one batch when the page hides', async () => {
    vi.stubGlobal('fetch', vi.fn());
    const { outbox, data, stored } = setup();
    data.set('o', JSON.stringify([entry('A'), entry('B'), entry('C')]));
    const beacon = vi.fn((_url: string, _body: string) => true);
    await beaconAll(outbox, beacon, () => {});
    expect(beacon).toHaveBeenCalledTimes(1);
    const body = JSON.parse(beacon.mock.calls[0][1]);
    expect(body.events.map((e: { conversion: { order_number: string }; transport: string }) => [e.conversion.order_number, e.transport])).toEqual([
      ['A', 'beacon'],
      ['B', 'beacon'],
      ['C', 'beacon'],
    ]);
    expect(stored().map((x) => [x.beaconed, x.event.attempt])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
  });
});

describe('outbox core: a missing endpoint (404, 405) loses nothing', () => {
  const DEAD = 'https://bp.shop.com/track';
  const RELAY = 'https://www.shop.com/buyapowa/track';

  it.each([404, 405])('%i keeps the conversion, uncounted, and tells the host (configError)', async (status) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const fetch = answerWith(status, status);
    const configError = vi.fn();
    const { outbox, reports, stored, data } = setup({ configError });
    await outbox.add(['demo A'], entry('A'));
    await vi.waitFor(() => expect(reports).toEqual([['A', 'queued', 'error']]));
    await outbox.add(['demo B'], entry('B'));
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(reports[1]).toEqual(['B', 'queued', 'error']);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(configError.mock.calls).toEqual([
      [DEAD, 'error'],
      [DEAD, 'error'],
    ]);
    // Kept, marked, not counted as an attempt, still in the ledger (never `rejected`).
    expect(stored().map((e) => [e.event.conversion.order_number, e.dead, e.event.attempt ?? 0])).toEqual([
      ['A', true, 0],
      ['B', true, 0],
    ]);
    expect(JSON.parse(data.get('l')!)).toEqual(['demo A', 'demo B']);
  });

  it('a batch answered 404 as a whole keeps every conversion', async () => {
    const fetch = answerWith({ status: 404, body: { status: 'not_found' } });
    const configError = vi.fn();
    const { outbox, reports, data, stored } = setup({ configError });
    data.set('o', JSON.stringify([entry('A'), entry('B')]));
    await outbox.flush();
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(reports.map(([, status, reason]) => status + ' ' + reason)).toEqual(['queued not_found', 'queued not_found']);
    expect(stored().every((e) => e.dead)).toBe(true);
    expect(configError).toHaveBeenCalledTimes(2);
  });

  it('a later page with another endpoint for the market sends it there, once', async () => {
    // Page A: no relay, the endpoint is missing.
    answerWith(404);
    const first = setup();
    await first.outbox.add(['demo A'], entry('A'));
    await vi.waitFor(() => expect(first.stored()[0]?.dead).toBe(true));
    // Page B: the same storage, a relay for the market.
    const fetch = answerWith(201);
    const { outbox: second, reports } = laterPage(first.data, (market) => (market === 'demo' ? RELAY : undefined));
    await second.flush('demo');
    await vi.waitFor(() => expect(reports).toEqual(['A delivered']));
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([RELAY]);
    expect(JSON.parse(first.data.get('o')!)).toEqual([]);
    await second.flush('demo');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a later page tracking the same order again (already tracked) sends the kept copy to its endpoint', async () => {
    answerWith(404);
    const first = setup();
    await first.outbox.add(['demo A'], entry('A'));
    await vi.waitFor(() => expect(first.stored()[0]?.dead).toBe(true));
    const fetch = answerWith(201);
    const { outbox: second, reports } = laterPage(first.data, () => RELAY);
    expect(await second.add(['demo A'], { ...entry('A'), url: RELAY })).toBe(false);
    await vi.waitFor(() => expect(reports).toEqual(['A delivered']));
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([RELAY]);
  });

  it('other markets, and a page whose endpoint is the same missing one, keep it where it is; no beacon goes to it', async () => {
    answerWith(404);
    const { outbox, stored, data } = setup();
    await outbox.add(['demo A'], entry('A'));
    await vi.waitFor(() => expect(stored()[0]?.dead).toBe(true));
    data.set('o', JSON.stringify(stored().map((e) => ({ ...e, due: 0 })))); // a minute later
    const fetch = answerWith(404);
    const { outbox: later } = laterPage(data, (market) => (market === 'other' ? RELAY : DEAD));
    await later.flush('other');
    await later.flush('demo');
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(fetch.mock.calls[0][0]).toBe(DEAD);
    await vi.waitFor(() => expect(stored()[0]?.due).toBeGreaterThan(Date.now()));
    // Waiting out its minute: the page hide sends no beacon to the missing endpoint.
    const beacon = vi.fn(() => true);
    await beaconAll(later, beacon, () => {});
    expect(beacon).not.toHaveBeenCalled();
  });

  it(`gives it up only by age (${MAX_AGE_MS / 86_400_000} days), never by attempts`, async () => {
    answerWith(404, 404);
    const { outbox, reports, data } = setup();
    const many = entry('A');
    many.event.attempt = MAX_ATTEMPTS - 1;
    const old = entry('B', 'demo', Date.now() - MAX_AGE_MS - 1);
    data.set('o', JSON.stringify([many, old]));
    await outbox.flush();
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(reports.sort()).toEqual([
      ['A', 'queued', 'error'],
      ['B', 'failed', 'error, given up'],
    ]);
  });
});

/** A later page's outbox over the same data, with its endpoint per market; its reports as "order status". */
function laterPage(data: Map<string, string>, endpointFor: OutboxOptions['endpointFor']) {
  const reports: string[] = [];
  const outbox = createOutbox({
    store: memoryStoreOver(data),
    outboxKey: 'o',
    ledgerKey: 'l',
    transport: 'fetch',
    report: (e, status) => reports.push(e.event.conversion.order_number + ' ' + status),
    debug: () => {},
    endpointFor,
  });
  return { outbox, reports };
}

/** A second page's store over the same data. */
function memoryStoreOver(data: Map<string, string>): KeyValueStore {
  return { get: async (key) => data.get(key) ?? null, set: async (key, value) => void data.set(key, value), remove: async (key) => void data.delete(key) };
}
