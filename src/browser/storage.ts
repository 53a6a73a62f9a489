import { getConsent } from './consent-state';
import { session } from './session';

// localStorage with an in-memory fallback: private mode, sandboxed frames, a full quota and
// consent that is not granted all land in memory, and the page keeps working. Each module
// owns its keys; all of them start with `bp_`, which is how consent changes find them.
const SDK_KEY = /^bp_/;
/** This page's values that could not be persisted. */
const memoryOf = () => (session().memory ||= new Map<string, string>());

/** Reads a key: memory first (it holds what could not be persisted), then localStorage. @internal */
export function getItem(key: string): string | null {
  const memory = memoryOf();
  if (memory.has(key)) return memory.get(key)!;
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Writes to localStorage; false when it is blocked or full. */
function persist(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** Writes a key to localStorage when consent is granted and storage works, else to memory. @internal */
export function setItem(key: string, value: string): void {
  const memory = memoryOf();
  if (getConsent() === 'granted' && persist(key, value)) memory.delete(key);
  else memory.set(key, value);
}

/** Deletes a key everywhere. @internal */
export function removeItem(key: string): void {
  memoryOf().delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored
  }
}

/** The SDK's keys in localStorage (none when it is blocked). */
function storedKeys(): string[] {
  try {
    return Object.keys(localStorage).filter((key) => SDK_KEY.test(key));
  } catch {
    return [];
  }
}

/**
 * Consent changed: persist what waited in memory, or (pending, denied) move what is stored
 * into memory for this page, leaving nothing on the device. @internal
 */
export function moveStorage(): void {
  for (const key of new Set([...memoryOf().keys(), ...storedKeys()])) {
    const value = getItem(key);
    removeItem(key);
    if (value != null) setItem(key, value);
  }
}
