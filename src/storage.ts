import { getConsent } from './consent-state';

// localStorage with an in-memory fallback: private mode, sandboxed frames, a full quota and
// consent that is not granted all land in memory, and the page keeps working.
const memory: Record<string, string> = {};

/** Reads a key: memory first (it holds what could not be persisted), then localStorage. @internal */
export function getItem(key: string): string | null {
  try {
    return key in memory ? memory[key] : localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Reads a JSON value, or `fallback` when absent or unreadable. @internal */
export function getJSON<T>(key: string, fallback: T): T {
  try {
    return JSON.parse(getItem(key)!) || fallback;
  } catch {
    return fallback;
  }
}

/** Writes a key to localStorage when consent is granted and storage works, else to memory. @internal */
export function setItem(key: string, value: string): void {
  try {
    if (getConsent() != 'granted') throw 0;
    localStorage.setItem(key, value);
    delete memory[key];
  } catch {
    memory[key] = value;
  }
}

/** Deletes a key everywhere. @internal */
export function removeItem(key: string): void {
  delete memory[key];
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored
  }
}

/**
 * Consent changed: persist what waited in memory, or (pending, denied) move what is stored
 * into memory for this page, leaving nothing on the device. @internal
 */
export function moveStorage(): void {
  for (const key of ['bp_ref', 'bp_outbox', 'bp_ledger']) {
    const value = getItem(key);
    removeItem(key);
    if (value != null) setItem(key, value);
  }
}
