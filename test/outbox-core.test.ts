// The one outbox core (src/outbox-core.ts) over an in-memory async store, as both the browser
// and the Shopify pixel use it: ledger, queue, retry policy, give-up rule, limits.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createOutbox,
  isOutboxEntry,
  KEEPALIVE_MAX_BYTES,
  LEDGER_LIMIT,
  MAX_AGE_MS,
  MAX_ATTEMPTS,
  OUTBOX_LIMIT,
  outcomeOf,
  retryDelay,
  type KeyValueStore,
  type OutboxEntry,
  type OutboxOptions,
} from '../src/outbox-core';
import { conversionEvent } from '../src/protocol';
import { answerWith } from './helpers';

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
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})));
    const { outbox, data } = setup();
    data.set('l', JSON.stringify(Array.from({ length: LEDGER_LIMIT }, (_, i) => 'demo old' + i)));
    await outbox.add(['demo new'], entry('new'));
    const ledger = JSON.parse(data.get('l')!);
    expect(ledger).toHaveLength(LEDGER_LIMIT);
    expect(ledger[0]).toBe('demo old1');
    expect(ledger.at(-1)).toBe('demo new');
  });

  it('discards a ledger that is not a list of strings, with one debug line', async () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})));
    for (const value of ['[1,2,3]', '"hello"', '42', '{"a":1}', '[null]', '{"__proto__":{"x":1}}']) {
      const { outbox, data, debug } = setup();
      data.set('l', value);
      data.set('o', value);
      expect(await outbox.add(['demo A'], entry('A'))).toBe(true);
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
    expect(stored()).toMatchObject([{ event: { attempt: 1 }, due: Date.now() + 1000, wait: false }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(reports.at(-1)).toEqual(['A', 'delivered', 'created']);
    expect(stored()).toEqual([]);
  });

  it(`gives up the oldest beyond ${OUTBOX_LIMIT} conversions, and reports it`, async () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})));
    const { outbox, data, reports, stored } = setup();
    data.set('o', JSON.stringify(Array.from({ length: OUTBOX_LIMIT }, (_, i) => ({ ...entry('O' + i), due: Date.now() + 60_000 }))));
    await outbox.add(['demo new'], entry('new'));
    await outbox.flush(); // the pass the add started has set its timer before the next test
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
    data.set('o', JSON.stringify([big('A'), big('B'), entry('C')]));
    await outbox.flush();
    expect(fetch.mock.calls.map(([, init]) => init.keepalive)).toEqual([true, false, true]);
  });

  it('says what a status means', () => {
    expect([200, 201, 299].map(outcomeOf)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([0, 408, 429, 500, 503].map(outcomeOf)).toEqual(Array(5).fill('retry'));
    expect([400, 401, 404, 409, 422].map(outcomeOf)).toEqual(Array(5).fill('rejected'));
  });

  it('honours Retry-After up to an hour, and backs off exponentially with jitter up to a minute', () => {
    expect(retryDelay(1, '7', 0)).toBe(7000);
    expect(retryDelay(1, '86400', 0)).toBe(3_600_000);
    expect(retryDelay(1, new Date(30_000).toUTCString(), 0)).toBe(30_000);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([1, 2, 3, 7, 20].map((attempt) => retryDelay(attempt, null))).toEqual([1000, 2000, 4000, 60000, 60000]);
    expect(retryDelay(2, 'soon')).toBe(2000);
  });
});

describe('outbox core: stored entries', () => {
  it('accepts only entries it can send', () => {
    const good = entry('A');
    expect(isOutboxEntry(good)).toBe(true);
    expect(isOutboxEntry({ ...good, event: { ...good.event, conversion: { order_number: 12 } } })).toBe(true);
    for (const bad of [null, 1, 'x', [], {}, { ...good, url: 1 }, { ...good, due: '0' }, { ...good, event: null }, { ...good, event: { ...good.event, event_id: 1 } }, { ...good, event: { ...good.event, conversion: {} } }, { ...good, event: { ...good.event, attempt: '1' } }])
      expect(isOutboxEntry(bad)).toBe(false);
  });
});
