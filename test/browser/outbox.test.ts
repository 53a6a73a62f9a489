// The browser's outbox (src/browser/outbox.ts): the core over localStorage, as `track` and the page's
// hide, visible and online events use it. Stored values are untrusted input.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_KEY, OUTBOX_KEY } from '../../src/browser/outbox';
import { MAX_BATCH_EVENTS } from '../../src/core/outbox-core';
import { answerWith, bodies, config, conversion, freshSdk, settle } from '../helpers';

/** Values another script, an older build or a person in DevTools could leave under our keys. */
export const CORRUPT_VALUES = ['[1,2,3]', '"hello"', '42', '{"a":1}', '[null]', '{"__proto__":{"x":1}}', 'not json'];
const KEYS = ['bp_outbox', 'bp_ledger', OUTBOX_KEY, LEDGER_KEY];
const outbox = () => JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]');

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'info').mockImplementation(() => {});
});
afterEach(() => vi.useRealTimers());

describe('stored state is validated on read', () => {
  for (const value of CORRUPT_VALUES)
    it(`tracks and delivers the next order when every key holds ${value}`, async () => {
      const { sdk } = await freshSdk();
      for (const key of KEYS) localStorage.setItem(key, value);
      const fetch = answerWith(201);
      expect(() => sdk.flushConversions()).not.toThrow();
      const result = await sdk.track({ ...config, debug: true }, conversion);
      expect(result).toMatchObject({ status: 'delivered', order: 'ORDER123' });
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      // The bad values were replaced by well-formed ones, and said so once each in debug mode.
      expect(outbox()).toEqual([]);
      expect(JSON.parse(localStorage.getItem(LEDGER_KEY)!)).toEqual(['demo ORDER123']);
      const lines = vi.mocked(console.info).mock.calls.map((c) => String(c[0]));
      expect(lines.filter((l) => l.includes('discarded'))).toHaveLength(2);
      // The second track of the order is a no-op, as the ledger now says.
      expect(await sdk.track(config, conversion)).toMatchObject({ status: 'already_tracked' });
    });

  it('keeps the valid entries of a list that also holds bad ones', async () => {
    const { sdk } = await freshSdk();
    const good = {
      event: {
        v: 1,
        type: 'conversion',
        event_id: 'id1',
        market: 'demo',
        created_at: Date.now(),
        sdk: 'js/x',
        page: 'p',
        conversion: { order_number: 'KEPT' },
      },
      url: 'https://bp.shop.com/track',
      due: 0,
    };
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([null, 7, { event: {} }, good, { ...good, url: 5 }]));
    const fetch = answerWith(201);
    const delivered = new Promise<Event>((resolve) => addEventListener('buyapowa:delivered', resolve, { once: true }));
    sdk.flushConversions();
    expect(((await delivered) as CustomEvent).detail).toMatchObject({ order: 'KEPT', id: 'id1' });
    expect(bodies(fetch)).toMatchObject([{ event_id: 'id1', attempt: 1 }]);
  });
});

describe('the page-hide beacon', () => {
  it('sends each pending entry once per hide, though both visibilitychange and pagehide fire', async () => {
    const { sdk, beacon } = await freshSdk();
    answerWith(503);
    await sdk.track(config, conversion);
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    dispatchEvent(new Event('visibilitychange'));
    dispatchEvent(new Event('pagehide'));
    await settle();
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(JSON.parse(beacon.mock.calls[0][1] as string)).toMatchObject({ transport: 'beacon', attempt: 2 });
    expect(outbox()).toMatchObject([{ beaconed: true, due: 0, event: { attempt: 2 } }]);
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
  });

  it('is not repeated on the next page: one fetch confirms the beaconed entry', async () => {
    const { sdk, beacon } = await freshSdk();
    answerWith(503);
    await sdk.track(config, conversion);
    dispatchEvent(new Event('pagehide'));
    await settle();
    expect(beacon).toHaveBeenCalledTimes(1);

    const fetch = answerWith({ status: 200, body: { status: 'duplicate' } });
    const { sdk: next, beacon: nextBeacon } = await freshSdk({ keepStorage: true });
    dispatchEvent(new Event('pagehide')); // hidden again before anything: still not re-beaconed
    await settle();
    const delivered = new Promise<Event>((resolve) => addEventListener('buyapowa:delivered', resolve, { once: true }));
    next.flushConversions();
    expect(((await delivered) as CustomEvent).detail).toMatchObject({ status: 'delivered', reason: 'duplicate' });
    expect(nextBeacon).not.toHaveBeenCalled();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(bodies(fetch)[0]).toMatchObject({ transport: 'fetch', attempt: 3 });
    expect(outbox()).toEqual([]);
  });

  it('waits when the platform asked to (Retry-After)', async () => {
    const { sdk, beacon } = await freshSdk();
    answerWith({ status: 429, headers: { 'Retry-After': '60' } });
    await sdk.track(config, conversion);
    dispatchEvent(new Event('pagehide'));
    await settle();
    expect(beacon).not.toHaveBeenCalled();
  });
});

describe('a flush pass', () => {
  it('reads and writes the outbox once per pass, not once per entry', async () => {
    vi.useFakeTimers();
    const { sdk } = await freshSdk();
    const entries = Array.from({ length: 100 }, (_, i) => ({
      event: {
        v: 1,
        type: 'conversion',
        event_id: 'id' + i,
        market: 'demo',
        created_at: Date.now(),
        sdk: 'js/x',
        page: 'p',
        conversion: { order_number: 'O' + i },
      },
      url: 'https://bp.shop.com/track',
      due: Date.now() + 60_000, // none due: the pass only reads, then sets its timer
    }));
    localStorage.setItem(OUTBOX_KEY, JSON.stringify(entries));
    const get = vi.spyOn(Storage.prototype, 'getItem');
    const set = vi.spyOn(Storage.prototype, 'setItem');
    sdk.flushConversions();
    await vi.advanceTimersByTimeAsync(0);
    expect(get.mock.calls.filter(([key]) => key === OUTBOX_KEY)).toHaveLength(1);
    expect(set).not.toHaveBeenCalled();
    // Due now: one pass hands all 100 over, as batches, with one read and one write.
    get.mockClear();
    const fetch = vi.fn((_url: string, _init: RequestInit) => new Promise<Response>(() => {}));
    vi.stubGlobal('fetch', fetch);
    await vi.advanceTimersByTimeAsync(60_000);
    // The first request starts with the pass, the others one per following task.
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(get.mock.calls.filter(([key]) => key === OUTBOX_KEY)).toHaveLength(1);
    expect(set.mock.calls.filter(([key]) => key === OUTBOX_KEY)).toHaveLength(1);
    expect(fetch).toHaveBeenCalledTimes(100 / MAX_BATCH_EVENTS);
    expect(new Set(bodies(fetch).map((body) => body.event_id)).size).toBe(100);
    get.mockRestore();
    set.mockRestore();
  });
});
