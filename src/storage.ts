import { getConsent, onConsent } from './consent';

// localStorage with an in-memory fallback: private mode, sandboxed frames, a full quota and
// pending consent all land in memory, and the page keeps working.
const memory: Record<string, string> = {};

function local(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function localSet(key: string, value: string): boolean {
  try {
    local()!.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** Reads a key: memory first (it holds what could not be persisted), then localStorage. @internal */
export function getItem(key: string): string | null {
  if (key in memory) return memory[key];
  try {
    return local()!.getItem(key);
  } catch {
    return null;
  }
}

/** Writes a key to localStorage when consent allows and storage works, else to memory. @internal */
export function setItem(key: string, value: string): void {
  listen();
  if (getConsent() === 'granted' && localSet(key, value)) delete memory[key];
  else memory[key] = value;
}

/** Deletes a key everywhere. @internal */
export function removeItem(key: string): void {
  delete memory[key];
  try {
    local()!.removeItem(key);
  } catch {
    // nothing stored
  }
}

/** Reads a JSON value, or `fallback` when absent or unreadable. @internal */
export function getJSON<T>(key: string, fallback: T): T {
  try {
    return JSON.parse(getItem(key)!) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Keys this SDK owns in localStorage. @internal */
export const STORAGE_KEYS = ['bp_ref', 'bp_outbox', 'bp_ledger'];

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  onConsent((state) => {
    if (state === 'granted') for (const key in memory) setItem(key, memory[key]);
    // Revoked: keep working from memory for this page, and leave nothing on the device.
    if (state === 'denied')
      for (const key of STORAGE_KEYS) {
        const value = getItem(key);
        removeItem(key);
        if (value !== null) memory[key] = value;
      }
  });
}
