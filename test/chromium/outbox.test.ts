// The outbox in real Chromium against the dev platform: corrupt stored state never stops the
// script tag, and one page hide gives one beacon per pending conversion, confirmed later by
// one fetch. Counted by what the platform receives.
import { describe, expect, it } from 'vitest';
import { collectConsole, deliveriesOf, useStack, waitFor } from './harness';

const t = useStack();

const CORRUPT_VALUES = ['[1,2,3]', '"hello"', '42', '{"a":1}', '[null]', '{"__proto__":{"x":1}}'];
// The unversioned keys of unreleased builds, and the current ones (bp_calls:v1: the script tag's calls waiting for its track chunk).
const KEYS = ['bp_outbox', 'bp_ledger', 'bp_outbox:v2', 'bp_ledger:v2', 'bp_calls:v1'];

describe('corrupt stored state', () => {
  CORRUPT_VALUES.forEach((value, i) =>
    it(`loads the script tag and delivers the next order when the outbox and ledger hold ${value}`, async () => {
      const order = 'CORRUPT' + i;
      const logs = collectConsole(t.page);
      t.stack.merchant.addPage(
        '/corrupt' + i,
        `<!doctype html><script>for (const key of ${JSON.stringify(KEYS)}) localStorage.setItem(key, ${JSON.stringify(value)});</script>
        <script src="${t.stack.platformUrl}/embedding.min.js"></script>
        <script>
          window.result = new Buyapowa({ url: "${t.stack.platformUrl}", market: "demo" }).track({ customer_email: "jane@smith.com", order_number: "${order}" });
        </script>`,
      );
      await t.page.goto(t.stack.merchantUrl + '/corrupt' + i);
      const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === order));
      expect(conversion).toMatchObject({ transport: 'fetch', attempt: 1 });
      expect(await t.page.evaluate(() => (window as unknown as { result: Promise<{ status: string }> }).result.then((r) => r.status))).toBe('delivered');
      expect(await t.page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('x');
      expect(await t.page.evaluate(() => JSON.parse(localStorage.getItem('bp_ledger:v2')!))).toEqual(['demo ' + order]);
      expect(logs.filter((l) => l.startsWith('pageerror') || l.startsWith('error'))).toEqual([]);
    }),
  );
});

describe('the page-hide beacon', () => {
  it('leaves once per pending conversion, however often the page hides, and one fetch on the next page confirms it', async () => {
    // Every fetch to /track fails on this page; what leaves by sendBeacon gets through.
    await t.page.route('**/track', (route) => (route.request().resourceType() === 'fetch' ? route.abort('connectionrefused') : route.continue()));
    const logs = collectConsole(t.page);
    // The page's clock stands still, so the retry stays waiting (not in flight: the beacon pass
    // skips those) when the page hides, however slow the machine.
    const start = Date.now();
    await t.page.clock.install({ time: start });
    await t.page.clock.pauseAt(start + 1000);
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=BEACON1');
    await waitFor(() => logs.find((l) => l.includes('order BEACON1: queued')), { message: 'the first attempt to fail' });
    const hide = () =>
      t.page.evaluate(() => {
        Object.defineProperty(document, 'hidden', { value: true, configurable: true });
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
      });
    await hide();
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'BEACON1'));
    await hide(); // hidden again: nothing more leaves
    await t.page.goto('about:blank'); // a real page hide too
    await t.page.unroute('**/track');
    expect((await deliveriesOf(t.stack, 'BEACON1')).map((d) => d.transport)).toEqual(['beacon']);
    await t.page.clock.resume();

    // The next page of the shop confirms it with one fetch ("duplicate").
    await t.page.goto(t.stack.merchantUrl + '/');
    const deliveries = await waitFor(
      async () => {
        const list = await deliveriesOf(t.stack, 'BEACON1');
        return list.length > 1 && list;
      },
      { message: 'the confirming fetch' },
    );
    // Its answer applied on this page (on a busy machine, after the platform recorded it): the
    // outbox is empty, so leaving the page sends nothing more.
    await t.page.waitForFunction(() => localStorage.getItem('bp_outbox:v2') === '[]');
    await t.page.goto('about:blank');
    expect((await deliveriesOf(t.stack, 'BEACON1')).map((d) => [d.transport, d.outcome])).toEqual([
      ['beacon', deliveries[0].outcome],
      ['fetch', deliveries[1].outcome],
    ]);
    expect(deliveries[1].outcome).toMatch(/duplicate/);
  });
});

describe('after an outage (docs/protocol.md §2.4)', () => {
  const PENDING = 30;
  /** Tracks PENDING orders with every connection to the platform dropped, then brings it back. */
  async function leaveOutbox(prefix: string) {
    await t.stack.control({ track: 'down' });
    t.stack.merchant.addPage(
      '/outage-' + prefix,
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <script>
        const buyapowa = new Buyapowa({ url: "${t.stack.platformUrl}", market: "demo" });
        window.results = Promise.all(Array.from({ length: ${PENDING} }, (_, i) => buyapowa.track({ customer_email: "jane@smith.com", order_number: "${prefix}" + i })));
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/outage-' + prefix);
    const statuses = await t.page.evaluate(() =>
      (window as unknown as { results: Promise<Array<{ status: string }>> }).results.then((r) => r.map((x) => x.status)),
    );
    expect(statuses).toEqual(Array(PENDING).fill('queued'));
    await t.page.goto('about:blank');
    await t.stack.control({ track: null });
    t.stack.merchant.addPage('/next-' + prefix, `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>`);
  }
  const arrived = async (prefix: string) => (await t.stack.state()).conversions.filter((c) => String(c.fields.order_number).startsWith(prefix));

  it(`hands ${PENDING} pending conversions to the next page's platform in batches of at most 25, each arriving once`, async () => {
    await leaveOutbox('BATCH');
    const requests: string[] = [];
    t.page.on('request', (request) => request.url().endsWith('/track') && requests.push(request.postData() || ''));
    await t.page.goto(t.stack.merchantUrl + '/next-BATCH');
    const conversions = await t.stack.waitForState(async () => (await arrived('BATCH')).length === PENDING && arrived('BATCH'));
    expect(new Set(conversions.map((c) => c.fields.order_number)).size).toBe(PENDING);
    await t.page.waitForFunction(() => localStorage.getItem('bp_outbox:v2') === '[]');
    const sentByRequest: Array<Array<{ event_id: string }>> = requests
      .map((text) => JSON.parse(text))
      .map((body) => (body.type === 'batch' ? body.events : [body]));
    const sizes = sentByRequest.map((events) => events.length);
    // Usually [25, 5]. Conversions whose retry was in flight when the outage page closed were
    // not beaconed: they wait out their backoff and leave together later, e.g. [25, 4, 1].
    expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(PENDING);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(sizes.length).toBeLessThanOrEqual(4);
    // Each event left this page once. (The platform may still answer one "duplicate": a send the
    // outage page left as it closed can reach it after it is back, on a busy machine.)
    expect(new Set(sentByRequest.flat().map((event) => event.event_id)).size).toBe(PENDING);
  });

  it('sends each conversion alone to an endpoint that refuses batches, and loses none', async () => {
    await leaveOutbox('SINGLE');
    let refused = 0;
    // A server that knows only single conversions: a batch is not a conversion, 400.
    await t.page.route('**/track', (route) => {
      if (JSON.parse(route.request().postData() || '{}').type !== 'batch') return route.continue();
      refused++;
      return route.fulfill({
        status: 400,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': t.stack.merchantUrl, 'access-control-allow-credentials': 'true' },
        body: '{"status":"invalid","errors":["\\"type\\" expected \\"conversion\\""]}',
      });
    });
    await t.page.goto(t.stack.merchantUrl + '/next-SINGLE');
    const conversions = await t.stack.waitForState(async () => (await arrived('SINGLE')).length === PENDING && arrived('SINGLE'));
    expect(new Set(conversions.map((c) => c.fields.order_number)).size).toBe(PENDING);
    await t.page.waitForFunction(() => localStorage.getItem('bp_outbox:v2') === '[]');
    // The batches of the first pass ([25, 5], or one batch when some were still waiting out a
    // backoff) are refused; once a refusal is in, each conversion goes alone.
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(2);
    await t.page.unroute('**/track');
  });
});

describe('a missing endpoint (404, 405) loses nothing', () => {
  it('keeps the conversion, says so once, and a later page with a relay delivers it exactly once', async () => {
    // Page A: no relay; {url}/track answers 404 (an endpoint that is not there).
    await t.stack.control({ track: [{ status: 404, body: { status: 'not_found' } }] });
    const logsA = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/no-relay',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <script>
        window.result = new Buyapowa({ url: "${t.stack.platformUrl}", market: "demo" }).track({ customer_email: "jane@smith.com", order_number: "MISSING1" });
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/no-relay');
    const result = await t.page.evaluate(() => (window as unknown as { result: Promise<{ status: string; reason: string }> }).result);
    expect(result).toMatchObject({ status: 'queued', reason: 'not_found' });
    const kept = await t.page.evaluate(() => JSON.parse(localStorage.getItem('bp_outbox:v2') || '[]'));
    expect(kept.map((e: { event: { conversion: { order_number: string } }; dead?: boolean }) => [e.event.conversion.order_number, e.dead])).toEqual([
      ['MISSING1', true],
    ]);
    expect(await t.page.evaluate(() => JSON.parse(localStorage.getItem('bp_ledger:v2')!))).toEqual(['demo MISSING1']);
    const loud = logsA.filter((l) => l.startsWith('error: [Buyapowa]'));
    expect(loud).toHaveLength(1);
    expect(loud[0]).toContain(`${t.stack.platformUrl}/track answered not_found`);
    expect(loud[0]).toMatch(/`relay` option.*`trackUrl`.*docs\/real-account\.md/);
    await t.page.goto('about:blank');
    expect((await t.stack.state()).conversions.filter((c) => c.fields.order_number === 'MISSING1')).toEqual([]);

    // Page B: the merchant has mounted a relay (here the platform under another host name).
    const relay = t.stack.platformAt('relay.shop.test');
    const sent: string[] = [];
    t.page.on('request', (request) => request.url().endsWith('/track') && sent.push(request.url()));
    const logsB = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/with-relay',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <script>new Buyapowa({ url: "${t.stack.platformUrl}", market: "demo", relay: "${relay}" });</script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/with-relay');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'MISSING1'));
    await t.page.waitForFunction(() => localStorage.getItem('bp_outbox:v2') === '[]');
    expect(sent).toEqual([relay + '/track']);
    // Arrived once, by fetch to the relay, after page A's one answered 404 (recorded as scripted).
    const deliveries = (await t.stack.state()).deliveries.filter((d) => d.event_id === kept[0].event.event_id);
    expect(deliveries.map((d) => [d.transport, d.outcome.startsWith('scripted') ? d.outcome : 'decided'])).toEqual([
      ['fetch', 'scripted 404'],
      ['fetch', 'decided'],
    ]);
    expect((await t.stack.state()).conversions.filter((c) => c.fields.order_number === 'MISSING1')).toHaveLength(1);
    expect(conversion.event_id).toBe(kept[0].event.event_id);
    expect(logsB.filter((l) => /^(error|pageerror)/.test(l))).toEqual([]);
  });
});
