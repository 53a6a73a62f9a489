// src/browser/consent.ts and src/browser/consent-state.ts: the consent state, its check, and its listeners.
import { describe, expect, it, vi } from 'vitest';
import * as consent from '../../src/browser/consent';
import { resetSession } from '../../src/browser/session';

/** A new page: a new session (consent granted, no listeners), and an empty localStorage. */
function fresh() {
  resetSession();
  localStorage.clear();
  return consent;
}

describe('consent', () => {
  it('starts granted', async () => {
    const { getConsent } = fresh();
    expect(getConsent()).toBe('granted');
  });

  it('refuses anything but the three states, naming what arrived', async () => {
    const { setConsent, getConsent } = fresh();
    for (const bad of ['yes', '', 'Granted', 1, null])
      expect(() => setConsent(bad as never)).toThrow(/setConsent: "consent" expected "granted", "pending" or "denied"/);
    expect(getConsent()).toBe('granted');
  });

  it('tells listeners about a change, once, and moves what is stored', async () => {
    const { setConsent, getConsent, onConsent } = fresh();
    const listener = vi.fn();
    onConsent(listener);
    localStorage.setItem('bp_ref', 'x');
    setConsent('denied');
    setConsent('denied');
    expect(getConsent()).toBe('denied');
    expect(listener.mock.calls).toEqual([['denied']]);
    expect(localStorage.getItem('bp_ref')).toBeNull();
    setConsent('granted');
    expect(localStorage.getItem('bp_ref')).toBe('x');
    expect(listener.mock.calls).toEqual([['denied'], ['granted']]);
  });
});
