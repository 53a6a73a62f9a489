// Issue 4 in a real browser, with real host names: the share link → landing → purchase on
// another subdomain → credited loop, the cookie across subdomains, consent, .co.uk, SPA routes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitFor, useStack } from './harness';

const t = useStack();

const referralCookies = async () => (await t.context.cookies()).filter((c) => c.name === 'bp_ref');
/** The bp_ref cookies once the browser's store holds `count`: a page's cookie write reaches the store a moment later. */
const referralCookiesWhen = (count: number) =>
  waitFor(
    async () => {
      const cookies = await referralCookies();
      return cookies.length === count && cookies;
    },
    { message: `${count} bp_ref cookie(s) in the browser's store` },
  );
const storedToken = (p: Page = t.page) =>
  p.evaluate(() => (window as unknown as { Buyapowa: { getReferral(): { t: Record<string, string> } | null } }).Buyapowa.getReferral()?.t.bp_e ?? null);

describe('the referral loop', () => {
  it('credits the referrer: share link → landing on www → purchase on checkout → dashboard', async () => {
    const { share_url } = await t.stack.createReferrer({ name: 'John Doe', email: 'john@doe.com' });
    await t.page.goto(share_url);
    // The platform redirected to the landing page with a real bp_e.
    const landing = new URL(t.page.url());
    expect(landing.origin).toBe(t.stack.merchantUrl);
    const bpE = landing.searchParams.get('bp_e')!;
    expect(bpE.length).toBeGreaterThan(40);
    await t.page.locator('#welcome').waitFor();
    expect(await t.page.locator('#welcome').textContent()).toContain('John');
    // The click beacon told the platform about the visit, once.
    await t.stack.waitForState((s) => s.clicks.length === 1 && s.clicks[0].referrer?.email === 'john@doe.com');

    // The purchase happens on another subdomain, with no voucher code.
    await t.page.goto(t.stack.merchantAt('checkout.shop.test') + '/checkout/thanks?order=LOOP1&customer=jane');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'LOOP1'));
    expect(conversion.referral?.tokens.bp_e).toBe(bpE);
    expect(conversion.attribution).toMatchObject({ via: 'landing', referrer: { email: 'john@doe.com', name: 'John Doe' } });

    await t.page.goto(t.stack.platformUrl + '/dashboard');
    const dashboard = await t.page.locator('body').textContent();
    expect(dashboard).toContain('LOOP1');
    expect(dashboard).toContain('John Doe');
    expect((await t.stack.state()).clicks).toHaveLength(1);
  });

  it('credits a friend who buys on another device by the voucher code', async () => {
    const { share_url } = await t.stack.createReferrer({ name: 'Ann Lee', email: 'ann@lee.com' });
    await t.page.goto(share_url);
    const voucher = await t.page.locator('#voucher').textContent();
    const other = await t.browser.newContext(); // another device: no cookie
    const phone = await other.newPage();
    await phone.goto(t.stack.merchantUrl + `/checkout/thanks?order=VOUCHER1&voucher=${voucher}`);
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'VOUCHER1'));
    expect(conversion.referral).toBeNull();
    expect(conversion.attribution).toMatchObject({ via: 'voucher_code', referrer: { email: 'ann@lee.com' } });
    await other.close();
  });

  it('keeps the cookie on the registrable domain, visible on bp.shop.test', async () => {
    await t.page.goto(t.stack.merchantUrl + '/?bp_e=TOKEN%2B1');
    const [cookie] = await referralCookiesWhen(1);
    expect(cookie).toMatchObject({ domain: '.shop.test', path: '/', sameSite: 'Lax', secure: false });
    expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(29.9 * 86400);
    await t.page.goto(t.stack.platformUrl + '/dashboard');
    expect(await t.page.evaluate(() => document.cookie)).toContain('bp_ref=');
    // …and the platform receives it with the conversion.
    await t.page.goto(t.stack.merchantAt('checkout.shop.test') + '/checkout/thanks?order=COOKIE1');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'COOKIE1'));
    expect(conversion.cookies).toContain('bp_ref');
  });

  it('never writes to co.uk from a .co.uk shop', async () => {
    await t.page.goto(t.stack.merchantAt('shop.example.co.uk') + '/?bp_e=UKTOKEN');
    const cookies = await t.context.cookies();
    expect(cookies.filter((c) => c.name === 'bp_ref').map((c) => c.domain)).toEqual(['.example.co.uk']);
    expect(cookies.filter((c) => /^\.?co\.uk$/.test(c.domain))).toEqual([]);
    expect(await storedToken()).toBe('UKTOKEN');
  });
});

describe('consent', () => {
  it('stores nothing while consent is pending, and stores it on grant', async () => {
    t.stack.merchant.addPage(
      '/consent',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js" data-consent="pending"
        data-url="${t.stack.platformUrl}" data-market="demo"></script><p>Cookie banner here</p>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/consent?bp_e=PENDING1');
    expect(await referralCookies()).toEqual([]);
    expect(await t.page.evaluate(() => localStorage.length)).toBe(0);
    expect(await storedToken()).toBe('PENDING1'); // waiting in memory
    expect((await t.stack.state()).clicks).toEqual([]);

    await t.page.evaluate(() => (window as unknown as { Buyapowa: { setConsent(s: string): void } }).Buyapowa.setConsent('granted'));
    await referralCookiesWhen(1);
    expect(await t.page.evaluate(() => JSON.parse(localStorage.getItem('bp_ref')!).t.bp_e)).toBe('PENDING1');
    await t.stack.waitForState((s) => s.clicks.length === 1);

    await t.page.evaluate(() => (window as unknown as { Buyapowa: { setConsent(s: string): void } }).Buyapowa.setConsent('denied'));
    await referralCookiesWhen(0);
    expect(await t.page.evaluate(() => localStorage.getItem('bp_ref'))).toBeNull();
  });

  it('still sends conversions when consent is denied, without the referral', async () => {
    await t.page.goto(t.stack.merchantUrl + '/?bp_e=DENIED1');
    await referralCookiesWhen(1);
    t.stack.merchant.addPage(
      '/denied-thanks',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js" data-consent="denied"></script><script>
        new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}).track({ customer_email: "a@b.co", order_number: "DENIED1" });
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/denied-thanks');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'DENIED1'));
    expect(conversion.referral).toBeNull();
    expect(await referralCookies()).toEqual([]);
  });
});

describe('SPA route changes', () => {
  const spa = (attribution: 'last' | 'first') => `<!doctype html>
<script type="importmap">{"imports": {"buyapowa-sdk": "${t.stack.platformUrl}/sdk/index.js", "js-cookie": "${t.stack.platformUrl}/vendor/js-cookie.mjs"}}</script>
<script type="module">
  import { captureReferral } from 'buyapowa-sdk';
  const options = { url: "${t.stack.platformUrl}", market: "demo", attribution: "${attribution}" };
  window.go = (path) => { history.pushState(null, '', path); return captureReferral(options)?.t.bp_e; };
  window.first = captureReferral(options)?.t.bp_e;
</script>`;

  for (const [model, expected] of [
    ['last', 'SECOND'],
    ['first', 'FIRST'],
  ] as const)
    it(`${model} click: a new bp_e on a route change leaves ${expected} in force`, async () => {
      t.stack.merchant.addPage('/app-' + model, spa(model));
      await t.page.goto(t.stack.merchantUrl + `/app-${model}?bp_e=FIRST`);
      await waitFor(() => t.page.evaluate(() => (window as unknown as { first?: string }).first), { message: 'the SPA to start' });
      const inForce = await t.page.evaluate(() => (window as unknown as { go(p: string): string }).go('/app/product?bp_e=SECOND'));
      expect(inForce).toBe(expected);
      // As the page sees it: its own cookie writes are in order there.
      const cookie = await t.page.evaluate(() => document.cookie.match(/(?:^|; )bp_ref=([^;]*)/)?.[1]);
      expect(JSON.parse(decodeURIComponent(cookie!)).t.bp_e).toBe(expected);
    });
});
