// The script tag's `track` calls, written down before any code is fetched: a short list in
// durable storage (through src/browser/storage.ts, so consent decides where it lives) that the
// track chunk validates and moves into the outbox, whose ledger makes a second pass harmless.
// A page that closes before the chunk arrives loses nothing: the next page sends them.
import { getItem, removeItem, setItem } from '../browser/storage';
import type { StoredReferral } from '../core/referral';
import type { TrackResult } from '../browser/outbox';

/** Storage key of the calls not yet handed to the outbox. @internal */
export const CALLS_KEY = 'bp_calls:v1';

/** A `track` call as written down: everything the event needs that the next page cannot know. @internal */
export interface PendingCall {
  /** The event id it will be sent with. */
  id: string;
  /** When it was called (epoch ms): the event's `created_at`. */
  at: number;
  /** The page it was called on (origin and path). */
  page: string;
  market: string;
  /** The track endpoint. */
  url: string;
  /** The referral in force when it was called. */
  referral: StoredReferral | null;
  /** The conversion as given (its JSON form once stored); the chunk checks it. */
  conversion: unknown;
}

/** A call of this page, with the settlement of the promise `track` returned. @internal */
export interface LiveCall {
  call: PendingCall;
  resolve(result: TrackResult): void;
  reject(error: unknown): void;
}

/** This page's calls, by id, until the track chunk has settled them. @internal */
export const live = new Map<string, LiveCall>();

/** The stored calls, as stored (the chunk checks their shape). @internal */
export const readCalls = (): string | null => getItem(CALLS_KEY);

function storedCalls(): unknown[] {
  try {
    const list: unknown = JSON.parse(readCalls() || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** Keeps a call in memory for this page and in storage for the next ones. @internal */
export function addCall(entry: LiveCall): void {
  live.set(entry.call.id, entry);
  try {
    setItem(CALLS_KEY, JSON.stringify(storedCalls().concat(entry.call)));
  } catch {
    // Not JSON (a BigInt, a cycle): this page's chunk still takes it from memory.
  }
}

/** Forgets a call that the outbox now holds, or that was refused. @internal */
export function removeCall(id: string): void {
  live.delete(id);
  const rest = storedCalls().filter((call) => !(call && (call as PendingCall).id === id));
  if (rest.length) setItem(CALLS_KEY, JSON.stringify(rest));
  else removeItem(CALLS_KEY);
}
