// @vitest-environment node
// The generated Shopify files in Chromium against the dev platform: the theme snippet and pages
// rendered by liquidjs on a stand-in storefront (storefront.ts), the custom pixel in a simulated
// Web Pixels sandbox on the Thank you page, and the legacy order-status script. Hostile store
// data throughout; every wait is for a condition, never a duration.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectConsole, collectRequests, freshPages, launchChromium, startStack, waitFor, type FreshPages, type Stack } from '../chromium/harness';
import { builtPixel, HOSTILE, orderStatusCheckout } from './helpers';
import { ALLOWED, checkout, checkoutCompleted, DENIED } from './sandbox';
import { pixelSandbox, startStorefront, type Storefront } from './storefront';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets } from '../../src/shopify';
import { OUTBOX_KEY } from '../../src/shopify/pixel-core';
import markets from '../../examples/platform/markets.json';

const TIMEOUT = 60_000;
let stack: Stack;
let browser: Browser;
let shop: Storefront;
let shopUrl: string;
let demo: Record<string, string>;
let signed: Record<string, string>;
let context: BrowserContext;
let page: Page;
let pages: FreshPages;
let console_: string[];

const CUSTOMER = { id: 42, first_name: HOSTILE.first, last_name: HOSTILE.last, email: HOSTILE.email, accepts_marketing: true };
const withSecret = (template: string, secret: string) => template.replace("assign bp_secret = ''", `assign bp_secret = '${secret}'`);

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  pages = freshPages(browser);
  const marketDomain = `bp.shop.test:${stack.platform.port}`;
  demo = generateShopifySnippets({ marketDomain, market: 'demo', campaign: 'refer-a-friend', scheme: 'http', legacyOrderStatus: true });
  signed = generateShopifySnippets({ marketDomain, market: 'signed', campaign: 'refer-a-friend', scheme: 'http', legacyOrderStatus: true });
  shop = await startStorefront(demo['theme/snippets/buyapowa-referral.liquid']);
  shopUrl = `http://www.shop.test:${shop.port}`;
  stack.platform.setMerchantUrl(shopUrl + '/', 'demo');

  const sectionSettings = (secret: string) => ({
    campaign: 'refer-a-friend',
    locale: 'en',
    signing_secret: secret,
    show_page_content: true,
    error_message: 'Sorry',
  });
  const pageContext = (loggedIn: boolean, secret: string) => () => ({
    customer: loggedIn ? CUSTOMER : null,
    section: { settings: sectionSettings(secret) },
    request: { locale: { iso_code: 'en' } },
    page: { title: 'Refer a friend', content: '<p>Share the love</p>' },
  });
  shop.page('/', '<h1>Home</h1>', () => ({}));
  shop.page('/products/tee', '<h1>Tee</h1>', () => ({}));
  shop.page('/pages/refer-a-friend', demo['theme/sections/buyapowa-refer-a-friend.liquid'], pageContext(true, markets.demo.secret));
  shop.page('/pages/refer-a-friend-guest', demo['theme/sections/buyapowa-refer-a-friend.liquid'], pageContext(false, markets.demo.secret));
  shop.page(
    '/pages/refer-a-friend-vintage',
    withSecret(demo['vintage-theme/templates/page.refer-a-friend.liquid'], markets.demo.secret),
    pageContext(true, ''),
  );
  // The Thank you page is Shopify's, not the theme's: only the pixel runs there, in its sandbox.
  const thankYou = (privacy: object) => `${pixelSandbox(privacy)}<script>${demo['custom-pixel.js']}</script><h1>Thank you</h1>`;
  shop.page('/checkouts/cn/c1/thank-you', thankYou(ALLOWED), () => ({}), { layout: false });
  shop.page('/checkouts/cn/c2/thank-you', thankYou(DENIED), () => ({}), { layout: false });
  // Order status page with the legacy Additional scripts, for market "signed" (signatures required).
  const legacy = withSecret(signed['legacy/order-status-additional-scripts.liquid'], markets.signed.secret);
  shop.page('/orders/1001', legacy, () => ({ first_time_accessed: true, checkout: orderStatusCheckout() }), { layout: false });
  shop.page('/orders/1001/reload', legacy, () => ({ first_time_accessed: false, checkout: orderStatusCheckout() }), { layout: false });
  shop.page(
    '/orders/1002',
    legacy,
    () => ({ first_time_accessed: true, checkout: { ...orderStatusCheckout({ guest: true, orderId: 5210499555, total: 100000 }), currency: 'JPY' } }),
    { layout: false },
  );
}, TIMEOUT);

afterAll(async () => {
  await pages?.close();
  await browser?.close();
  await stack?.close();
  await shop?.close();
});

beforeEach(async () => {
  shop.carts.clear();
  shop.cartUpdates.length = 0;
  await stack.reset();
  ({ context, page } = await pages.next());
  console_ = collectConsole(page);
});
afterEach(async () => {
  await context.close();
});

/** Loads a page and waits until its requests are done. */
const load = async (url: string) => {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
};
/** Waits until the snippet has applied the store's consent answer to Buyapowa. */
const consentApplied = (state: string) =>
  waitFor(() => page.evaluate((s) => (window as unknown as { Buyapowa?: { getConsent(): string } }).Buyapowa?.getConsent() === s, state), {
    message: 'consent ' + state,
  });
/** Publishes checkout_completed in the Thank you page's sandbox. */
const emit = (event: ReturnType<typeof checkoutCompleted>) => page.evaluate((e) => (window as unknown as { __emit(e: unknown): number }).__emit(e), event);
const thankYouEvent = (path: string, over: Parameters<typeof checkout>[0] = {}, id = 'sh-' + Math.random().toString(16).slice(2)) => {
  const event = checkoutCompleted(checkout(over), id);
  const url = new URL(shopUrl + path);
  event.context.document.location = {
    ...event.context.document.location,
    href: url.href,
    origin: url.origin,
    host: url.host,
    hostname: url.hostname,
    port: url.port,
    pathname: url.pathname,
    protocol: url.protocol,
    search: '',
  };
  return event;
};
const noInjection = async () => {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img').count()).toBe(0);
  expect(console_.filter((m) => m.startsWith('pageerror'))).toEqual([]);
};

describe('storefront snippet and custom pixel', { timeout: TIMEOUT }, () => {
  it('carry a referral click through the cart to exactly one conversion; a reload of the Thank you page sends nothing', async () => {
    const referrer = await stack.createReferrer({ name: 'Rita Referrer', email: 'rita@example.com' });
    await load(referrer.share_url); // 302 to the storefront with ?bp_e=…
    await consentApplied('granted');
    const [update] = await waitFor(() => shop.cartUpdates.length === 1 && shop.cartUpdates, { message: 'cart update' });
    const token = JSON.parse(update.attributes._bp_ref).t.bp_e;
    expect(token).toBe(new URL(page.url()).searchParams.get('bp_e'));

    // Once per referral and cart: another page view copies nothing.
    await load(shopUrl + '/products/tee');
    await consentApplied('granted');
    await page.waitForLoadState('networkidle');
    expect(shop.cartUpdates).toHaveLength(1);

    // Checkout completes: Shopify publishes checkout_completed with the cart's attributes.
    const attributes = Object.entries(shop.carts.get(update.cart)!).map(([key, value]) => ({ key, value }));
    await load(shopUrl + '/checkouts/cn/c1/thank-you');
    const first = thankYouEvent('/checkouts/cn/c1/thank-you', { attributes });
    expect(await emit(first)).toBe(1);
    const [conversion] = await stack.waitForState((s) => s.conversions.length === 1 && s.conversions);
    expect(conversion).toMatchObject({
      market: 'demo',
      transport: 'shopify-pixel',
      attempt: 1,
      signature: 'absent',
      page: shopUrl + '/checkouts/cn/c1/thank-you',
      referral: { tokens: { bp_e: token } },
      attribution: { via: 'landing', referrer: { email: 'rita@example.com' } },
    });
    expect(conversion.fields).toEqual({
      customer_name: `${HOSTILE.first}, ${HOSTILE.last}`,
      customer_email: HOSTILE.email,
      marketing_opt_in: 'true',
      order_number: '5210499102',
      order_value: '1134.65',
      voucher_codes: HOSTILE.codes,
      locale: 'pt-BR',
      campaign: 'refer-a-friend',
    });

    // The pixel has the platform's answer (its outbox is empty) before the page reloads. A page
    // closed between the platform's receipt and the pixel's is the at-least-once case: it is sent
    // again with the same event_id, and the platform keeps one.
    await waitFor(() => page.evaluate((key) => (localStorage.getItem(key) || '[]') === '[]', OUTBOX_KEY), { message: "the pixel's answer" });

    // Reload: the same event again, and another event for the same order (plain id this time).
    // Then a different order as a sentinel: the pixel handles events in turn, so once the
    // sentinel has arrived, the two before it have been handled.
    await load(shopUrl + '/checkouts/cn/c1/thank-you');
    await emit(first);
    await emit(thankYouEvent('/checkouts/cn/c1/thank-you', { attributes, order: { id: '5210499102', customer: null } }));
    await emit(thankYouEvent('/checkouts/cn/c1/thank-you', { order: { id: '5210499199', customer: null } }));
    await stack.waitForState((s) => s.conversions.length === 2);
    const state = await stack.state();
    expect(state.conversions.map((c) => c.fields.order_number)).toEqual(['5210499102', '5210499199']);
    expect(state.duplicates).toEqual([]);
    expect(state.deliveries).toHaveLength(2);
    await noInjection();
  });

  it('falls back to the cart attribute when the referral cookie is gone', async () => {
    const referrer = await stack.createReferrer({ name: 'Rita Referrer', email: 'rita@example.com' });
    await load(referrer.share_url);
    const [update] = await waitFor(() => shop.cartUpdates.length === 1 && shop.cartUpdates, { message: 'cart update' });
    await context.clearCookies();
    await load(shopUrl + '/checkouts/cn/c1/thank-you');
    expect(await page.evaluate(() => document.cookie)).not.toContain('bp_ref');
    await emit(thankYouEvent('/checkouts/cn/c1/thank-you', { attributes: [{ key: '_bp_ref', value: update.attributes._bp_ref }] }));
    const [conversion] = await stack.waitForState((s) => s.conversions.length === 1 && s.conversions);
    expect(conversion.referral).toEqual({ tokens: JSON.parse(update.attributes._bp_ref).t, captured_at: JSON.parse(update.attributes._bp_ref).at });
    expect(conversion.attribution.referrer).toMatchObject({ email: 'rita@example.com' });
  });

  it('store nothing and send nothing while the visitor refuses marketing; the pixel sends once consent comes', async () => {
    await context.addCookies([{ name: 'test_consent', value: 'no', url: shopUrl }]);
    const referrer = await stack.createReferrer({ name: 'Rita Referrer', email: 'rita@example.com' });
    const requests = collectRequests(page);
    await load(referrer.share_url);
    await consentApplied('denied');
    await page.waitForLoadState('networkidle');
    expect(shop.cartUpdates).toEqual([]);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('bp_ref');
    expect(requests.urls.filter((u) => u.includes('/click'))).toEqual([]);

    await load(shopUrl + '/checkouts/cn/c2/thank-you');
    expect(await emit(thankYouEvent('/checkouts/cn/c2/thank-you'))).toBe(1);
    await page.waitForLoadState('networkidle');
    expect((await stack.state()).deliveries).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);

    await page.evaluate((privacy) => (window as unknown as { __consent(p: unknown): void }).__consent(privacy), ALLOWED);
    const [conversion] = await stack.waitForState((s) => s.conversions.length === 1 && s.conversions);
    expect(conversion).toMatchObject({ transport: 'shopify-pixel', referral: null, fields: { order_number: '5210499102' } });
  });
});

describe('refer-a-friend page', { timeout: TIMEOUT }, () => {
  it.each([
    ['OS 2.0 section', '/pages/refer-a-friend'],
    ['vintage template', '/pages/refer-a-friend-vintage'],
  ])('%s signs a logged-in customer in with the Liquid-computed signature; nothing injected runs', async (_, path) => {
    await load(shopUrl + path);
    const [login] = await stack.waitForState((s) => s.logins.length && s.logins);
    expect(login).toMatchObject({ market: 'demo', campaign: 'refer-a-friend', kind: 'session', email: HOSTILE.email, status: 'signed_in' });
    expect((await stack.state()).referrers).toMatchObject([{ name: `${HOSTILE.first} ${HOSTILE.last}`.replace(/\s+/g, ' ').trim(), email: HOSTILE.email }]);
    expect(await page.locator('#bp_div iframe').count()).toBe(1);
    expect(await page.content()).not.toContain(markets.demo.secret);
    await noInjection();
  });

  it('embeds the campaign without personal data for a guest', async () => {
    await load(shopUrl + '/pages/refer-a-friend-guest');
    await waitFor(() => page.locator('#bp_div iframe').count(), { message: 'campaign iframe' });
    await page.waitForLoadState('networkidle');
    expect((await stack.state()).logins).toEqual([]);
  });
});

describe('legacy order-status script', { timeout: TIMEOUT }, () => {
  it('sends exactly one signed conversion that verifies on a market requiring signatures; nothing injected runs', async () => {
    await load(shopUrl + '/orders/1001');
    const [conversion] = await stack.waitForState((s) => s.conversions.length && s.conversions);
    expect(conversion).toMatchObject({ market: 'signed', signature: 'valid', transport: 'fetch' });
    expect(conversion.fields).toEqual({
      customer_name: `${HOSTILE.first}, ${HOSTILE.last}`,
      customer_email: HOSTILE.email,
      order_number: '5210499102',
      marketing_opt_in: 'true',
      campaign: 'refer-a-friend',
      order_value: '1134.65',
      voucher_codes: HOSTILE.codes,
      signed_keys: 'customer_email, order_number',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await noInjection();

    // The buyer comes back to check the order: first_time_accessed is false, nothing is sent.
    const requests = collectRequests(page);
    await load(shopUrl + '/orders/1001/reload');
    expect(await page.locator('#bp-conversion').count()).toBe(0);
    expect(requests.urls.filter((u) => u.includes('/track'))).toEqual([]);
    const state = await stack.state();
    expect(state.conversions).toHaveLength(1);
    expect(state.deliveries).toHaveLength(1);
  });

  it('tracks a guest checkout paid in yen', async () => {
    await load(shopUrl + '/orders/1002');
    const [conversion] = await stack.waitForState((s) => s.conversions.length && s.conversions);
    expect(conversion).toMatchObject({
      signature: 'valid',
      fields: { order_number: '5210499555', order_value: '1000.00', customer_name: `${HOSTILE.first}, ${HOSTILE.last}` },
    });
  });
});
