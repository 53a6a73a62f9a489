// @vitest-environment node
// createRelay against an injected fake Referral tracking API: the mapping to the guide's JSON,
// signatures, every upstream answer, the click cookie, the noscript pixel and CORS.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRelay, encryptBpE, signFields, type RelayOptions } from '../../src/server';
import { parseReferral, referralCookieValue, REFERRAL_COOKIE_MAX_BYTES } from '../../src/core/referral';
import { AUTH_TOKEN, BP_E, EXPECTED_ORDER, MARKET, SECRET, UPSTREAM, conversionEvent, fakeUpstream, post, type Answer } from './relay-fixtures';

const RELAY = 'https://www.shop.test/buyapowa';

function relayWith(answers: Answer[] = [], options: Partial<RelayOptions> = {}) {
  const upstream = fakeUpstream(answers);
  const relay = createRelay({ market: MARKET, authToken: AUTH_TOKEN, baseUrl: UPSTREAM, fetch: upstream.fetch, secret: SECRET, ...options });
  return { relay, upstream };
}

afterEach(() => vi.restoreAllMocks());

describe('POST …/track', () => {
  it('forwards a signed conversion with a referral as the guide JSON, every value a string', async () => {
    const { relay, upstream } = relayWith();
    const response = await relay(post(RELAY + '/track', conversionEvent()));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: 'created', referral: 'event' });
    expect(upstream.calls).toHaveLength(1);
    const [call] = upstream.calls;
    expect(call.url).toBe(UPSTREAM + '/api/referrals/track');
    expect(call.method).toBe('POST');
    expect(call.headers).toMatchObject({ auth_id: MARKET, auth_token: AUTH_TOKEN, 'content-type': 'application/json' });
    expect(call.body).toEqual({ order: EXPECTED_ORDER });
    for (const value of Object.values((call.body as { order: Record<string, unknown> }).order)) expect(typeof value).toBe('string');
  });

  it("keeps the order's own voucher code over the landing's, and takes the first of voucher_codes", async () => {
    const { relay, upstream } = relayWith();
    await relay(post(RELAY + '/track', conversionEvent({ conversion: { voucher_code: 'BPCRAW1234' } })));
    await relay(post(RELAY + '/track', conversionEvent({ conversion: { order_number: 'O2', voucher_codes: ['CODE1', 'CODE2'] } })));
    expect(upstream.calls.map((c) => (c.body as { order: { voucher_code: string } }).order.voucher_code)).toEqual(['BPCRAW1234', 'CODE1']);
  });

  it('writes numbers, booleans and client data as the guide strings', async () => {
    const { relay, upstream } = relayWith([], { acceptUnsigned: true });
    const event = conversionEvent({
      sign: false,
      referral: null,
      conversion: { order_number: 42, order_value: 12.5, marketing_opt_in: false, client_data_membership_number: '662-56-3593' },
    });
    delete (event as { referral?: unknown }).referral;
    expect((await relay(post(RELAY + '/track', event))).status).toBe(201);
    expect((upstream.calls[0].body as { order: unknown }).order).toEqual({
      full_name: 'Jane, Smith',
      email_address: 'jane@smith.com',
      marketing_opt_in: 'false',
      order_value: '12.50',
      order_number: '42',
      order_timestamp: '1795410000',
      reward_category: '25OFF',
      locale: 'en',
      client_data: { membership_number: '662-56-3593' },
    });
  });

  it('reads the referral from the bp_ref cookie when the event carries none', async () => {
    const { relay, upstream } = relayWith();
    const event = conversionEvent();
    delete (event as { referral?: unknown }).referral;
    const cookie = 'bp_ref=' + encodeURIComponent(JSON.stringify({ v: 1, t: { bp_e: BP_E }, at: Date.now(), exp: Date.now() + 864e5 }));
    const response = await relay(post(RELAY + '/track', event, { cookie }));
    expect(await response.json()).toEqual({ status: 'created', referral: 'cookie' });
    expect((upstream.calls[0].body as { order: unknown }).order).toEqual(EXPECTED_ORDER);
  });

  it('forwards without a referrer when the bp_e was made with another token, and says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { relay, upstream } = relayWith();
    const other = encryptBpE({ email: 'x@y.co' }, 'ffffffff-8a3d-431e-975b-b5d3f36aa710');
    const response = await relay(post(RELAY + '/track', conversionEvent({ referral: { tokens: { bp_e: other }, captured_at: 1 } })));
    expect(response.status).toBe(201);
    expect((upstream.calls[0].body as { order: Record<string, unknown> }).order.referrer_email).toBeUndefined();
    expect(warn.mock.calls.join(' ')).toContain('does not decrypt');
  });

  it('refuses an unsigned conversion with 422 signature_required, forwarding nothing', async () => {
    const { relay, upstream } = relayWith();
    const response = await relay(post(RELAY + '/track', conversionEvent({ sign: false })));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ status: 'signature_required' });
    expect(upstream.calls).toHaveLength(0);
  });

  it('forwards an unsigned conversion with acceptUnsigned: true', async () => {
    const { relay, upstream } = relayWith([], { acceptUnsigned: true, secret: undefined });
    expect((await relay(post(RELAY + '/track', conversionEvent({ sign: false })))).status).toBe(201);
    expect(upstream.calls).toHaveLength(1);
  });

  it('refuses a bad signature with 401, and a signature that leaves customer_email out', async () => {
    const { relay, upstream } = relayWith();
    const tampered = conversionEvent();
    (tampered.conversion as Record<string, unknown>).order_number = 'ORDER999';
    const tamperedAnswer = await relay(post(RELAY + '/track', tampered));
    expect(tamperedAnswer.status).toBe(401);
    expect(await tamperedAnswer.json()).toMatchObject({ status: 'invalid_signature' });
    const partial = conversionEvent({ sign: false });
    partial.conversion = signFields(partial.conversion, ['order_number'], SECRET);
    const partialAnswer = await relay(post(RELAY + '/track', partial));
    expect(partialAnswer.status).toBe(401);
    expect((await partialAnswer.json()).reason).toContain('customer_email');
    expect(upstream.calls).toHaveLength(0);
  });

  it('answers 400 naming the field for a missing email, another market, or a body that is not JSON', async () => {
    const { relay, upstream } = relayWith([], { acceptUnsigned: true });
    const noEmail = await relay(post(RELAY + '/track', conversionEvent({ sign: false, conversion: { customer_email: '' } })));
    expect(noEmail.status).toBe(400);
    expect((await noEmail.json()).errors[0]).toContain('"conversion.customer_email" expected an email address');
    const otherMarket = await relay(post(RELAY + '/track', conversionEvent({ market: 'other' })));
    expect((await otherMarket.json()).errors[0]).toBe('"market" expected "demo" (this relay\'s market), received "other"');
    const notJson = await relay(post(RELAY + '/track', 'not json'));
    expect(notJson.status).toBe(400);
    expect(upstream.calls).toHaveLength(0);
  });

  describe('upstream answers, as the browser outbox needs them', () => {
    const send = async (answers: Answer[]) => {
      const { relay, upstream } = relayWith(answers);
      const response = await relay(post(RELAY + '/track', conversionEvent()));
      return { response, body: await response.json(), upstream };
    };

    it('200 with problems → 200 with the problems (delivered)', async () => {
      const { response, body } = await send([{ status: 200, body: { problems: ['Referral not created: order ORDER123 was already tracked'] } }]);
      expect(response.status).toBe(200);
      expect(body).toEqual({ status: 'not_created', problems: ['Referral not created: order ORDER123 was already tracked'] });
    });

    it('422 → 400 with the problems (rejected)', async () => {
      const { response, body } = await send([{ status: 422, body: { errors: ['order_value is not XX.YY'] } }]);
      expect(response.status).toBe(400);
      expect(body.problems).toEqual(['order_value is not XX.YY']);
    });

    it.each([401, 403, 404])('%i (the relay is misconfigured) → 503 with Retry-After, logged loudly', async (status) => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const { response, upstream } = await send([{ status }]);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(error.mock.calls.join(' ')).toContain(`answered ${status}`);
      expect(error.mock.calls.join(' ')).not.toContain(AUTH_TOKEN);
      expect(upstream.calls).toHaveLength(1);
    });

    it.each([
      ['429 with Retry-After: 120', { status: 429, headers: { 'retry-after': '120' } }, '30'],
      ['503 with Retry-After: 5', { status: 503, headers: { 'retry-after': '5' } }, '5'],
      ['500 without Retry-After', { status: 500 }, '10'],
      ['408 (the API timed out waiting)', { status: 408 }, '10'],
      ['503 with an HTTP-date Retry-After an hour away', { status: 503, headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() } }, '30'],
      ['503 with an HTTP-date Retry-After past', { status: 503, headers: { 'retry-after': new Date(Date.now() - 60_000).toUTCString() } }, '0'],
      ['a network error', 'network', '10'],
    ] as [string, Answer, string][])('%s → 503 with Retry-After %s (capped at 30), no retry inside the request', async (_, answer, retryAfter) => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      const { response, upstream } = await send([answer]);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe(retryAfter);
      expect(upstream.calls).toHaveLength(1);
    });
  });
});

describe('POST …/track: the one email rule', () => {
  it('refuses an address without a dot in its domain, as the browser SDK and the API client do', async () => {
    const { relay, upstream } = relayWith([], { acceptUnsigned: true });
    const response = await relay(post(RELAY + '/track', conversionEvent({ sign: false, conversion: { customer_email: 'jane@localhost' } })));
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0]).toMatch(/"conversion.customer_email" expected an email address/);
    expect(upstream.calls).toHaveLength(0);
  });
});

describe('POST …/track with a batch (docs/protocol.md §2.4)', () => {
  /** A signed conversion with its own event_id and order number. */
  const named = (id: string, overrides: Parameters<typeof conversionEvent>[0] = {}) => ({
    ...conversionEvent({ ...overrides, conversion: { order_number: `ORDER-${id}`, ...overrides.conversion } }),
    event_id: id,
  });
  const batch = (events: unknown) => ({ v: 1, type: 'batch', events });
  type Result = { event_id: string | null; status: number; body: Record<string, unknown>; retry_after?: string };
  const resultsOf = async (response: Response) => ((await response.json()) as { status: string; results: Result[] }).results;
  const ordersOf = (upstream: ReturnType<typeof relayWith>['upstream']) =>
    upstream.calls.map((call) => (call.body as { order: { order_number: string } }).order.order_number);

  it('handles each event like a single one, in order, and answers 200 with one result per event', async () => {
    const { relay, upstream } = relayWith([{ status: 201 }, { status: 200, body: { problems: ['Referral not created: order ORDER-g was already tracked'] } }]);
    const forged = named('b');
    (forged.conversion as Record<string, unknown>).order_number = 'ORDER-forged';
    const response = await relay(
      post(
        RELAY + '/track',
        batch([
          named('a'),
          forged,
          named('c', { sign: false }),
          named('d', { conversion: { customer_email: 'not an email' } }),
          named('e', { market: 'other' }),
          { ...named('f'), type: 'click' },
          named('g'),
          { ...named('h'), event_id: 42 },
        ]),
      ),
    );
    expect(response.status).toBe(200);
    const results = await resultsOf(response);
    expect(results.map((r) => [r.event_id, r.status, r.body.status, r.retry_after])).toEqual([
      ['a', 201, 'created', undefined],
      ['b', 401, 'invalid_signature', undefined],
      ['c', 422, 'signature_required', undefined],
      ['d', 400, 'invalid', undefined],
      ['e', 400, 'invalid', undefined],
      ['f', 400, 'invalid', undefined],
      ['g', 200, 'not_created', undefined],
      [null, 201, 'created', undefined],
    ]);
    expect(results[0].body).toEqual({ status: 'created', referral: 'event' });
    expect(results[4].body.errors).toEqual(['"market" expected "demo" (this relay\'s market), received "other"']);
    expect(results[5].body.errors).toEqual(['"type" expected "conversion", received "click"']);
    expect(results[6].body.problems).toEqual(['Referral not created: order ORDER-g was already tracked']);
    expect(ordersOf(upstream)).toEqual(['ORDER-a', 'ORDER-g', 'ORDER-h']);
    expect((upstream.calls[0].body as { order: unknown }).order).toEqual({ ...EXPECTED_ORDER, order_number: 'ORDER-a' });
  });

  it("puts an upstream 503's Retry-After in that event's result; the later events are checked, not forwarded", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { relay, upstream } = relayWith([{ status: 201 }, { status: 503, headers: { 'retry-after': '5' } }]);
    const response = await relay(post(RELAY + '/track', batch([named('a'), named('b'), named('c', { sign: false }), named('d')])));
    expect(response.status).toBe(200);
    expect(response.headers.get('retry-after')).toBeNull();
    expect((await resultsOf(response)).map((r) => [r.event_id, r.status, r.body.status, r.retry_after])).toEqual([
      ['a', 201, 'created', undefined],
      ['b', 503, 'unavailable', '5'],
      ['c', 422, 'signature_required', undefined],
      ['d', 503, 'unavailable', '5'],
    ]);
    expect(ordersOf(upstream)).toEqual(['ORDER-a', 'ORDER-b']);
  });

  it.each([
    ['events missing', batch(undefined), '"events" expected a list of 1 to 25 conversion events, received undefined'],
    ['events an object', batch({ 0: {} }), '"events" expected a list of 1 to 25 conversion events, received an object'],
    ['events empty', batch([]), '"events" expected a list of 1 to 25 conversion events, received an empty list'],
    [
      '26 events',
      batch(Array.from({ length: 26 }, (_, i) => ({ event_id: `e${i}` }))),
      '"events" expected a list of 1 to 25 conversion events, received 26 events',
    ],
    ['an entry that is not an object', batch([{}, 'event']), '"events[1]" expected a conversion event (a JSON object), received "event"'],
    ['an entry that is null', batch([null]), '"events[0]" expected a conversion event (a JSON object), received null'],
  ])('a malformed batch (%s) is one 400 naming events, forwarding nothing', async (_, body, message) => {
    const { relay, upstream } = relayWith([], { allowedOrigins: ['https://checkout.shop.test'] });
    const response = await relay(post(RELAY + '/track', body, { origin: 'https://checkout.shop.test' }));
    expect([response.status, await response.json()]).toEqual([400, { status: 'invalid', errors: [message] }]);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://checkout.shop.test');
    expect(upstream.calls).toHaveLength(0);
  });

  it('refuses a batch over the 64 KiB body limit with 413, forwarding nothing', async () => {
    const { relay, upstream } = relayWith();
    const padded = (id: string) => ({ ...named(id), page: 'https://www.shop.test/' + 'x'.repeat(3000) });
    const body = JSON.stringify(batch(Array.from({ length: 25 }, (_, i) => padded(`e${i}`))));
    expect(body.length).toBeGreaterThan(64 * 1024);
    const response = await relay(post(RELAY + '/track', body));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0]).toBe(`"body" expected at most 65536 bytes, received ${body.length}`);
    expect(upstream.calls).toHaveLength(0);
  });

  it('counts the body limit in bytes: 30,000 euro signs are 90,000 bytes of UTF-8', async () => {
    const { relay, upstream } = relayWith();
    const body = JSON.stringify(batch([{ ...named('e1'), page: 'https://www.shop.test/' + '€'.repeat(30_000) }, named('e2')]));
    expect(body.length).toBeLessThan(64 * 1024);
    const response = await relay(post(RELAY + '/track', body));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0]).toBe(`"body" expected at most 65536 bytes, received ${new TextEncoder().encode(body).length}`);
    expect(upstream.calls).toHaveLength(0);
  });

  it('lets an allowed origin read a batch answer, like a single one', async () => {
    const { relay } = relayWith([], { allowedOrigins: ['https://checkout.shop.test'] });
    const response = await relay(post(RELAY + '/track', batch([named('a'), named('b')]), { origin: 'https://checkout.shop.test' }));
    expect(response.status).toBe(200);
    expect([response.headers.get('access-control-allow-origin'), response.headers.get('access-control-expose-headers')]).toEqual([
      'https://checkout.shop.test',
      'Retry-After',
    ]);
  });
});

describe('POST …/click', () => {
  const click = { v: 1, type: 'click', event_id: 'e1', market: MARKET, tokens: { bp_e: BP_E }, captured_at: 0, page: 'https://www.shop.test/' };

  it('answers 204 and re-sets the SDK referral cookie on cookieDomain for attributionDays', async () => {
    const { relay, upstream } = relayWith([], { cookieDomain: 'shop.test', attributionDays: 60 });
    const capturedAt = Date.now() - 1000;
    const response = await relay(post(RELAY + '/click', { ...click, captured_at: capturedAt }));
    expect(response.status).toBe(204);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^bp_ref=[^;]+; Path=\/; Max-Age=(518399\d|5184000); SameSite=Lax; Domain=shop\.test; Secure$/);
    const stored = parseReferral(cookie.slice('bp_ref='.length, cookie.indexOf(';')));
    expect(stored).toEqual({ v: 1, t: { bp_e: BP_E }, at: capturedAt, exp: capturedAt + 60 * 864e5, b: 1 });
    expect(upstream.calls).toHaveLength(0);
  });

  it('leaves Secure off on http and Domain off without cookieDomain', async () => {
    const { relay } = relayWith();
    const cookie = (await relay(post('http://localhost:3000/buyapowa/click', click))).headers.get('set-cookie')!;
    expect(cookie).toMatch(/; Max-Age=2592000; SameSite=Lax$/);
  });

  it('leaves out the tokens that do not fit the cookie, as the browser SDK does, and keeps the others', async () => {
    const { relay } = relayWith();
    const long = 'x'.repeat(REFERRAL_COOKIE_MAX_BYTES);
    const capturedAt = Date.now() - 1000;
    const cookie = (await relay(post(RELAY + '/click', { ...click, tokens: { bp_e: BP_E, ref: long, src: 'mail' }, captured_at: capturedAt }))).headers.get(
      'set-cookie',
    )!;
    const value = cookie.slice('bp_ref='.length, cookie.indexOf(';'));
    expect(parseReferral(value)!.t).toEqual({ bp_e: BP_E, src: 'mail' });
    expect(value.length).toBeLessThanOrEqual(REFERRAL_COOKIE_MAX_BYTES);
    // The one serialiser the browser writes its cookie with.
    const stored = { v: 1 as const, t: { bp_e: BP_E, ref: long, src: 'mail' }, at: capturedAt, exp: capturedAt + 30 * 864e5, b: 1 as const };
    expect(value).toBe(referralCookieValue(stored));
  });

  it('answers 400 without tokens', async () => {
    const { relay } = relayWith();
    const response = await relay(post(RELAY + '/click', { ...click, tokens: {} }));
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET …/track.gif', () => {
  const pixel = (fields: Record<string, string | string[]>) => {
    const query = new URLSearchParams({ v: '1', market: MARKET });
    for (const [key, value] of Object.entries(fields)) for (const item of ([] as string[]).concat(value)) query.append(key, item);
    return new Request(RELAY + '/track.gif?' + query);
  };

  it('forwards a signed pixel and answers a GIF', async () => {
    const { relay, upstream } = relayWith();
    const fields = signFields(
      { customer_email: 'jane@smith.com', order_number: 'PIX1', order_value: '5.00', voucher_codes: ['A', 'B'] },
      'order_number, customer_email, voucher_codes',
      SECRET,
    );
    const response = await relay(pixel(fields));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode('GIF89a'));
    expect((upstream.calls[0].body as { order: Record<string, string> }).order).toMatchObject({ order_number: 'PIX1', voucher_code: 'A', order_value: '5.00' });
  });

  it('answers a GIF to an unsigned pixel and forwards nothing', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { relay, upstream } = relayWith();
    const response = await relay(pixel({ customer_email: 'jane@smith.com', order_number: 'PIX2' }));
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(upstream.calls).toHaveLength(0);
  });
});

describe('routing and CORS', () => {
  it('answers 404 for anything else, and 405 for a GET of /track', async () => {
    const { relay } = relayWith();
    expect((await relay(new Request(RELAY + '/other', { method: 'POST' }))).status).toBe(404);
    expect((await relay(new Request(RELAY + '/track/extra', { method: 'POST' }))).status).toBe(404);
    expect((await relay(new Request(RELAY + '/track'))).status).toBe(405);
  });

  it('answers a preflight for an allowed origin only, matching it exactly', async () => {
    const { relay } = relayWith([], { allowedOrigins: ['https://checkout.shop.test'] });
    const preflight = (origin: string) =>
      relay(new Request(RELAY + '/track', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    const allowed = await preflight('https://checkout.shop.test');
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      'access-control-allow-origin': 'https://checkout.shop.test',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
    });
    for (const origin of ['https://checkout.shop.test.evil.com', 'http://checkout.shop.test', 'https://evil.com']) {
      const refused = await preflight(origin);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('lets an allowed origin read the answer and Retry-After', async () => {
    const { relay } = relayWith([], { allowedOrigins: ['https://checkout.shop.test'] });
    const response = await relay(post(RELAY + '/track', conversionEvent(), { origin: 'https://checkout.shop.test' }));
    expect(response.headers.get('access-control-allow-origin')).toBe('https://checkout.shop.test');
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });
});

describe('logger', () => {
  it('logs through the logger option, never console', async () => {
    const console_ = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error')];
    const logger = { error: vi.fn(), warn: vi.fn() };
    const { relay } = relayWith([{ status: 503 }, { status: 401 }], { logger });
    expect((await relay(post(RELAY + '/track', conversionEvent()))).status).toBe(503);
    expect((await relay(post(RELAY + '/track', conversionEvent()))).status).toBe(503);
    expect(logger.warn.mock.calls[0][0]).toMatch(/createRelay: the Referral tracking API is unavailable \(503\)/);
    expect(logger.error.mock.calls[0][0]).toMatch(/createRelay: the Referral tracking API answered 401/);
    for (const spy of console_) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a logger without error() and warn()', () => {
    expect(() => relayWith([], { logger: { error() {} } as never })).toThrow(/"logger" expected an object with error\(\) and warn\(\) methods/);
  });
});

describe('configuration', () => {
  it('names every wrong option at once', () => {
    expect(() => createRelay({ market: MARKET, authToken: AUTH_TOKEN, allowedOrigins: ['https://a.test/path'], attributionDays: 0 } as RelayOptions)).toThrow(
      /"secret" expected your market's secret key[\s\S]*"allowedOrigins" expected[\s\S]*"attributionDays" expected days above 0/,
    );
    expect(() => createRelay({ market: '', authToken: 'short', secret: SECRET })).toThrow(
      /"market" expected your market id[\s\S]*"authToken" expected .* received 5 characters/,
    );
  });
});
