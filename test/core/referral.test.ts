// @vitest-environment node
// The referral's stored format in one place (src/core/referral.ts): parse, the cookie value and
// its byte cap, the lifetime.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, DEFAULT_ATTRIBUTION_DAYS, newReferral, parseReferral, referralCookieValue, REFERRAL_COOKIE_MAX_BYTES } from '../../src/core/referral';

afterEach(() => vi.useRealTimers());

const AT = Date.parse('2026-11-01T00:00:00Z');

describe('newReferral', () => {
  it('lasts the attribution window: 30 days unless told', () => {
    expect(DEFAULT_ATTRIBUTION_DAYS).toBe(30);
    expect(newReferral({ bp_e: 'a' }, AT)).toEqual({ v: 1, t: { bp_e: 'a' }, at: AT, exp: AT + 30 * DAY_MS });
    expect(newReferral({ bp_e: 'a' }, AT, 60).exp).toBe(AT + 60 * 864e5);
  });
});

describe('referralCookieValue', () => {
  it('is the URI-encoded JSON when it fits', () => {
    const referral = newReferral({ bp_e: 'c/wMv+hE=' }, AT);
    expect(referralCookieValue(referral)).toBe(encodeURIComponent(JSON.stringify(referral)));
  });

  it('leaves out each token that does not fit, keeps the others, in order', () => {
    const long = 'x'.repeat(REFERRAL_COOKIE_MAX_BYTES);
    const value = referralCookieValue({ ...newReferral({ bp_e: 'short', ref: long, src: 'mail' }, AT), b: 1 });
    expect(value.length).toBeLessThanOrEqual(REFERRAL_COOKIE_MAX_BYTES);
    expect(JSON.parse(decodeURIComponent(value))).toEqual({ v: 1, t: { bp_e: 'short', src: 'mail' }, at: AT, exp: AT + 30 * DAY_MS, b: 1 });
  });

  it('counts the encoded bytes: a token of escaped characters fills the cap sooner', () => {
    const token = '/'.repeat(1000); // 3000 bytes once encoded: "%2F" each
    expect(JSON.parse(decodeURIComponent(referralCookieValue(newReferral({ bp_e: token }, AT)))).t).toEqual({});
    expect(JSON.parse(decodeURIComponent(referralCookieValue(newReferral({ bp_e: token.slice(0, 900) }, AT)))).t.bp_e).toHaveLength(900);
  });
});

describe('parseReferral', () => {
  it('reads the cookie value, the mirror JSON and the cart attribute alike', () => {
    vi.useFakeTimers({ now: AT + DAY_MS });
    const referral = newReferral({ bp_e: 'a' }, AT);
    expect(parseReferral(referralCookieValue(referral))).toEqual(referral);
    expect(parseReferral(JSON.stringify(referral))).toEqual(referral);
    for (const raw of [null, undefined, '', '{', '%E0%A4%A', '{"v":2,"t":{},"at":1,"exp":1}', '{"v":1,"t":{"a":1},"at":1,"exp":9e15}'])
      expect(parseReferral(raw)).toBeNull();
  });

  it('refuses an expired referral unless asked to keep it (an order placed in time)', () => {
    vi.useFakeTimers({ now: AT + 31 * DAY_MS });
    const raw = JSON.stringify(newReferral({ bp_e: 'a' }, AT));
    expect(parseReferral(raw)).toBeNull();
    expect(parseReferral(raw, true)!.t.bp_e).toBe('a');
  });
});
