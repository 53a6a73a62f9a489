// The script tag's written-down track calls (src/loader/pending.ts) follow the consent rules of
// src/browser/consent.ts: stored while consent is granted, in memory only while it is pending
// or denied, stored once it is granted; unserialisable calls stay in memory for this page.
import { beforeEach, describe, expect, it } from 'vitest';
import { setConsent } from '../../src/browser/consent';
import { addCall, CALLS_KEY, live, readCalls, removeCall, type PendingCall } from '../../src/loader/pending';

const call = (id: string, conversion: unknown = { order_number: id, customer_email: 'a@b.co' }): PendingCall => ({
  id,
  at: 1,
  page: 'https://www.shop.com/thanks',
  market: 'demo',
  url: 'https://bp.shop.com/track',
  referral: null,
  conversion,
});
const add = (c: PendingCall) => addCall({ call: c, resolve: () => {}, reject: () => {} });
const stored = () => localStorage.getItem(CALLS_KEY);

beforeEach(() => {
  setConsent('granted');
  for (const id of [...live.keys()]) removeCall(id);
  localStorage.clear();
});

describe('pending track calls', () => {
  it('are written to localStorage at once, in order, and forgotten one by one', () => {
    add(call('A'));
    add(call('B'));
    expect(JSON.parse(stored()!).map((c: PendingCall) => c.id)).toEqual(['A', 'B']);
    removeCall('A');
    expect(JSON.parse(stored()!).map((c: PendingCall) => c.id)).toEqual(['B']);
    removeCall('B');
    expect(stored()).toBeNull();
    expect(live.size).toBe(0);
  });

  it('stay in memory while consent is pending, and are stored once it is granted', () => {
    setConsent('pending');
    add(call('P1'));
    expect(stored()).toBeNull();
    expect(readCalls()).toContain('P1');
    setConsent('granted');
    expect(stored()).toContain('P1');
  });

  it('are never stored while consent is denied, yet this page still has them', () => {
    setConsent('denied');
    add(call('D1'));
    expect(stored()).toBeNull();
    expect(readCalls()).toContain('D1');
    expect(live.has('D1')).toBe(true);
  });

  it('a call that is not JSON stays in memory for this page only', () => {
    add(call('BIG', { order_number: 'BIG', customer_email: 'a@b.co', order_value: 10n }));
    expect(stored()).toBeNull();
    expect(live.get('BIG')!.call.conversion).toMatchObject({ order_value: 10n });
  });

  it('a stored value that is not a list is replaced, not thrown on', () => {
    localStorage.setItem(CALLS_KEY, '{"x":1}');
    add(call('C1'));
    expect(JSON.parse(stored()!).map((c: PendingCall) => c.id)).toEqual(['C1']);
  });
});
