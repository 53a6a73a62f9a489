// The page-hide beacon pass: browser-only, so it lives outside the outbox core (the Shopify pixel,
// which shares the core, has no page to hide and carries none of it). src/browser/outbox.ts runs
// it on `pagehide` and on `visibilitychange` to hidden.
import type { Outbox } from '../core/outbox-core';
import { groupRequests, requestBody } from '../core/outbox-requests';
import { eventBody } from '../core/protocol';

/**
 * Each pending entry not yet beaconed and not in flight leaves once by `beacon` (per track URL,
 * batched like a fetch pass), unless it waits and is not due yet (a Retry-After, or a missing
 * endpoint's minute: no beacon goes to an endpoint that answered 404 or 405). A beaconed
 * entry stays in the outbox, due at once: the next fetch (on the next page) confirms it, as the
 * platform answers "duplicate". Never rejects. @internal
 */
export function beaconAll(outbox: Outbox, beacon: (url: string, body: string) => boolean, debug: (message: string) => void): Promise<void> {
  return outbox.update((entries, takesBatches) => {
    const now = Date.now();
    const leaving = entries
      .filter((entry) => !entry.beaconed && !(entry.wait && entry.due > now))
      .map((entry) => ({ entry, body: eventBody(entry.event, (entry.event.attempt || 0) + 1, 'beacon') }));
    let changed = false;
    for (const request of groupRequests(leaving, takesBatches)) {
      const sent = beacon(request.url, requestBody(request.bodies));
      for (const entry of request.entries) {
        debug(`order ${entry.event.conversion.order_number}: beacon ${sent ? 'queued' : 'refused'}`);
        if (sent) Object.assign(entry, { event: { ...entry.event, attempt: (entry.event.attempt || 0) + 1 }, beaconed: true, due: 0 });
      }
      changed ||= sent;
    }
    return changed;
  });
}
