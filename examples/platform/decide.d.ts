// Types of decide.js: what the platform answers to a conversion, as a pure function.

export const DEFAULT_TRANSPORT: 'fetch';

/** A received value for an error message, never long, never throwing. */
export function shown(value: unknown): string;
/** `object[key]` only when `key` is the object's own property. */
export function own<T>(object: Record<string, T> | null | undefined, key: unknown): T | undefined;
/** `attempt` as a positive integer (1 when absent or anything else). */
export function attemptOf(value: unknown): number;
/** `transport` as a non-empty string (`DEFAULT_TRANSPORT` otherwise). */
export function transportOf(value: unknown): string;
/** `signed_keys` as a list of names. */
export function signedKeys(value: unknown): string[];
/** Every problem with an event, each naming the field, what was expected and what arrived. */
export function validateEvent(event: unknown): string[];

export interface World {
  markets: Map<string, { secret: string; requireSignature?: boolean }>;
  verify(fields: Record<string, unknown>, secret: string): boolean;
  duplicateOf(market: string, orderNumber: string, eventId: string | null): { reason: 'event_id' | 'order_number'; original: { id: string } } | null;
  /** The time of receipt (ms). */
  now: number;
  /** The id a created conversion gets. */
  newId: string;
}

export interface Decision {
  status: 201 | 200 | 400 | 401 | 404 | 422;
  body: { status: string; [key: string]: unknown };
  record: { list: 'conversions' | 'duplicates' | 'rejected'; entry: Record<string, unknown> };
}

/** Decides the answer to one conversion event; changes nothing. */
export function decide(event: unknown, world: World): Decision;
