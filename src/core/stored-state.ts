// Stored state is read as untrusted input: another script, an older SDK or a person in
// DevTools may have written anything under our keys. Readers shape-check what they get and
// discard the rest, so a bad value costs a debug line, never a thrown error.

/** True for a plain JSON object (not null, not an array). @internal */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The result of reading a stored list: the items that passed the check, and whether any did not. @internal */
export interface StoredList<T> {
  items: T[];
  /** Some or all of the stored value was discarded (not JSON, not a list, or items of the wrong shape). */
  discarded: boolean;
}

/**
 * Parses a stored JSON list and keeps the items `isItem` accepts. Absent (null or undefined)
 * is an empty list and nothing discarded. Never throws. @internal
 */
export function parseStoredList<T>(raw: string | null | undefined, isItem: (item: unknown) => item is T): StoredList<T> {
  if (raw == null) return { items: [], discarded: false };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { items: [], discarded: true };
  }
  if (!Array.isArray(value)) return { items: [], discarded: true };
  const items = value.filter(isItem);
  return { items, discarded: items.length < value.length };
}
