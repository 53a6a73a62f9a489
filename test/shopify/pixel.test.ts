// @vitest-environment node
// The custom pixel in a simulated Web Pixels sandbox (sandbox.ts): its logic from source, and
// the generated custom-pixel.js file itself in a fresh JavaScript context.
import { createContext, runInContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtPixel, HOSTILE } from './helpers';
import { answerWith, bodies } from '../fetch-stub';
import { ALLOWED, checkout, checkoutCompleted, DENIED, idle, referralCookie, sandbox } from './sandbox';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets } from '../../src/shopify';
import { LEDGER_KEY, OUTBOX_KEY, retryDelay, startPixel, type PixelConfig } from '../../src/shopify/pixel-core';

const CONFIG: PixelConfig = { url: 'https://bp.shop.com', market: 'demo', campaign: 'raf', debug: true };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let info: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
const logged = () => info.mock.calls.map((c) => String(c[0]));

describe('custom pixel', () => {
  it('sends the conversion of a completed checkout, with the referral cookie, to {url}/track', async () => {
    const fetch = answerWith();
    const at = Date.now() - 864e5;
    const page = sandbox({ cookies: { bp_ref: referralCookie('c/wMvXhE+token==', at) } });
    startPixel(CONFIG, ...page.args);
    expect(page.subscribed()).toEqual(['checkout_completed']);
    page.emit(checkoutCompleted());
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('https://bp.shop.com/track');
    expect(init).toMatchObject({ method: 'POST', credentials: 'include', keepalive: true });
    // A CORS simple request: the content type fetch sends, whether set or implied by a string body.
    expect(new Request(url, init).headers.get('Content-Type')).toBe('text/plain;charset=UTF-8');
    const [body] = bodies(fetch);
    expect(body).toEqual({
      v: 1,
      type: 'conversion',
      event_id: expect.stringMatching(UUID),
      market: 'demo',
      created_at: expect.any(Number),
      sent_at: expect.any(Number),
      attempt: 1,
      transport: 'shopify-pixel',
      sdk: 'js/0.1.0',
      page: 'https://www.shop.com/checkouts/cn/c1-abc/thank-you',
      conversion: {
        customer_name: `${HOSTILE.first}, ${HOSTILE.last}`,
        customer_email: HOSTILE.email,
        marketing_opt_in: 'true',
        order_number: '5210499102',
        order_value: '1134.65',
        voucher_codes: HOSTILE.codes,
        locale: 'pt-BR',
        campaign: 'raf',
      },
      referral: { tokens: { bp_e: 'c/wMvXhE+token==' }, captured_at: at },
    });
  });

  it('sends an order once: a repeated event, another event for the same order, and the next page send nothing', async () => {
    const fetch = answerWith();
    const storage = new Map<string, string>();
    const first = sandbox({ storage });
    startPixel(CONFIG, ...first.args);
    first.emit(checkoutCompleted());
    first.emit(checkoutCompleted());
    first.emit(checkoutCompleted(checkout({ order: { id: '5210499102', customer: null } }), 'sh-other-event'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    await idle();
    expect(logged().filter((l) => l.includes('already tracked'))).toHaveLength(2);

    // The Thank you page reloaded (or a post-purchase page): a new pixel, same storage.
    const again = sandbox({ storage });
    startPixel(CONFIG, ...again.args);
    again.emit(checkoutCompleted(checkout({ order: { id: 'gid://shopify/OrderIdentity/5210499102', customer: null } }), 'sh-third'));
    await idle();
    expect(logged().filter((l) => l.includes('already tracked'))).toHaveLength(3);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(JSON.parse(storage.get(LEDGER_KEY)!)).toEqual(['demo 5210499102', 'event sh-88153c5a-8F2D-4CCA-3231-EF5C032A4C3B']);
    expect(storage.get(OUTBOX_KEY)).toBe('[]');
  });

  it('sends a second order', async () => {
    const fetch = answerWith();
    const page = sandbox();
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted());
    page.emit(checkoutCompleted(checkout({ order: { id: '5210499103', customer: null } }), 'sh-2'));
    // Together in one batch or one request each, as the passes fall: each order once.
    await vi.waitFor(() => expect(bodies(fetch).map((b) => b.conversion.order_number)).toEqual(['5210499102', '5210499103']));
  });

  it('sends and stores nothing while marketing is not allowed, and sends once it is', async () => {
    const fetch = answerWith();
    const page = sandbox({ privacy: DENIED });
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted());
    await idle();
    expect(logged()).toContain('[Buyapowa] pixel: waiting for marketing consent');
    page.consent(DENIED);
    await idle();
    expect(fetch).not.toHaveBeenCalled();
    expect(page.storage.size).toBe(0);

    page.consent(ALLOWED);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    page.consent(ALLOWED);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('takes the referral from the cart attribute when the cookie is not visible', async () => {
    const fetch = answerWith();
    const page = sandbox();
    startPixel(CONFIG, ...page.args);
    const at = Date.now() - 2 * 864e5;
    const attribute = JSON.stringify({ v: 1, t: { bp_e: 'from-cart' }, at, exp: Date.now() + 864e5 });
    page.emit(
      checkoutCompleted(
        checkout({
          attributes: [
            { key: 'gift_note', value: 'hi' },
            { key: '_bp_ref', value: attribute },
          ],
        }),
      ),
    );
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(bodies(fetch)[0].referral).toEqual({ tokens: { bp_e: 'from-cart' }, captured_at: at });
  });

  it('prefers the cookie to the cart attribute, and sends no referral when both are missing or expired', async () => {
    const fetch = answerWith();
    const expired = JSON.stringify({ v: 1, t: { bp_e: 'old' }, at: 1, exp: Date.now() - 1 });
    const page = sandbox({ cookies: { bp_ref: referralCookie('from-cookie') } });
    startPixel(CONFIG, ...page.args);
    page.emit(
      checkoutCompleted(
        checkout({ attributes: [{ key: '_bp_ref', value: JSON.stringify({ v: 1, t: { bp_e: 'from-cart' }, at: 1, exp: Date.now() + 1e6 }) }] }),
      ),
    );
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    page.cookies.bp_ref = encodeURIComponent(expired);
    page.emit(checkoutCompleted(checkout({ order: { id: '2', customer: null }, attributes: [{ key: '_bp_ref', value: expired }] }), 'sh-2'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    const [withCookie, without] = bodies(fetch);
    expect(withCookie.referral.tokens).toEqual({ bp_e: 'from-cookie' });
    expect(without).not.toHaveProperty('referral');
  });

  it("uses the logged-in customer's name and email when the checkout has none, and the shipping name last", async () => {
    const fetch = answerWith();
    const customer = { id: '7', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', ordersCount: 3, phone: null };
    const page = sandbox({ customer });
    startPixel({ url: 'https://bp.shop.com/', market: 'demo', locale: 'en' }, ...page.args);
    page.emit(
      checkoutCompleted(
        checkout({
          billingAddress: null,
          email: null,
          buyerAcceptsEmailMarketing: false,
          discountApplications: [],
          totalPrice: { amount: 1000, currencyCode: 'JPY' },
        }),
      ),
    );
    const guest = sandbox();
    startPixel({ url: 'https://bp.shop.com', market: 'demo' }, ...guest.args);
    const shipping = { ...checkout().shippingAddress!, firstName: 'Ship', lastName: '' };
    guest.emit(checkoutCompleted(checkout({ order: { id: '9', customer: null }, billingAddress: null, shippingAddress: shipping }), 'sh-9'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    const [loggedIn, guestOrder] = bodies(fetch)
      .map((b) => b.conversion)
      .sort((a, b) => b.order_number.length - a.order_number.length);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(loggedIn).toEqual({
      customer_name: 'Ann, Lee',
      customer_email: 'ann@example.com',
      marketing_opt_in: 'false',
      order_number: '5210499102',
      order_value: '1000.00',
      locale: 'en',
    });
    expect(guestOrder.customer_name).toBe('Ship');
    expect(fetch.mock.calls[0][0]).toBe('https://bp.shop.com/track');
  });

  it('sends nothing and says why when the checkout has no email (a phone-only buyer)', async () => {
    const fetch = answerWith();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = sandbox();
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted(checkout({ email: null, phone: '+351 900 000 000' })));
    await vi.waitFor(() => expect(error).toHaveBeenCalled());
    expect(String(error.mock.calls[0][0])).toBe('[Buyapowa] pixel: "customer_email" expected an email address like "jane@example.com", received ""; not sent');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('retries a network error and a 503 with the same event id, then stops', async () => {
    // Fake clock, jitter at its top (Math.random 1: the whole step, src/core/retry.ts): the
    // delays are exactly 1 s, then 2 s. No vi.waitFor here: under fake timers it moves the clock itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fetch = answerWith(0, 503, 201);
    const page = sandbox();
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted());
    await idle();
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(120_000);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(3);
    const sent = bodies(fetch);
    expect(sent.map((b) => b.attempt)).toEqual([1, 2, 3]);
    expect(new Set(sent.map((b) => b.event_id)).size).toBe(1);
    expect(page.storage.get(OUTBOX_KEY)).toBe('[]');
  });

  it('sends at most 6 times per page, then leaves the conversion for the next page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fetch = answerWith(...Array(6).fill(503));
    const storage = new Map<string, string>();
    const first = sandbox({ storage });
    startPixel(CONFIG, ...first.args);
    first.emit(checkoutCompleted());
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(60_000);
      await idle();
    }
    expect(fetch).toHaveBeenCalledTimes(6);
    expect(JSON.parse(storage.get(OUTBOX_KEY)!)).toMatchObject([{ event: { attempt: 6 } }]);

    const next = sandbox({ storage });
    startPixel(CONFIG, ...next.args);
    await vi.advanceTimersByTimeAsync(60_000);
    await idle();
    expect(bodies(fetch).map((b) => b.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(storage.get(OUTBOX_KEY)).toBe('[]');
  });

  it('does not retry what the platform refused', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fetch = answerWith(400);
    const page = sandbox();
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted());
    await idle();
    expect(error).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(120_000);
    await idle();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toMatch(/order 5210499102: rejected \(error\)/);
  });

  it('leaves an undelivered conversion in storage for the next page, which sends it', async () => {
    const storage = new Map<string, string>();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Promise<Response>(() => {})),
    ); // the tab closes mid-request
    const first = sandbox({ storage });
    startPixel(CONFIG, ...first.args);
    first.emit(checkoutCompleted());
    await vi.waitFor(() => expect(JSON.parse(storage.get(OUTBOX_KEY) || '[]')).toHaveLength(1));

    const fetch = answerWith();
    const next = sandbox({ storage });
    startPixel(CONFIG, ...next.args);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(bodies(fetch)[0]).toMatchObject({ attempt: 2, conversion: { order_number: '5210499102' } });
    await vi.waitFor(() => expect(storage.get(OUTBOX_KEY)).toBe('[]'));
  });

  it('still sends once when storage is blocked', async () => {
    const fetch = answerWith();
    const page = sandbox({ blockStorage: true });
    startPixel(CONFIG, ...page.args);
    page.emit(checkoutCompleted());
    page.emit(checkoutCompleted());
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    await idle();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  for (const value of ['[1,2,3]', '"hello"', '42', '{"a":1}', '[null]', '{"__proto__":{"x":1}}'])
    it(`discards ${value} in its outbox and ledger, and sends the order`, async () => {
      const fetch = answerWith();
      const storage = new Map([LEDGER_KEY, OUTBOX_KEY, 'bp_pixel_ledger', 'bp_pixel_outbox'].map((key) => [key, value]));
      const page = sandbox({ storage });
      startPixel(CONFIG, ...page.args);
      page.emit(checkoutCompleted());
      await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
      await vi.waitFor(() => expect(storage.get(OUTBOX_KEY)).toBe('[]'));
      expect(JSON.parse(storage.get(LEDGER_KEY)!)).toEqual(['demo 5210499102', 'event sh-88153c5a-8F2D-4CCA-3231-EF5C032A4C3B']);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

  it('honours Retry-After, and backs off exponentially with jitter otherwise', () => {
    expect(retryDelay(1, '7', 0)).toBe(7000);
    expect(retryDelay(1, new Date(30_000).toUTCString(), 0)).toBe(30_000);
    for (const [tries, base] of [
      [1, 1000],
      [3, 4000],
      [12, 60000],
    ]) {
      const delay = retryDelay(tries, null);
      expect(delay).toBeGreaterThanOrEqual(base / 2);
      expect(delay).toBeLessThanOrEqual(base * 1.5);
    }
  });
});

describe('the generated custom-pixel.js', () => {
  it('runs as pasted in a fresh context with only the sandbox globals, and sends the conversion', async () => {
    const fetch = answerWith();
    const page = sandbox({ cookies: { bp_ref: referralCookie('pasted') } });
    const code = generateShopifySnippets({ marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf', locale: 'en' })['custom-pixel.js'];
    const context = createContext({ ...page.globals, fetch, console, crypto, setTimeout, clearTimeout, Date, JSON, Promise });
    runInContext(code, context);
    page.emit(checkoutCompleted());
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(bodies(fetch)[0]).toMatchObject({
      market: 'demo',
      transport: 'shopify-pixel',
      conversion: { order_number: '5210499102', order_value: '1134.65', locale: 'en', campaign: 'raf' },
      referral: { tokens: { bp_e: 'pasted' } },
    });
    expect(fetch.mock.calls[0][0]).toBe('https://bp.shop.com/track');
  });

  it('sends nothing when consent is denied', async () => {
    const fetch = answerWith();
    const page = sandbox({ privacy: DENIED });
    const code = generateShopifySnippets({ marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf' })['custom-pixel.js'];
    runInContext(code, createContext({ ...page.globals, fetch, console, crypto, setTimeout, clearTimeout }));
    page.emit(checkoutCompleted());
    await idle();
    expect(page.subscribed()).toEqual(['checkout_completed']);
    expect(fetch).not.toHaveBeenCalled();
    expect(page.storage.size).toBe(0);
  });
});
