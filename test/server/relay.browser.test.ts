// Issue 13 in real Chromium: a shop serves its pages and mounts createRelay at /buyapowa (same
// origin, as a merchant would); the relay forwards to the dev platform's Referral tracking API
// (/api/referrals/track). The script tag's data-relay points the SDK at it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRelay, decryptBpE, signFields, toNodeListener } from '../../src/server';
import { collectConsole, freshPages, runClockUntil, launchChromium, startStack, waitFor, type FreshPages, type Stack } from '../chromium/harness';

const MARKET = 'demo';
const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';
const AUTH_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';

let stack: Stack;
let browser: Browser;
let shop: http.Server;
let shopUrl = '';
let context: BrowserContext;
let page: Page;
let pages: FreshPages;
/** What the relay sent upstream, and what upstream answered. */
const upstreamCalls: { order: Record<string, string>; status: number }[] = [];
/** What the relay answered the browser. */
const relayAnswers: { path: string; status: number }[] = [];

const script = (s: unknown) => JSON.stringify(s).replace(/</g, '\\u003c');

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  pages = freshPages(browser);
  const relay = createRelay({
    market: MARKET,
    authToken: AUTH_TOKEN,
    secret: SECRET,
    baseUrl: stack.platform.url,
    cookieDomain: 'shop.test',
    attributionDays: 60,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      upstreamCalls.push({ order: JSON.parse(String(init.body)).order, status: response.status });
      return response;
    },
  });
  const relayListener = toNodeListener(async (request) => {
    const response = await relay(request);
    relayAnswers.push({ path: new URL(request.url).pathname, status: response.status });
    return response;
  });
  const tag = `<script src="${stack.platformUrl}/embedding.min.js" data-url="${stack.platformUrl}" data-market="${MARKET}" data-relay="/buyapowa"></script>`;
  shop = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname.startsWith('/buyapowa/')) return relayListener(req, res);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/landing') return res.end(`<!doctype html><title>Landing</title>${tag}`);
    if (url.pathname === '/thanks') {
      // The order confirmation page, rendered by the shop's server, which signs the conversion.
      const fields = {
        customer_name: 'Jane, Smith',
        customer_email: 'jane@smith.test',
        order_number: url.searchParams.get('order')!,
        order_value: '42.50',
        marketing_opt_in: 'true',
        locale: 'en',
      };
      const conversion = url.searchParams.has('unsigned') ? fields : signFields(fields, ['order_number', 'customer_email'], SECRET);
      return res.end(
        `<!doctype html><title>Thanks</title>${tag}<script>new Buyapowa({ url: ${script(stack.platformUrl)}, market: "${MARKET}" }).track(${script(conversion)});</script>`,
      );
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://www.shop.test:${(shop.address() as AddressInfo).port}`;
  stack.platform.setMerchantUrl(shopUrl + '/landing');
});
afterAll(async () => {
  await pages?.close();
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await stack?.close();
});
beforeEach(async () => {
  upstreamCalls.length = 0;
  relayAnswers.length = 0;
  await stack.reset();
  ({ context, page } = await pages.next());
});
afterEach(() => context.close());

const conversionsOf = async (order: string) => (await stack.state()).conversions.filter((c) => c.fields.order_number === order);

describe('the relay in Chromium, against the dev platform', () => {
  it('a landing with a referral bp_e, then a signed conversion, arrives as the guide JSON with referrer_email and the voucher', async () => {
    const referrer = await stack.createReferrer({ name: 'John Doe', email: 'john@doe.test' });
    await page.goto(referrer.share_url);
    await page.waitForURL(/\/landing\?bp_e=/);
    const bpE = new URL(page.url()).searchParams.get('bp_e')!;
    const friendVoucher = (decryptBpE(bpE, AUTH_TOKEN) as { voucher_code: string }).voucher_code;
    // The click beacon reached the relay, which re-set the referral cookie for the whole window.
    await waitFor(() => relayAnswers.find((a) => a.path === '/buyapowa/click' && a.status === 204), { message: 'the click at the relay' });
    // The relay has answered; the browser applies its Set-Cookie when the response arrives.
    const cookie = await waitFor(async () => (await context.cookies(shopUrl)).find((c) => c.name === 'bp_ref' && c.expires - Date.now() / 1000 > 59 * 86400), {
      message: 'the referral cookie re-set by the relay for the whole window',
    });
    expect(cookie).toMatchObject({ domain: '.shop.test', sameSite: 'Lax' });

    await page.goto(shopUrl + '/thanks?order=RELAY1');
    const [conversion] = await waitFor(() => conversionsOf('RELAY1').then((list) => list.length && list), { message: 'the conversion on the platform' });
    expect(conversion).toMatchObject({ transport: 'api', attribution: { referrer: { email: 'john@doe.test' } } });
    expect(upstreamCalls).toHaveLength(1);
    expect(upstreamCalls[0]).toEqual({
      status: 201,
      order: {
        referrer_email: 'john@doe.test',
        voucher_code: friendVoucher,
        full_name: 'Jane, Smith',
        email_address: 'jane@smith.test',
        marketing_opt_in: 'true',
        order_value: '42.50',
        order_number: 'RELAY1',
        order_timestamp: expect.stringMatching(/^\d{10}$/),
        locale: 'en',
      },
    });
    expect(relayAnswers.filter((a) => a.path === '/buyapowa/track')).toEqual([{ path: '/buyapowa/track', status: 201 }]);
  });

  it('refuses an unsigned conversion and forwards nothing', async () => {
    const logs = collectConsole(page);
    await page.goto(shopUrl + '/thanks?order=UNSIGNED1&unsigned=1');
    await waitFor(() => logs.find((line) => line.includes('order UNSIGNED1: rejected (signature_required)')), { message: 'the rejection log line' });
    expect(relayAnswers).toEqual([{ path: '/buyapowa/track', status: 422 }]);
    expect(upstreamCalls).toEqual([]);
    expect(await conversionsOf('UNSIGNED1')).toEqual([]);
  });

  it('upstream 503 twice, then success: the browser outbox retries through the relay, one referral is created', async () => {
    const control = await fetch(stack.platform.url + '/__control/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        answers: [
          { status: 503, retryAfter: 1 },
          { status: 503, retryAfter: 1 },
        ],
      }),
    });
    expect(control.status).toBe(200);
    // The Retry-After waits pass on the page's fake clock.
    await page.clock.install();
    await page.goto(shopUrl + '/thanks?order=RETRY1');
    await runClockUntil(page, () => conversionsOf('RETRY1').then((list) => list.length), { step: 250, message: 'the conversion after two 503s' });
    // The outbox is empty once the 201 is in: nothing more is sent.
    await waitFor(() => page.evaluate(() => localStorage.getItem('bp_outbox') === '[]' || !localStorage.getItem('bp_outbox')), { message: 'an empty outbox' });
    expect(upstreamCalls.map((c) => c.status)).toEqual([503, 503, 201]);
    expect(relayAnswers.filter((a) => a.path === '/buyapowa/track').map((a) => a.status)).toEqual([503, 503, 201]);
    expect(await conversionsOf('RETRY1')).toHaveLength(1);
  });
});
