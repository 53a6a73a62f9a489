// @vitest-environment node
// createRelay against an injected fake Referral tracking API: the mapping to the guide's JSON,
// signatures, every upstream answer, the click cookie, the noscript pixel and CORS.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRelay, encryptBpE, signFields, type RelayOptions } from '../../src/server';
import { parseReferral } from '../../src/referral';
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
    const event = conversionEvent({ sign: false, referral: null, conversion: { order_number: 42, order_value: 12.5, marketing_opt_in: false, client_data_membership_number: '662-56-3593' } });
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
    const fields = signFields({ customer_email: 'jane@smith.com', order_number: 'PIX1', order_value: '5.00', voucher_codes: ['A', 'B'] }, 'order_number, customer_email, voucher_codes', SECRET);
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
    const preflight = (origin: string) => relay(new Request(RELAY + '/track', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
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

describe('configuration', () => {
  it('names every wrong option at once', () => {
    expect(() => createRelay({ market: MARKET, authToken: AUTH_TOKEN, allowedOrigins: ['https://a.test/path'], attributionDays: 0 } as RelayOptions)).toThrow(
      /"secret" expected your market's secret key[\s\S]*"allowedOrigins" expected[\s\S]*"attributionDays" expected days above 0/,
    );
    expect(() => createRelay({ market: '', authToken: 'short', secret: SECRET })).toThrow(/"market" expected your market id[\s\S]*"authToken" expected .* received 5 characters/);
  });
});
