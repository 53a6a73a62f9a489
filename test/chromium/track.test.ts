// Issue 3 in a real browser: the guide's tracking tag against the dev platform, signatures,
// reloads, outages, retries, Retry-After, navigation in the same tick, no localStorage, and no
// personal data in any URL.
import { describe, expect, it } from 'vitest';
import { collectConsole, collectRequests, conversionsOf, deliveriesOf, runClockUntil, useStack, waitFor } from './harness';

const t = useStack();

/** Loads a page and waits until its requests are done, so nothing it sends is still on the way. */
const load = async (url: string) => {
  await t.page.goto(url);
  await t.page.waitForLoadState('networkidle');
};

describe('the guide tracking tag', () => {
  it('arrives once, with every field, and a valid signature', async () => {
    const requests = collectRequests(t.page);
    await load(t.stack.merchantUrl + '/checkout/thanks?order=ORDER123&customer=john&value=12.89&voucher=BPCRAW1234&reward_category=25OFF');
    const [conversion] = await t.stack.waitForState((s) => (s.conversions.length ? s.conversions : null));
    expect(conversion.fields).toEqual({
      customer_name: 'John, Doe',
      customer_email: 'john@doe.com',
      marketing_opt_in: 'false',
      order_number: 'ORDER123',
      order_value: '12.89',
      reward_category: '25OFF',
      voucher_code: 'BPCRAW1234',
      signed_keys: 'order_number, customer_email, reward_category',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      locale: 'en',
    });
    expect(conversion).toMatchObject({ signature: 'valid', transport: 'fetch', attempt: 1, market: 'demo' });
    expect(conversion.page).toBe(t.stack.merchantUrl + '/checkout/thanks');
    expect((await t.stack.state()).conversions).toHaveLength(1);
    // A CORS simple request: text/plain, so no preflight.
    const sent = requests.requests.filter((r) => r.url().endsWith('/track'));
    expect(sent.map((r) => [r.method(), r.headers()['content-type']])).toEqual([['POST', 'text/plain;charset=UTF-8']]);
  });

  it('shows a tampered conversion as invalid, and the platform refuses it', async () => {
    const logs = collectConsole(t.page);
    await load(t.stack.merchantUrl + '/checkout/thanks?order=TAMPERED1&tamper=1');
    const rejected = await t.stack.waitForState((s) => s.rejected.find((r) => r.fields?.order_number === 'TAMPERED1'));
    expect(rejected).toMatchObject({ status: 401, signature: 'invalid' });
    expect(await conversionsOf(t.stack, 'TAMPERED1')).toEqual([]);
    await waitFor(() => logs.find((l) => l.includes('order TAMPERED1: rejected (invalid_signature)')), { message: 'the rejection log line' });
  });

  it('refuses an unsigned conversion where the market requires signing, saying why', async () => {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/unsigned',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script><script>
        new Buyapowa({url: "${t.stack.platformUrl}", market: "signed"}).track({ customer_email: "a@b.co", order_number: "U1" });
      </script>`,
    );
    await load(t.stack.merchantUrl + '/unsigned');
    await t.stack.waitForState((s) => s.rejected.find((r) => r.status === 422));
    await waitFor(() => logs.find((l) => l.includes('order U1: rejected (signature_required)')), { message: 'the log line' });
  });

  it('gives exactly one conversion after five reloads of the confirmation page', async () => {
    const requests = collectRequests(t.page);
    await load(t.stack.merchantUrl + '/checkout/thanks?order=RELOAD1');
    for (let i = 0; i < 4; i++) {
      await t.page.reload();
      await t.page.waitForLoadState('networkidle');
    }
    expect(await conversionsOf(t.stack, 'RELOAD1')).toHaveLength(1);
    expect(requests.urls.filter((u) => u.endsWith('/track'))).toHaveLength(1);
  });

  it('keeps personal data out of every request URL', async () => {
    const requests = collectRequests(t.page);
    await load(t.stack.merchantUrl + '/checkout/thanks?order=PII1&customer=zoe');
    await t.stack.waitForState((s) => s.conversions.length);
    expect(requests.urls.length).toBeGreaterThan(2);
    for (const url of requests.urls) expect(decodeURIComponent(url)).not.toMatch(/zoë|martin|example\.com|@/i);
  });
});

describe('delivery', () => {
  it('delivers on the next page view when the platform was down, and only once', async () => {
    await t.stack.control({ track: 'down' });
    await load(t.stack.merchantUrl + '/checkout/thanks?order=DOWN1');
    await t.stack.waitForState((s) => s.deliveries.length);
    expect(await conversionsOf(t.stack, 'DOWN1')).toEqual([]);
    // Keep this page from retrying while we look: the next page must do it.
    await t.page.goto('about:blank');
    await t.stack.control({ track: null });
    await load(t.stack.merchantUrl + '/');
    const [conversion] = await t.stack.waitForState((s) => (s.conversions.length ? s.conversions : null));
    expect(conversion.fields.order_number).toBe('DOWN1');
    expect(conversion.attempt).toBeGreaterThan(1);
    await load(t.stack.merchantUrl + '/');
    await load(t.stack.merchantUrl + '/checkout/thanks?order=DOWN1');
    expect(await conversionsOf(t.stack, 'DOWN1')).toHaveLength(1);
  });

  it('gives one conversion after two 500s and a 201', async () => {
    await t.stack.control({ track: [500, 500] });
    // The backoff waits pass on the page's fake clock.
    await t.page.clock.install();
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=RETRY1');
    await runClockUntil(t.page, async () => (await t.stack.state()).conversions.length, { message: 'the third attempt' });
    const deliveries = await deliveriesOf(t.stack, 'RETRY1');
    expect(deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(new Set(deliveries.map((d) => d.event_id)).size).toBe(1);
    expect(await conversionsOf(t.stack, 'RETRY1')).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    await t.stack.control({ track: [{ status: 429, retryAfter: 2 }] });
    const requests = collectRequests(t.page);
    // The page's fake clock runs each timer at its scheduled time, so `sent_at` (the page's
    // Date.now() when the attempt left) says when the SDK sent it.
    await t.page.clock.install();
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=SLOW1');
    await runClockUntil(t.page, async () => (await t.stack.state()).conversions.length, { message: 'the retry', step: 250 });
    // The browser reports its requests to the test on its own time: the platform may have both first.
    const tracks = () => requests.requests.filter((r) => r.url().endsWith('/track'));
    await waitFor(() => tracks().length >= 2, { message: 'both requests seen by the test' });
    const [first, second] = tracks().map((r) => JSON.parse(r.postData()!));
    expect([first.attempt, second.attempt]).toEqual([1, 2]);
    // A lower bound, not a speed measurement: the retry must not come before the platform allowed.
    expect(second.sent_at - first.sent_at).toBeGreaterThanOrEqual(2000);
  });

  it('delivers a conversion tracked in the same tick as a navigation', async () => {
    t.stack.merchant.addPage(
      '/buy-and-leave',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script><script>
        new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}).track({ customer_email: "a@b.co", order_number: "LEAVE1", order_value: 5 });
        location.href = "/static/shop.css";
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/buy-and-leave');
    // The script tag is a loader: the call was written to storage at once; when the page left
    // before the track code arrived, the next page that loads the script tag sends it.
    await load(t.stack.merchantUrl + '/');
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'LEAVE1'));
    await load(t.stack.merchantUrl + '/');
    expect(await conversionsOf(t.stack, 'LEAVE1')).toHaveLength(1);
  });

  it('still sends the conversion when localStorage is disabled', async () => {
    await t.context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError');
        },
      });
    });
    const logs = collectConsole(t.page);
    await load(t.stack.merchantUrl + '/checkout/thanks?order=NOSTORAGE1');
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'NOSTORAGE1'));
    expect(logs.filter((l) => l.startsWith('pageerror') || l.startsWith('error'))).toEqual([]);
  });

  it('leaves by sendBeacon when the page is hidden while a retry waits', async () => {
    // Every fetch to the platform fails; only what leaves by sendBeacon gets through.
    await t.page.route('**/track', (route) => (route.request().resourceType() === 'fetch' ? route.abort('connectionrefused') : route.continue()));
    const logs = collectConsole(t.page);
    const beacons = collectRequests(t.page);
    // The page's clock stands still, so the retry stays waiting (not in flight) when the page hides.
    const start = Date.now();
    await t.page.clock.install({ time: start });
    await t.page.clock.pauseAt(start + 1000);
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=HIDE1');
    await waitFor(() => logs.find((l) => l.includes('order HIDE1: queued')), { message: 'the first attempt to fail' });
    expect(await conversionsOf(t.stack, 'HIDE1')).toEqual([]);
    await t.page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'HIDE1'));
    expect(conversion.transport).toBe('beacon');
    expect(beacons.requests.filter((r) => r.method() === 'POST').map((r) => r.headers()['content-type'])).toContain('text/plain;charset=UTF-8');
  });
});
