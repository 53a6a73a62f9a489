// How the outbox's conversions leave: grouped into batches per track URL (docs/protocol.md §2.4),
// within the batch and keepalive byte limits, and POSTed once each. The outbox core
// (src/core/outbox-core.ts) decides what is due and what an answer means; this module only
// shapes and sends the requests.
import { isRecord } from './stored-state';

/**
 * Most conversions in one request. Due conversions for one track URL go together as a batch
 * (docs/protocol.md §2.4): each `fetch()` call costs the page, and each request a round trip. @internal
 */
export const MAX_BATCH_EVENTS = 25;
/** Largest batch body, in bytes: under the keepalive quota and the relay's 64 KiB body limit. @internal */
export const MAX_BATCH_BYTES = 60_000;
/**
 * The page's `keepalive` quota: bodies in flight with `keepalive` stay under it together (the
 * browser refuses a keepalive request beyond 64 KiB in flight); the rest go without. @internal
 */
export const KEEPALIVE_MAX_BYTES = 60_000;

/** The platform's answer to one attempt: status 0 for a network error or a block. @internal */
export interface PlatformAnswer {
  status: number;
  retryAfter: string | null;
  answer: { status?: string; results?: unknown };
}

/**
 * POSTs one attempt's body, with `keepalive` when asked (so it outlives the page), and reads the
 * answer. Never throws. @internal
 */
export async function postEvent(url: string, body: string, keepalive: boolean): Promise<PlatformAnswer> {
  const result: PlatformAnswer = { status: 0, retryAfter: null, answer: {} };
  try {
    const response = await fetch(url, { method: 'POST', body, keepalive, credentials: 'include' });
    result.status = response.status;
    result.retryAfter = response.headers.get('Retry-After');
    const answer: unknown = await response.json();
    if (isRecord(answer)) result.answer = answer;
  } catch {
    // network error, blocked, CORS, or an answer that isn't JSON
  }
  return result;
}

/**
 * Bytes of a body as sent (UTF-8): keepalive and batch limits count bytes, not characters. Where
 * a sandbox has no TextEncoder, 3 bytes per UTF-16 unit: an upper bound, so limits still hold. @internal
 */
export const byteLength = (body: string): number => (typeof TextEncoder === 'function' ? new TextEncoder().encode(body).length : body.length * 3);

/** The entries of one request to one track URL, with their bodies. @internal */
export interface TrackRequest<Entry> {
  url: string;
  entries: Entry[];
  bodies: string[];
}

/** A batch body is `BATCH_OPEN` + the events' bodies joined by commas + `BATCH_CLOSE` (docs/protocol.md §2.4). */
const BATCH_OPEN = '{"v":1,"type":"batch","events":[';
const BATCH_CLOSE = ']}';

/** The body of a request: one conversion as it is, several as a batch. @internal */
export const requestBody = (bodies: string[]): string => (bodies.length === 1 ? bodies[0] : BATCH_OPEN + bodies.join(',') + BATCH_CLOSE);

/**
 * Groups the entries starting now into requests: per track URL, up to {@link MAX_BATCH_EVENTS}
 * and {@link MAX_BATCH_BYTES} each, or one per request to a URL that takes no batch. @internal
 */
export function groupRequests<Entry extends { url: string }>(
  entries: Array<{ entry: Entry; body: string }>,
  takesBatches: (url: string) => boolean,
): TrackRequest<Entry>[] {
  const requests: TrackRequest<Entry>[] = [];
  const open = new Map<string, TrackRequest<Entry> & { bytes: number }>();
  for (const { entry, body } of entries) {
    const bytes = byteLength(body) + 1; // and its comma
    let request = open.get(entry.url);
    if (!request || !takesBatches(entry.url) || request.entries.length >= MAX_BATCH_EVENTS || request.bytes + bytes > MAX_BATCH_BYTES) {
      request = { url: entry.url, entries: [], bodies: [], bytes: BATCH_OPEN.length + BATCH_CLOSE.length };
      open.set(entry.url, request);
      requests.push(request);
    }
    request.entries.push(entry);
    request.bodies.push(body);
    request.bytes += bytes;
  }
  return requests;
}
