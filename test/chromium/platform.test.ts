// Smoke tests of the browser-test stack: the real dist/embedding.min.js in Chromium, the example
// merchant on www.shop.test and the dev platform on bp.shop.test, over real HTTP.
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { autoSignupUrl, decodeReferral, decryptBpE } from '../../src/server';
import { collectRequests, freshPages, launchChromium, startStack, waitFor, type FreshPages, type Stack } from './harness';

const DEMO_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710'; // the demo market's auth token (markets.json)
const DEMO_SECRET_SIGNATURE = '351381bad6a8c4c3ca0baff383bf64b5248e6ba467314b88c84e3d5e9c91da33'; // the guide's example

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pages: FreshPages;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  pages = freshPages(browser);
});
afterAll(async () => {
  await pages?.close();
  await Promise.all([stack?.close(), browser?.close()]);
});
beforeEach(async () => {
  await stack.reset();
  ({ context, page } = await pages.next());
});
afterEach(async () => {
  await context?.close();
});

/** The campaign iframe's Frame, once it exists. */
async function campaignFrame(): Promise<Frame> {
  const handle = await page.waitForSelector('#bp_div iframe');
  return waitFor(async () => handle.contentFrame(), { message: 'the iframe has a frame' });
}

/** Waits until the iframe is exactly as tall as its content (±1 px), and returns that height. */
async function heightsAgree(frame: Frame): Promise<number> {
  return waitFor(
    async () => {
      const outer = await page.$eval('#bp_div iframe', (el) => el.getBoundingClientRect().height);
      const inner = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
      return Math.abs(outer - inner) <= 1 ? inner : false;
    },
    { message: 'iframe height equals its content height' },
  );
}

describe('campaign embed', () => {
  test("the guide's embed snippet shows the campaign, and the iframe follows its content's height", async () => {
    const requests = collectRequests(page);
    await page.goto(stack.merchantUrl + '/refer-a-friend');
    const frame = await campaignFrame();
    await frame.locator('#signup').waitFor({ state: 'visible' });

    const src = new URL(await page.$eval('#bp_div iframe', (el) => (el as HTMLIFrameElement).src));
    expect(src.origin).toBe(stack.platformUrl);
    expect(src.pathname).toBe('/iaf/refer-a-friend');
    expect(src.searchParams.get('parent_origin')).toBe(stack.merchantUrl);
    expect(src.searchParams.get('market')).toBe('demo');

    const formHeight = await heightsAgree(frame);
    expect(formHeight).not.toBe(800); // the SDK's initial height: the content really set it

    // Signing up swaps the form for the dashboard, whose height differs: the iframe follows.
    await frame.fill('#name', 'Zoë Martin');
    await frame.fill('#email', 'zoe@example.com');
    await frame.click('button[type=submit]');
    await frame.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await frame.textContent('#who')).toBe('Zoë Martin');
    const dashboardHeight = await heightsAgree(frame);
    expect(dashboardHeight).not.toBe(formHeight);
    expect(await frame.evaluate(() => document.documentElement.scrollHeight <= document.documentElement.clientHeight)).toBe(true);

    const state = await stack.state();
    expect(state.referrers.map((r) => r.email)).toEqual(['zoe@example.com']);
    expect(requests.urls.filter((u) => /zoe|Zo%C3%AB/i.test(u))).toEqual([]);
  });

  test('seamless login with a correct signature shows the dashboard with the name', async () => {
    const requests = collectRequests(page);
    await page.goto(stack.merchantUrl + '/refer-a-friend/signed-in');
    const frame = await campaignFrame();
    await frame.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await frame.textContent('#who')).toBe('John Doe');
    expect(await frame.inputValue('#share-url')).toMatch(new RegExp('^' + stack.platformUrl + '/r/\\w+$'));
    await heightsAgree(frame);

    const state = await stack.state();
    expect(state.logins.map((l) => [l.email, l.status])).toEqual([['john@doe.com', 'signed_in']]);
    // Brief §5: seamless-login fields never travel in a URL.
    expect(requests.urls.filter((u) => /john|doe/i.test(u))).toEqual([]);
  });

  test('seamless login with a wrong signature shows the sign-up form and says why', async () => {
    await page.goto(stack.merchantUrl + '/refer-a-friend/signed-in?tamper=1');
    const frame = await campaignFrame();
    await waitFor(async () => /invalid signature/.test((await frame.textContent('#notice')) || ''), { message: 'the invalid-signature notice' });
    expect(await frame.isVisible('#signup')).toBe(true);
    expect(await frame.isVisible('#dashboard')).toBe(false);
    const state = await stack.state();
    expect(state.logins.map((l) => l.status)).toEqual(['invalid_signature']);
    expect(state.referrers).toEqual([]);
  });

  test('an unknown campaign shows the error container and no iframe', async () => {
    stack.merchant.addPage(
      '/unknown-campaign',
      `<!doctype html><script src="${stack.platformUrl}/embedding.min.js"></script>
<div id="bp_error" style="display: none;">Sorry, something went wrong</div><div id="bp_div"></div>
<script>new Buyapowa({url: "${stack.platformUrl}", market: "demo"}, "bp_div", "bp_error").embedReferAFriend({campaign: "no-such-campaign"});</script>`,
    );
    await page.goto(stack.merchantUrl + '/unknown-campaign');
    await page.locator('#bp_error').waitFor({ state: 'visible' });
    expect(await page.locator('#bp_div iframe').count()).toBe(0);
  });
});

describe('auto sign-ups', () => {
  test('an encrypted auto sign-up link (bp_e) signs the customer up in the campaign', async () => {
    const link = autoSignupUrl(stack.merchantUrl + '/refer-a-friend', { email: 'zoe@example.com', name: 'Zoë Martin' }, DEMO_TOKEN);
    await page.goto(link);
    const frame = await campaignFrame();
    await frame.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await frame.textContent('#who')).toBe('Zoë Martin');
    expect((await stack.state()).referrers.map((r) => r.email)).toEqual(['zoe@example.com']);
  });

  test('a plain auto sign-up link (bp_p) reaches the campaign by postMessage, never in the iframe URL', async () => {
    const requests = collectRequests(page);
    const bpP = encodeURIComponent(JSON.stringify({ email: 'zoe@example.com', name: 'Zoë Martin', auto: 'true' }));
    await page.goto(`${stack.merchantUrl}/refer-a-friend?bp_p=${bpP}`);
    const frame = await campaignFrame();
    await frame.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await frame.textContent('#who')).toBe('Zoë Martin');
    expect(requests.urls.filter((u) => u.startsWith(stack.platformUrl) && /zoe/i.test(u))).toEqual([]);
  });
});

describe('conversions', () => {
  test('a POSTed /track conversion appears on /api/state, with CORS for the page origin', async () => {
    const event = {
      v: 1,
      type: 'conversion',
      event_id: 'smoke-event-1',
      market: 'demo',
      created_at: Date.now(),
      sdk: 'test',
      page: stack.merchantUrl + '/checkout/thanks',
      conversion: { customer_email: 'john@doe.com', order_number: 'ORDER123', signed_keys: 'order_number, customer_email', signature: DEMO_SECRET_SIGNATURE },
    };
    const post = () =>
      fetch(stack.platform.url + '/track', {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: stack.merchantUrl },
        body: JSON.stringify(event),
      });
    const first = await post();
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe(stack.merchantUrl);
    expect(first.headers.get('access-control-allow-credentials')).toBe('true');
    expect(first.headers.get('vary')).toMatch(/Origin/);
    const again = await post();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate', reason: 'event_id' });

    const state = await stack.state();
    expect(state.conversions).toHaveLength(1);
    expect(state.conversions[0]).toMatchObject({ event_id: 'smoke-event-1', signature: 'valid', fields: { order_number: 'ORDER123' } });
    expect(state.duplicates.map((d) => d.reason)).toEqual(['event_id']);
  });

  test("the guide's tracking tag on the thank-you page delivers a signed conversion", async () => {
    await page.goto(stack.merchantUrl + '/checkout/thanks?order=SMOKE-2&customer=jane');
    const conversion = await stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'SMOKE-2'));
    expect(conversion.signature).toBe('valid');
    expect(conversion.fields).toMatchObject({ customer_name: 'Jane, Smith', customer_email: 'jane@smith.com', order_value: '12.89', locale: 'en' });
    expect(conversion.origin).toBe(stack.merchantUrl);
  });
});

describe('share links', () => {
  test('the share link redirects to the merchant with a bp_e that decrypts to the referrer', async () => {
    const { code, share_url } = await stack.createReferrer({ name: 'John Doe', email: 'john@doe.com' });
    expect(share_url).toBe(`${stack.platformUrl}/r/${code}`);
    const response = await fetch(`${stack.platform.url}/r/${code}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(stack.merchantUrl);
    const bpE = location.searchParams.get('bp_e')!;
    const referral = decodeReferral(bpE, DEMO_TOKEN);
    expect(referral.referrer).toMatchObject({ email: 'john@doe.com', first_name: 'John', last_name: 'Doe' });
    expect(referral.voucher_code).toMatch(/^BPFRND[0-9A-F]{10}$/);
    expect(decryptBpE(bpE, DEMO_TOKEN)).toMatchObject({ referral_count: 0, email: 'john@doe.com' });

    const state = await stack.state();
    expect(state.visits).toHaveLength(1);
    expect(state.referrers[0].vouchers).toEqual([referral.voucher_code]);
  });

  test('following a share link in Chromium lands on the shop, reports the click, and reaches the campaign', async () => {
    const { share_url } = await stack.createReferrer({ name: 'John Doe', email: 'john@doe.com' });
    await page.goto(share_url);
    expect(new URL(page.url()).origin).toBe(stack.merchantUrl);
    expect(await page.textContent('#welcome')).toMatch(/^John sent you/);
    const click = await stack.waitForState((s) => s.clicks[0]);
    expect(click.referrer).toMatchObject({ email: 'john@doe.com' });

    // The stored bp_e is forwarded to the campaign on a later page.
    await page.goto(stack.merchantUrl + '/refer-a-friend');
    const frame = await campaignFrame();
    await frame.locator('#referred').waitFor({ state: 'visible' });
    expect(await frame.textContent('#referred')).toBe('You were referred by John.');
  });
});
