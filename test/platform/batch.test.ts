// @vitest-environment node
// The dev platform's POST /track with a batch (docs/protocol.md §2.4), over real HTTP: each event
// recorded as if it had arrived alone, the same CORS headers as a single event, and the test
// control's faults applied to the whole request.
// Needs the build (the platform imports dist/server.js): npm test builds first.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPlatform, type Platform } from '../../examples/platform/platform.js';
import { sign } from '../../src/server';
import markets from '../../examples/platform/markets.json';

const ORIGIN = 'https://www.shop.test';
let platform: Platform;
beforeAll(async () => {
  platform = await createPlatform();
});
afterAll(() => platform.close());
beforeEach(() => platform.reset());

const event = (eventId: string, conversion: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  v: 1,
  type: 'conversion',
  event_id: eventId,
  market: 'demo',
  attempt: 1,
  transport: 'fetch',
  conversion: { order_number: `ORDER-${eventId}`, customer_email: 'jane@smith.com', ...conversion },
  ...extra,
});
const batch = (events: unknown) => ({ v: 1, type: 'batch', events });
const track = (body: unknown) =>
  fetch(platform.url + '/track', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
  });
const control = (body: unknown) => fetch(platform.url + '/__control', { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const corsOf = (response: Response) =>
  ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary'].map((name) => response.headers.get(name));

describe('POST /track with a batch', () => {
  test('answers 200 with one result per event, in order, and records each as if it had arrived alone', async () => {
    const fields = { order_number: 'ORDER-S', customer_email: 'jane@smith.com', signed_keys: 'order_number, customer_email' };
    const response = await track(
      batch([
        event('a'),
        event('b', { order_number: 'ORDER-a' }),
        event('c', { customer_email: 7 }),
        event('d', {}, { market: '__proto__' }),
        event('e', { ...fields, signature: 'forged' }),
        event('f', { ...fields, signature: sign(fields, markets.demo.secret) }, { attempt: 3, transport: 'beacon' }),
      ]),
    );
    expect(response.status).toBe(200);
    const { status, results } = await response.json();
    expect(status).toBe('batch');
    expect(results.map((r: { event_id: string; status: number; body: { status: string } }) => [r.event_id, r.status, r.body.status])).toEqual([
      ['a', 201, 'created'],
      ['b', 200, 'duplicate'],
      ['c', 400, 'invalid'],
      ['d', 404, 'unknown_market'],
      ['e', 401, 'invalid_signature'],
      ['f', 201, 'created'],
    ]);
    expect(results[2].body.errors).toEqual(['"conversion.customer_email" expected a string, received 7']);
    const state = platform.state();
    expect(state.conversions.map((c) => [c.event_id, c.id, c.signature, c.attempt, c.transport, c.origin])).toEqual([
      ['a', results[0].body.conversion_id, 'absent', 1, 'fetch', ORIGIN],
      ['f', results[5].body.conversion_id, 'valid', 3, 'beacon', ORIGIN],
    ]);
    expect(state.duplicates).toMatchObject([{ event_id: 'b', reason: 'order_number', conversion_id: results[0].body.conversion_id }]);
    expect(state.rejected.map((r) => [r.event_id, r.status, r.reason])).toEqual([
      ['c', 400, 'invalid'],
      ['d', 404, 'unknown_market'],
      ['e', 401, 'invalid_signature'],
    ]);
    expect(state.deliveries.map((d) => [d.event_id, d.attempt, d.transport, d.batch, d.outcome])).toEqual([
      ['a', 1, 'fetch', 6, 'created'],
      ['b', 1, 'fetch', 6, 'duplicate order_number'],
      ['c', 1, 'fetch', 6, 'rejected 400'],
      ['d', 1, 'fetch', 6, 'rejected 404'],
      ['e', 1, 'fetch', 6, 'rejected 401'],
      ['f', 3, 'beacon', 6, 'created'],
    ]);
  });

  test('a batch sent again is answered duplicate event by event, and creates nothing more', async () => {
    const body = batch([event('a'), event('b')]);
    await track(body);
    const again = await (await track(body)).json();
    expect(again.results.map((r: { body: { status: string; reason: string } }) => r.body)).toEqual([
      { status: 'duplicate', reason: 'event_id' },
      { status: 'duplicate', reason: 'event_id' },
    ]);
    expect(platform.state().conversions).toHaveLength(2);
  });

  test('carries the same CORS headers as a single event', async () => {
    const single = await track(event('single'));
    const batched = await track(batch([event('x'), event('y')]));
    expect(single.status).toBe(201);
    expect(corsOf(batched)).toEqual(corsOf(single));
    expect(corsOf(batched)).toEqual([ORIGIN, 'true', 'Retry-After', 'Origin']);
  });

  test.each([
    ['events missing', batch(undefined), '"events" expected a list of 1 to 25 conversion events, received undefined'],
    ['26 events', batch(Array.from({ length: 26 }, (_, i) => event(`e${i}`))), '"events" expected a list of 1 to 25 conversion events, received 26 events'],
    ['an entry that is a number', batch([event('a'), 1]), '"events[1]" expected a conversion event (a JSON object), received 1'],
  ])('a malformed batch (%s) is one 400 naming events, with CORS, and records nothing but the rejection', async (_, body, message) => {
    const response = await track(body);
    expect([response.status, await response.json()]).toEqual([400, { status: 'invalid', errors: [message] }]);
    expect(corsOf(response)[0]).toBe(ORIGIN);
    const state = platform.state();
    expect(state.conversions).toEqual([]);
    expect(state.rejected).toMatchObject([{ path: '/track', status: 400, reason: 'invalid', errors: [message], event_id: null }]);
    expect(state.deliveries.map((d) => [d.event_id, d.outcome])).toEqual([[null, 'rejected 400']]);
  });
});

describe('test control faults apply to the whole batch', () => {
  test('a scripted 429 with Retry-After answers the whole request, every event recorded as scripted, none decided', async () => {
    await control({ track: [{ status: 429, retryAfter: 7 }] });
    const response = await track(batch([event('a'), event('b')]));
    expect([response.status, response.headers.get('retry-after'), corsOf(response)[0]]).toEqual([429, '7', ORIGIN]);
    const state = platform.state();
    expect(state.conversions).toEqual([]);
    expect(state.deliveries.map((d) => [d.event_id, d.outcome])).toEqual([
      ['a', 'scripted 429'],
      ['b', 'scripted 429'],
    ]);
    // The script is used up: the same batch is now decided.
    expect((await (await track(batch([event('a'), event('b')]))).json()).results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
  });

  test('"down" drops the whole request: a network error, every event recorded as down', async () => {
    await control({ track: 'down' });
    await expect(track(batch([event('a'), event('b'), event('c')]))).rejects.toThrow();
    const state = platform.state();
    expect(state.conversions).toEqual([]);
    expect(state.deliveries.map((d) => d.outcome)).toEqual(['down', 'down', 'down']);
  });
});
