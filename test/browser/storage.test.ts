// src/browser/storage.ts: localStorage with a memory fallback, and moving the SDK's keys on consent changes.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as storage from '../../src/browser/storage';
import { resetSession, session } from '../../src/browser/session';
import type { ConsentState } from '../../src/browser/consent-state';

/** A new page: a new session (memory, consent), and an empty localStorage. */
function fresh() {
  resetSession();
  localStorage.clear();
  // The consent state lives in the session; the tests set it directly, without moving storage.
  const consent = {
    set state(state: ConsentState) {
      session().consent = state;
    },
  };
  return { ...storage, consent };
}

beforeEach(() => vi.restoreAllMocks());

describe('storage', () => {
  it('writes to localStorage when consent is granted', async () => {
    const { setItem, getItem } = fresh();
    setItem('bp_x', '1');
    expect(localStorage.getItem('bp_x')).toBe('1');
    expect(getItem('bp_x')).toBe('1');
  });

  it('keeps values in memory while consent is not granted, and when localStorage throws', async () => {
    const { setItem, getItem, consent } = fresh();
    consent.state = 'pending';
    setItem('bp_x', 'pending');
    expect(localStorage.getItem('bp_x')).toBeNull();
    expect(getItem('bp_x')).toBe('pending');
    consent.state = 'granted';
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    setItem('bp_y', 'full');
    expect(getItem('bp_y')).toBe('full');
  });

  it('reads null, without throwing, when localStorage is blocked', async () => {
    const { getItem, removeItem } = fresh();
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(getItem('bp_x')).toBeNull();
    expect(() => removeItem('bp_x')).not.toThrow();
  });

  it('removes a key from memory and localStorage', async () => {
    const { setItem, getItem, removeItem, consent } = fresh();
    localStorage.setItem('bp_x', 'stored');
    consent.state = 'pending';
    setItem('bp_x', 'memory');
    removeItem('bp_x');
    expect(getItem('bp_x')).toBeNull();
    expect(localStorage.getItem('bp_x')).toBeNull();
  });

  it('moves every bp_ key, and only those, into memory and back as consent changes', async () => {
    const { moveStorage, getItem, consent } = fresh();
    localStorage.setItem('bp_outbox:v2', '[]');
    localStorage.setItem('bp_ref', '{}');
    localStorage.setItem('other', 'theirs');
    consent.state = 'denied';
    moveStorage();
    expect(Object.keys(localStorage)).toEqual(['other']);
    expect(getItem('bp_outbox:v2')).toBe('[]');
    consent.state = 'granted';
    moveStorage();
    expect(Object.keys(localStorage).sort()).toEqual(['bp_outbox:v2', 'bp_ref', 'other']);
  });
});
