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

/** Most events one batch may carry (docs/protocol.md §2.4). */
export const MAX_BATCH_EVENTS: 25;
/** Whether a parsed body of POST /track is a batch (`type: "batch"`), well-formed or not. */
export function isBatch(body: unknown): body is { type: 'batch'; [key: string]: unknown };
/** What is wrong with a batch's envelope, as one message naming the field; null when nothing is. */
export function batchError(body: Record<string, unknown>): string | null;

/** The world of a batch: as for `decide`, but `newId` gives a fresh id per event. */
export interface BatchWorld extends Omit<World, 'newId'> {
  newId(): string;
}

/** One event's answer within a batch: what it alone would have been answered. */
export interface BatchResult {
  event_id: string | null;
  status: Decision['status'];
  body: Decision['body'];
}

export interface BatchDecision {
  status: 200 | 400;
  body: { status: 'batch'; results: BatchResult[] } | { status: 'invalid'; errors: string[] };
  /** One per event, in order (none for a malformed batch); the platform records each. */
  decisions: Decision[];
}

/** Decides each event of a batch in order, as if each had arrived alone; changes nothing. */
export function decideBatch(body: unknown, world: BatchWorld): BatchDecision;
