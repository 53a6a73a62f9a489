// @vitest-environment node
// A Shopify store on a real account, end to end: the files generated with --relay, the custom
// pixel run in a simulated Web Pixels sandbox, Shopify's order webhooks (with its retries and the
// cancellation), and the documented Referral tracking and reconciliation APIs played by the dev
// platform's API (examples/platform/api.js) over real HTTP. Each order must end as exactly one
// referral with its referrer, whether the pixel runs or is blocked, however often Shopify delivers.
import { createHmac } from 'node:crypto';
import { createContext, runInContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlatform } from '../../examples/platform/platform.js';
import markets from '../../examples/platform/markets.json';
import { BuyapowaApi } from '../../src/api';
import { createRelay, createShopifyOrdersWebhook, encryptBpE } from '../../src/server';
import { builtPixel } from './helpers';
import { checkout, checkoutCompleted, idle, sandbox } from './sandbox';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));
import { generateShopifySnippets } from '../../src/shopify';

const TOKEN = markets.demo.authToken;
const SHOPIFY_SECRET = 'shpss_0123456789abcdef';
const RELAY = 'https://relay.shop.test/buyapowa';
const ORDER_ID = '820982911946154508';
const FILES = generateShopifySnippets({ marketDomain: 'bp.shop.test', market: 'demo', campaign: 'refer-a-friend', relay: RELAY });

type Platform = Awaited<ReturnType<typeof createPlatform>>;
type Conversion = { fields: Record<string, string>; status: string; attribution: { referrer: { email: string } | null } };
let platform: Platform;
/** The referral as the theme snippet writes it into the `_bp_ref` cart attribute (and the SDK into the cookie). */
let referral: string;

beforeAll(async () => {
  platform = await createPlatform({ port: 0 });
});
afterAll(() => platform.close());
beforeEach(async () => {
  platform.reset();
  // The referrer signs up to the campaign; the share link's bp_e names them.
  await new BuyapowaApi({ market: 'demo', authToken: TOKEN, baseUrl: platform.url }).signups.create({
    campaign_slug: 'refer-a-friend',
    signup: { email: 'john@doe.com', first_name: 'John', last_name: 'Doe' },
  });
  const bpE = encryptBpE({ email: 'john@doe.com', first_name: 'John', last_name: 'Doe' }, TOKEN);
  referral = JSON.stringify({ v: 1, t: { bp_e: bpE }, at: Date.now() - 864e5, exp: Date.now() + 29 * 864e5 });
});
afterEach(() => vi.restoreAllMocks());

const conversions = () => (platform.state('demo').conversions as unknown as Conversion[]).filter((c) => c.fields.order_number === ORDER_ID);

/** The merchant's server: the relay and the orders webhook, reaching the platform's API. */
function server() {
  const upstream = { market: 'demo', authToken: TOKEN, baseUrl: platform.url };
  return {
    relay: createRelay({ ...upstream, secret: markets.demo.secret, allowedOrigins: ['https://www.shop.test'] }),
    webhook: createShopifyOrdersWebhook({ ...upstream, shopifySecret: SHOPIFY_SECRET }),
  };
}

/** Shopify's order resource (REST JSON, as webhooks send it), with the cart attribute. */
function orderJson(over: Record<string, unknown> = {}) {
  return JSON.stringify({
    id: 1,
    admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
    email: 'jane@smith.com',
    created_at: '2026-11-20T11:00:00-05:00',
    total_price: '59.90',
    buyer_accepts_marketing: true,
    discount_codes: [],
    note_attributes: [{ name: '_bp_ref', value: referral }],
    billing_address: { first_name: 'Jane', last_name: 'Smith' },
    cancelled_at: null,
    ...over,
  }).replace('"id":1', `"id":${ORDER_ID}`);
}

/** One delivery of a webhook, signed as Shopify signs it. */
function delivery(topic: string, body = orderJson()) {
  return new Request('https://relay.shop.test/hooks/shopify/orders', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body, 'utf8').digest('base64'),
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    },
  });
}

/**
 * The generated custom-pixel.js on the Thank you page. Everything it could send goes to the
 * relay, and every answer is recorded: the test asserts none is refused (or made at all).
 */
async function runPixel(relay: (request: Request) => Promise<Response>) {
  const sent: { url: string; status: number }[] = [];
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await relay(new Request(new URL(url, 'https://www.shop.test'), init));
    sent.push({ url, status: response.status });
    return response;
  };
  const page = sandbox({ cookies: { bp_ref: encodeURIComponent(referral) } });
  page.globals.browser.sendBeacon = (async (url: string, body?: string) => (await send(url, { method: 'POST', body }), true)) as never;
  const logs: string[] = [];
  const log = (...args: unknown[]) => logs.push(args.join(' '));
  runInContext(
    FILES['custom-pixel.js'],
    createContext({ ...page.globals, fetch: send, console: { info: log, warn: log, error: log, log }, crypto, setTimeout, clearTimeout }),
  );
  page.emit(
    checkoutCompleted(
      checkout({ order: { id: `gid://shopify/OrderIdentity/${ORDER_ID}`, customer: null }, attributes: [{ key: '_bp_ref', value: referral }] }),
    ),
  );
  await idle();
  await vi.waitFor(() => expect(logs.length).toBeGreaterThan(0));
  return { sent, logs };
}

describe('a Shopify store on a real account (--relay plus the orders webhook)', () => {
  it('pixel runs + webhook: one referral with its referrer, and the pixel sends nothing the relay could refuse', async () => {
    const { relay, webhook } = server();
    const pixel = await runPixel(relay);
    expect(pixel.sent).toEqual([]);
    expect(pixel.logs).toEqual([
      expect.stringContaining(`order ${ORDER_ID} carries its referral (cart attribute _bp_ref); your orders webhook records it with the referrer`),
    ]);
    const response = await webhook(delivery('orders/create'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'created', order_number: ORDER_ID, referral: 'cart' });
    expect(conversions()).toEqual([
      expect.objectContaining({ attribution: expect.objectContaining({ referrer: expect.objectContaining({ email: 'john@doe.com' }) }) }),
    ]);
  });

  it('pixel blocked + webhook: one referral, its referrer taken from the cart attribute', async () => {
    const { webhook } = server();
    // No pixel ran (an ad blocker, a declined banner, a closed tab): Shopify's webhook alone.
    const response = await webhook(delivery('orders/create'));
    expect(await response.json()).toMatchObject({ status: 'created', order_number: ORDER_ID, referral: 'cart' });
    expect(conversions()).toHaveLength(1);
    expect(conversions()[0].attribution.referrer?.email).toBe('john@doe.com');
    expect(conversions()[0].fields).toMatchObject({ email_address: 'jane@smith.com', order_value: '59.90', referrer_email: 'john@doe.com' });
  });

  it('a webhook delivered 3 times: one referral, every answer 2xx, the repeats as duplicates', async () => {
    const { webhook } = server();
    const errors = vi.spyOn(console, 'error');
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await webhook(delivery('orders/create'));
      answers.push({ status: response.status, body: (await response.json()).status });
    }
    expect(answers).toEqual([
      { status: 200, body: 'created' },
      { status: 200, body: 'duplicate' },
      { status: 200, body: 'duplicate' },
    ]);
    expect(conversions()).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it('the API down at the first delivery: 503, then Shopify retries into one referral', async () => {
    const { webhook } = server();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});
    await fetch(`${platform.url}/__control/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: [500] }) });
    expect((await webhook(delivery('orders/create'))).status).toBe(503);
    expect(conversions()).toHaveLength(0);
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await webhook(delivery('orders/create'))).status);
    expect(statuses).toEqual([200, 200]);
    expect(conversions()).toHaveLength(1);
  });

  it('both Order creation and Order payment subscribed: one referral', async () => {
    const { webhook } = server();
    vi.spyOn(console, 'info').mockImplementation(() => {});
    expect(await (await webhook(delivery('orders/create'))).json()).toMatchObject({ status: 'created' });
    expect(await (await webhook(delivery('orders/paid'))).json()).toMatchObject({ status: 'duplicate' });
    expect(conversions()).toHaveLength(1);
  });

  it('orders/cancelled reconciles the referral as failed, and again on a retry', async () => {
    const { webhook } = server();
    await webhook(delivery('orders/create'));
    expect(conversions()[0].status).toBe('pending');
    const cancelled = orderJson({ cancelled_at: '2026-11-21T09:00:00-05:00', cancel_reason: 'customer' });
    const response = await webhook(delivery('orders/cancelled', cancelled));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'reconciled', order_number: ORDER_ID, reconciliation: 'failed' });
    // Only POST /api/referrals/confirmations with status "failed" sets this.
    expect(conversions()).toEqual([expect.objectContaining({ status: 'failed' })]);
    // Shopify retries the cancellation: still 2xx, still one failed referral.
    expect((await webhook(delivery('orders/cancelled', cancelled))).status).toBe(200);
    expect(conversions()).toEqual([expect.objectContaining({ status: 'failed' })]);
    // An orders/create retried after the cancellation does not bring the referral back.
    expect(await (await webhook(delivery('orders/create', cancelled))).json()).toMatchObject({ status: 'skipped' });
    expect(conversions()).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('a cancelled order that was never recorded: 200 not_tracked, so Shopify does not retry', async () => {
    const { webhook } = server();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await webhook(delivery('orders/cancelled', orderJson({ cancelled_at: '2026-11-21T09:00:00-05:00' })));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'not_tracked', order_number: ORDER_ID });
  });
});
