// The referral stored on this device (src/browser/stored-referral.ts): the bp_ref cookie read through
// the cookie module (src/browser/cookie.ts), and its localStorage mirror.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readStoredReferral } from '../../src/browser/stored-referral';
import { parseReferral, REFERRAL_KEY, type StoredReferral } from '../../src/core/referral';
import { enableDebug } from '../../src/browser/log';

const DAY_MS = 24 * 60 * 60 * 1000;
const referral = (token: string, at = Date.now()): StoredReferral => ({ v: 1, t: { bp_e: token }, at, exp: at + 30 * DAY_MS });
/** The cookie as the SDK writes it: URI-encoded JSON (docs/protocol.md §3.2). */
const setCookie = (value: string) => (document.cookie = `${REFERRAL_KEY}=${value}; path=/`);

afterEach(() => {
  document.cookie = `${REFERRAL_KEY}=; path=/; max-age=0`;
  localStorage.clear();
});

describe('readStoredReferral', () => {
  it('reads the URI-encoded JSON cookie, with characters that need decoding (+, /, =, %)', () => {
    const stored = referral('c/wM+vX%hE==');
    setCookie(encodeURIComponent(JSON.stringify(stored)));
    expect(readStoredReferral()).toEqual(stored);
  });

  it('falls back to the localStorage mirror, and prefers it when both hold the same capture', () => {
    const stored = referral('from-mirror');
    localStorage.setItem(REFERRAL_KEY, JSON.stringify(stored));
    expect(readStoredReferral()).toEqual(stored);
    // The cookie may hold a shortened copy of the same capture: the mirror has the full tokens.
    setCookie(encodeURIComponent(JSON.stringify({ ...stored, t: {} })));
    expect(readStoredReferral()).toEqual(stored);
  });

  it('keeps the cookie when the mirror holds an older capture (the cookie is shared across subdomains)', () => {
    const now = Date.now();
    localStorage.setItem(REFERRAL_KEY, JSON.stringify(referral('old', now - DAY_MS)));
    const cookie = referral('new', now);
    setCookie(encodeURIComponent(JSON.stringify(cookie)));
    expect(readStoredReferral()).toEqual(cookie);
  });

  it('ignores an expired or foreign value with one debug line', () => {
    enableDebug(true); // debug lines go to console.info
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    setCookie(encodeURIComponent(JSON.stringify({ ...referral('x'), exp: Date.now() - 1 })));
    localStorage.setItem(REFERRAL_KEY, '{"v":2}');
    expect(readStoredReferral()).toBeNull();
    const lines = info.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('not a referral'))).toHaveLength(2);
  });

  it('parses what it reads the way the pixel does (parseReferral is the one parser)', () => {
    const stored = referral('same');
    const raw = encodeURIComponent(JSON.stringify(stored));
    setCookie(raw);
    expect(readStoredReferral()).toEqual(parseReferral(raw));
  });
});
