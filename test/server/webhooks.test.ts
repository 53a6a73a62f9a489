// @vitest-environment node
// The Shopify orders webhook (HMAC, mapping, Shopify's retries) and Buyapowa's "Referral confirmed".
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReferralConfirmedWebhook, createShopifyOrdersWebhook, type ReferralConfirmedEvent } from '../../src/server';
import { AUTH_TOKEN, BP_E, MARKET, UPSTREAM, fakeUpstream, type Answer } from './relay-fixtures';

afterEach(() => vi.restoreAllMocks());

const SHOPIFY_SECRET = 'shpss_0123456789abcdef';
// The fields of Shopify's REST order resource a referral needs; the id is above 2^53.
const ORDER_JSON = `{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","email":"jane@smith.com",
"created_at":"2026-11-20T11:00:00-05:00","total_price":"598.94","currency":"USD","buyer_accepts_marketing":true,"customer_locale":"fr",
"name":"#1001","order_number":1001,"discount_codes":[{"code":"TENOFF","amount":"10.00","type":"fixed_amount"}],
"note_attributes":[{"name":"_bp_ref","value":${JSON.stringify(JSON.stringify({ v: 1, t: { bp_e: BP_E }, at: 1, exp: 2 }))}}],
"billing_address":{"first_name":"Jane","last_name":"Smith"},"customer":{"first_name":"J","last_name":"S","email":"other@x.co"}}`;

const hmac = (body: string, secret = SHOPIFY_SECRET) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');
const shopifyRequest = (body: string, signature: string | null, topic = 'orders/create') =>
  new Request('https://www.shop.test/hooks/shopify/orders', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-shopify-topic': topic, ...(signature === null ? {} : { 'X-Shopify-Hmac-Sha256': signature }) },
  });

function shopifyHook(answers: Answer[] = []) {
  const upstream = fakeUpstream(answers);
  const hook = createShopifyOrdersWebhook({ shopifySecret: SHOPIFY_SECRET, market: MARKET, authToken: AUTH_TOKEN, baseUrl: UPSTREAM, fetch: upstream.fetch });
  return { hook, upstream };
}

describe('createShopifyOrdersWebhook', () => {
  it('forwards an order with a good HMAC once, as the guide JSON with the cart referral', async () => {
    const { hook, upstream } = shopifyHook();
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'created', referral: 'cart' });
    expect(upstream.calls).toHaveLength(1);
    expect(upstream.calls[0].body).toEqual({
      order: {
        referrer_email: 'john@doe.com',
        voucher_code: 'TENOFF',
        full_name: 'Jane, Smith',
        email_address: 'jane@smith.com',
        marketing_opt_in: 'true',
        order_value: '598.94',
        order_number: '820982911946154508',
        order_timestamp: String(Date.parse('2026-11-20T16:00:00Z') / 1000),
        locale: 'fr',
      },
    });
  });

  it('uses the friend voucher from the landing when the order has no discount code', async () => {
    const { hook, upstream } = shopifyHook();
    const body = ORDER_JSON.replace(/"discount_codes":\[[^\]]*\]/, '"discount_codes":[]');
    await hook(shopifyRequest(body, hmac(body)));
    expect((upstream.calls[0].body as { order: { voucher_code: string } }).order.voucher_code).toBe('FRIENDCODE1');
  });

  it.each([
    ['a wrong HMAC', hmac(ORDER_JSON, 'another secret')],
    ['no HMAC header', null],
    ['an HMAC of another body', hmac(ORDER_JSON + ' ')],
    ['a truncated HMAC', hmac(ORDER_JSON).slice(0, 20)],
  ])('answers 401 and forwards nothing for %s', async (_, signature) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hook, upstream } = shopifyHook();
    expect((await hook(shopifyRequest(ORDER_JSON, signature))).status).toBe(401);
    expect(upstream.calls).toHaveLength(0);
  });

  it('answers 503 when upstream fails, so Shopify retries, then 200 on the retry', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hook, upstream } = shopifyHook([{ status: 500 }]);
    const first = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON)));
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('10');
    expect((await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON)))).status).toBe(200);
    expect(upstream.calls).toHaveLength(2);
  });

  it('answers 200 and logs an order that can never be forwarded (no email)', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { hook, upstream } = shopifyHook();
    const body = JSON.stringify({ id: 5, admin_graphql_api_id: 'gid://shopify/Order/5', total_price: '1.00' });
    const response = await hook(shopifyRequest(body, hmac(body)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'skipped' });
    expect(error.mock.calls.join(' ')).toContain('"email" expected');
    expect(upstream.calls).toHaveLength(0);
  });

  it.each([
    [
      '200 with the problem that it is already tracked',
      { status: 200, body: { status: 'processed', created: 0, problems: ['Referral not created: order_number 820982911946154508 was already tracked'] } },
    ],
    ['422 naming a duplicate order number', { status: 422, body: { status: 'invalid', problems: ['Duplicate order_number'] } }],
  ])("treats the API's duplicate answer (%s) as success: 200 duplicate, no error logged", async (_, answer) => {
    const error = vi.spyOn(console, 'error');
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const { hook } = shopifyHook([answer]);
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON)));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'duplicate', order_number: '820982911946154508' });
    expect(error).not.toHaveBeenCalled();
  });

  it('orders/cancelled reconciles the order number as failed through /api/referrals/confirmations', async () => {
    const { hook, upstream } = shopifyHook([{ status: 201, body: { status: 'updated', updated: 1, problems: [] } }]);
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON), 'orders/cancelled'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'reconciled', order_number: '820982911946154508', reconciliation: 'failed' });
    expect(upstream.calls).toHaveLength(1);
    expect(upstream.calls[0]).toMatchObject({
      url: `${UPSTREAM}/api/referrals/confirmations`,
      method: 'POST',
      body: { order: { order_number: '820982911946154508', status: 'failed' } },
    });
  });

  it('orders/cancelled answers 503 with Retry-After when the API is down, so Shopify retries it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hook } = shopifyHook([{ status: 503, headers: { 'retry-after': '7' } }]);
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON), 'orders/cancelled'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('orders/cancelled answered 404 (no referral for that order number): 200 not_tracked, so Shopify stops', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hook } = shopifyHook([{ status: 404, body: { status: 'not_found', problems: ['Referral not found'] } }]);
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON), 'orders/cancelled'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'not_tracked', order_number: '820982911946154508' });
  });

  it('orders/cancelled with credentials refused (401): 503, Retry-After 600, logged', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { hook } = shopifyHook([{ status: 401, body: { status: 'unauthorized', problems: ['The wrong auth_id/auth_token combination is given'] } }]);
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON), 'orders/cancelled'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('600');
    expect(error.mock.calls.join(' ')).toContain('the market id "demo", the auth token or the region/baseUrl is wrong');
  });

  it('answers 200 ignored to another topic and forwards nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hook, upstream } = shopifyHook();
    const response = await hook(shopifyRequest(ORDER_JSON, hmac(ORDER_JSON), 'orders/updated'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ignored', topic: 'orders/updated' });
    expect(warn.mock.calls.join(' ')).toContain('subscribe this URL to orders/create, orders/paid, orders/cancelled only');
    expect(upstream.calls).toHaveLength(0);
  });

  it('refuses to start without the Shopify secret', () => {
    expect(() => createShopifyOrdersWebhook({ market: MARKET, authToken: AUTH_TOKEN } as never)).toThrow(/"shopifySecret" expected/);
  });
});

// The guide's example payload, trailing comma included.
const GUIDE_PAYLOAD = `{
  "campaign" : "invite-a-friend",
  "customer" : {
    "email" : "john@doe.com",
    "client_data" : { "customer_number": "123" },
    "custom_fields" : [{"label" : "Mobile", "value" : "07123456789" }],
  },
  "referral": {
    "friend" : { "first_name" : "Jane", "last_name" : "Smith", "email" : "jane@smith.com", "marketing_opt_in" : "true" },
    "order" : { "total_cents" : "4299", "currency" : "gbp", "voucher_code" : "VOUCHER42", "reward_category": "Bonus50", "order_number" : "P00337193" }
  },
  "total_referrals": "2"
}`;
const AUTH = { username: 'buyapowa', password: 'correct horse' };
const basic = (user: string, password: string) => 'Basic ' + btoa(user + ':' + password);
const confirmed = (body: string, authorization = basic(AUTH.username, AUTH.password)) =>
  new Request('https://www.shop.test/hooks/referral-confirmed', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization } });

describe('createReferralConfirmedWebhook', () => {
  it("parses the guide's payload into a typed event and answers 204 after onEvent resolves", async () => {
    const events: ReferralConfirmedEvent[] = [];
    let resolved = false;
    const hook = createReferralConfirmedWebhook(
      async (event) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(event);
        resolved = true;
      },
      { auth: AUTH },
    );
    const response = await hook(confirmed(GUIDE_PAYLOAD));
    expect(resolved).toBe(true);
    expect(response.status).toBe(204);
    expect(events[0]).toMatchObject({
      campaign: 'invite-a-friend',
      customer: { email: 'john@doe.com', client_data: { customer_number: '123' }, custom_fields: [{ label: 'Mobile', value: '07123456789' }] },
      referral: {
        friend: { email: 'jane@smith.com', marketing_opt_in: 'true' },
        order: { order_number: 'P00337193', total_cents: '4299', reward_category: 'Bonus50' },
      },
      total_referrals: '2',
      totalReferrals: 2,
      totalCents: 4299,
    });
  });

  it('answers 500 when onEvent fails, so Buyapowa retries', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const hook = createReferralConfirmedWebhook(() => Promise.reject(new Error('db down')), { auth: AUTH });
    expect((await hook(confirmed(GUIDE_PAYLOAD))).status).toBe(500);
  });

  it('answers 400 with the problems for a malformed body, without calling onEvent', async () => {
    const onEvent = vi.fn();
    const hook = createReferralConfirmedWebhook(onEvent, { auth: AUTH });
    const notJson = await hook(confirmed('{"campaign":'));
    expect(notJson.status).toBe(400);
    const missing = await hook(confirmed(JSON.stringify({ campaign: 'c', customer: {}, referral: { friend: {} } })));
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors).toEqual([
      '"customer.email" expected the referrer\'s email address, received undefined',
      '"referral.order" expected an object, received undefined',
    ]);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('answers 401 with WWW-Authenticate for wrong or missing credentials', async () => {
    const onEvent = vi.fn();
    const hook = createReferralConfirmedWebhook(onEvent, { auth: AUTH });
    for (const authorization of [basic('buyapowa', 'wrong'), basic('other', 'correct horse'), '', 'Bearer x']) {
      const response = await hook(confirmed(GUIDE_PAYLOAD, authorization));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('requires auth to be given (or explicitly false)', () => {
    expect(() => createReferralConfirmedWebhook(() => {}, {} as never)).toThrow(/"auth" expected \{ username, password \}/);
    expect(() => createReferralConfirmedWebhook(() => {}, { auth: false })).not.toThrow();
  });
});
