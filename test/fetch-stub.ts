// A fetch stub that answers as the platform does, for tests in jsdom and in Node alike.
import { vi } from 'vitest';

/**
 * A fetch stub that answers each request with the given statuses in turn (0 = network error),
 * then 201, as the platform does: a batch (docs/protocol.md §2.4) gets a 2xx or 4xx status as
 * every event's own result, and a fault to retry (408, 429, 5xx, network) for the whole request.
 */
export function answerWith(...statuses: Array<number | { status: number; headers?: Record<string, string>; body?: object }>) {
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const next = statuses.shift() ?? 201;
    const spec = typeof next === 'number' ? { status: next } : next;
    if (!spec.status) throw new TypeError('Failed to fetch');
    const body = spec.body ?? { status: spec.status === 201 ? 'created' : spec.status === 200 ? 'duplicate' : 'error' };
    const sent = JSON.parse(init.body as string);
    const retry = spec.status === 408 || spec.status === 429 || spec.status >= 500;
    if (sent.type === 'batch' && !retry) {
      const results = sent.events.map((event: { event_id: string }) => ({ event_id: event.event_id, status: spec.status, body }));
      return new Response(JSON.stringify({ status: 'batch', results }), { status: 200, headers: spec.headers });
    }
    return new Response(JSON.stringify(body), { status: spec.status, headers: spec.headers });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

/** The conversion bodies sent to a fetch stub, one per conversion: a batch's events in order. */
export const bodies = (fetch: ReturnType<typeof answerWith>) =>
  fetch.mock.calls.flatMap((call) => {
    const body = JSON.parse(call[1].body as string);
    return body.type === 'batch' ? body.events : [body];
  });
