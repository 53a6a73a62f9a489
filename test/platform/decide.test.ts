// @vitest-environment node
// decide() and decideBatch(): the dev platform's answer to a conversion or a batch of them,
// called directly (no server).
import { describe, expect, test } from 'vitest';
import { decide, decideBatch, MAX_BATCH_EVENTS, type BatchWorld, type World } from '../../examples/platform/decide.js';
import { sign, verify } from '../../src/server';

const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';
const markets = new Map([
  ['demo', { secret: SECRET, requireSignature: false }],
  ['signed', { secret: SECRET, requireSignature: true }],
]);

function world(overrides: Partial<World> = {}): World {
  return { markets, verify, duplicateOf: () => null, now: 1_000, newId: 'conversion-1', ...overrides };
}

const event = (conversion: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  v: 1,
  type: 'conversion',
  event_id: 'event-1',
  market: 'demo',
  conversion: { order_number: 'ORDER1', customer_email: 'jane@smith.com', ...conversion },
  ...extra,
});

describe('decide', () => {
  test('a valid unsigned conversion on an optional-signing market is created', () => {
    const decision = decide(event(), world());
    expect(decision.status).toBe(201);
    expect(decision.body).toEqual({ status: 'created', conversion_id: 'conversion-1' });
    expect(decision.record.list).toBe('conversions');
    expect(decision.record.entry).toMatchObject({
      id: 'conversion-1',
      market: 'demo',
      event_id: 'event-1',
      signature: 'absent',
      transport: 'fetch',
      attempt: 1,
      received_at: 1_000,
    });
  });

  test('a signed conversion is valid, and warns when signed_keys leaves out customer_email', () => {
    const fields = { order_number: 'ORDER1', customer_email: 'jane@smith.com', signed_keys: 'order_number' };
    const decision = decide(event({ ...fields, signature: sign(fields, SECRET) }), world());
    expect(decision.status).toBe(201);
    expect(decision.record.entry).toMatchObject({ signature: 'valid', warnings: ['signed_keys does not include customer_email'] });
  });

  test('a wrong signature is 401, an unsigned one on a signing market 422, both recorded as rejected', () => {
    const wrong = decide(event({ signed_keys: 'order_number', signature: 'nope' }), world());
    expect([wrong.status, wrong.body, wrong.record.list, wrong.record.entry.reason]).toEqual([
      401,
      { status: 'invalid_signature' },
      'rejected',
      'invalid_signature',
    ]);
    const unsigned = decide(event({}, { market: 'signed' }), world());
    expect([unsigned.status, unsigned.body.status, unsigned.record.entry.signature]).toEqual([422, 'signature_required', 'absent']);
  });

  test('a repeat is a 200 duplicate pointing at the original', () => {
    const decision = decide(event({}, { attempt: 2 }), world({ duplicateOf: () => ({ reason: 'event_id', original: { id: 'first' } }) }));
    expect(decision).toMatchObject({
      status: 200,
      body: { status: 'duplicate', reason: 'event_id' },
      record: { list: 'duplicates', entry: { conversion_id: 'first', attempt: 2 } },
    });
  });

  test('an invalid event is 400 with one message per field', () => {
    const decision = decide({ v: 2, type: 'click', market: '', conversion: { customer_email: 'a@b.co' } }, world());
    expect(decision.status).toBe(400);
    expect(decision.body.errors).toEqual([
      '"v" expected 1, received 2',
      '"type" expected "conversion", received "click"',
      '"event_id" expected a string, received undefined',
      '"market" expected your market id, received ""',
      '"conversion.order_number" expected a string, received undefined',
    ]);
    expect(decide('text', world()).body.errors).toEqual(['the body expected a JSON object']);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('market %j is an unknown market (404), signed or not', (market) => {
    expect(decide(event({}, { market }), world()).status).toBe(404);
    expect(decide(event({ signature: 'abc', signed_keys: 'order_number' }, { market }), world()).status).toBe(404);
  });

  test('a voucher_code that is an object is a 400 naming the field, not a crash', () => {
    const decision = decide(event({ voucher_code: { toString: 1 } }), world());
    expect(decision.status).toBe(400);
    expect(decision.body.errors).toEqual(['"conversion.voucher_code" expected a string, received an object']);
  });

  test('a voucher_code written as a number is accepted (a fixable format)', () => {
    expect(decide(event({ voucher_code: 12345, voucher_codes: ['A', 6] }), world()).status).toBe(201);
  });

  test('attempt and transport of the wrong type are coerced before they are stored', () => {
    const decision = decide(
      event({}, { attempt: { toString: 1 }, transport: { toString: 1 }, sdk: {}, page: [], referral: { tokens: { bp_e: {}, bp_x: 'x' } } }),
      world(),
    );
    expect(decision.status).toBe(201);
    expect(decision.record.entry).toMatchObject({ attempt: 1, transport: 'fetch', sdk: undefined, page: undefined, referral: { tokens: { bp_x: 'x' } } });
  });

  test('a verify that throws counts as an invalid signature', () => {
    const throwing = world({
      verify: () => {
        throw new Error('boom');
      },
    });
    expect(decide(event({ signature: 'abc' }), throwing).status).toBe(401);
  });

  test('the pixel may come without an event_id, and is recorded against /track.gif', () => {
    expect(decide(event({}, { event_id: undefined, transport: 'pixel' }), world()).record.entry).toMatchObject({ event_id: null, transport: 'pixel' });
    expect(decide(event({ order_number: '' }, { transport: 'pixel' }), world()).record.entry.path).toBe('/track.gif');
  });
});

describe('decideBatch', () => {
  function batchWorld(overrides: Partial<BatchWorld> = {}): BatchWorld {
    let ids = 0;
    return { markets, verify, duplicateOf: () => null, now: 1_000, newId: () => `conversion-${++ids}`, ...overrides };
  }
  const batch = (events: unknown) => ({ v: 1, type: 'batch', events });

  test('decides each event in order, as if each had arrived alone after the ones before it', () => {
    const fields = { order_number: 'ORDER4', customer_email: 'jane@smith.com', signed_keys: 'order_number, customer_email' };
    const events = [
      event({ order_number: 'ORDER1' }, { event_id: 'e1' }),
      event({ order_number: 'ORDER1' }, { event_id: 'e2' }),
      event({ order_number: 'ORDER2' }, { event_id: 'e1' }),
      { v: 1, type: 'conversion', event_id: 'e3', market: 'demo', conversion: {} },
      event({ order_number: 'ORDER3' }, { event_id: 'e4', market: 'elsewhere' }),
      event({ ...fields, signature: 'not-it' }, { event_id: 'e5' }),
      event({ ...fields, signature: sign(fields, SECRET) }, { event_id: 'e6' }),
      { v: 1, type: 'conversion', event_id: { toString: 1 }, market: 'demo' },
    ];
    const decided = decideBatch(batch(events), batchWorld());
    expect(decided.status).toBe(200);
    expect(decided.body).toEqual({
      status: 'batch',
      results: [
        { event_id: 'e1', status: 201, body: { status: 'created', conversion_id: 'conversion-1' } },
        { event_id: 'e2', status: 200, body: { status: 'duplicate', reason: 'order_number' } },
        { event_id: 'e1', status: 200, body: { status: 'duplicate', reason: 'event_id' } },
        {
          event_id: 'e3',
          status: 400,
          body: {
            status: 'invalid',
            errors: ['"conversion.order_number" expected a string, received undefined', '"conversion.customer_email" expected a string, received undefined'],
          },
        },
        { event_id: 'e4', status: 404, body: { status: 'unknown_market' } },
        { event_id: 'e5', status: 401, body: { status: 'invalid_signature' } },
        { event_id: 'e6', status: 201, body: { status: 'created', conversion_id: 'conversion-7' } },
        {
          event_id: null,
          status: 400,
          body: { status: 'invalid', errors: ['"event_id" expected a string, received an object', '"conversion" expected an object, received undefined'] },
        },
      ],
    });
    expect(decided.decisions.map((d) => d.record.list)).toEqual([
      'conversions',
      'duplicates',
      'duplicates',
      'rejected',
      'rejected',
      'rejected',
      'conversions',
      'rejected',
    ]);
    expect(decided.decisions[1].record.entry).toMatchObject({ conversion_id: 'conversion-1', event_id: 'e2' });
  });

  test('a conversion recorded before the batch is a duplicate inside it, by event_id before order_number', () => {
    const earlier = { id: 'before' };
    const duplicateOf: BatchWorld['duplicateOf'] = (_market, orderNumber, eventId) =>
      eventId === 'old' ? { reason: 'event_id', original: earlier } : orderNumber === 'OLD' ? { reason: 'order_number', original: earlier } : null;
    const decided = decideBatch(
      batch([
        event({ order_number: 'NEW' }, { event_id: 'new' }),
        event({ order_number: 'NEW' }, { event_id: 'old' }),
        event({ order_number: 'OLD' }, { event_id: 'x' }),
      ]),
      batchWorld({ duplicateOf }),
    );
    expect(decided.decisions.map((d) => [d.status, d.body.reason, d.record.entry.conversion_id ?? d.record.entry.id])).toEqual([
      [201, undefined, 'conversion-1'],
      [200, 'event_id', 'before'],
      [200, 'order_number', 'before'],
    ]);
  });

  test('one event alone is a batch too', () => {
    expect(decideBatch(batch([event()]), batchWorld()).body).toEqual({
      status: 'batch',
      results: [{ event_id: 'event-1', status: 201, body: { status: 'created', conversion_id: 'conversion-1' } }],
    });
  });

  test.each([
    ['events missing', batch(undefined), '"events" expected a list of 1 to 25 conversion events, received undefined'],
    ['events an object', batch({ 0: event() }), '"events" expected a list of 1 to 25 conversion events, received an object'],
    ['events empty', batch([]), '"events" expected a list of 1 to 25 conversion events, received an empty list'],
    [
      '26 events',
      batch(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => event())),
      '"events" expected a list of 1 to 25 conversion events, received 26 events',
    ],
    ['an entry that is a string', batch([event(), 'event']), '"events[1]" expected a conversion event (a JSON object), received "event"'],
    ['an entry that is a list', batch([[event()]]), '"events[0]" expected a conversion event (a JSON object), received an array'],
    ['an entry that is null', batch([event(), event(), null]), '"events[2]" expected a conversion event (a JSON object), received null'],
    ['another version', { ...batch([event()]), v: 2 }, '"v" expected 1, received 2'],
  ])('%s: one 400 naming the field, nothing decided', (_, body, message) => {
    expect(decideBatch(body, batchWorld())).toEqual({ status: 400, body: { status: 'invalid', errors: [message] }, decisions: [] });
  });
});
