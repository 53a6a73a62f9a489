// The script tag as a loader (issue 20) in real Chromium: a landing page fetches the loader
// alone; track and embed fetch their chunk on first use, pinned by SRI; a conversion called
// before its chunk arrives survives the page closing and is delivered once by the next page; a
// tampered chunk is refused and reported, the conversion kept, the error container shown; the
// embed chunk's lines are worded by the embed-explain chunk, fetched only then; a strict CSP
// naming only the SDK's host, and data-base, work.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectConsole, collectRequests, conversionsOf, deliveriesOf, useStack, waitFor } from './harness';

const t = useStack();

const CHUNK = /\/chunks\/(track|embed)\.[\w-]+\.js$/;
const load = async (url: string) => {
  await t.page.goto(url);
  await t.page.waitForLoadState('networkidle');
};
/** A page that tracks `order` with the guide's tag, the loader pinned by SRI when `pinned`. */
function thankYouPage(order: string, pinned = false) {
  const integrity = pinned
    ? ` integrity="sha384-${createHash('sha384').update(readFileSync('dist/embedding.min.js')).digest('base64')}" crossorigin="anonymous"`
    : '';
  return `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"${integrity}></script><script>
    var buyapowa = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"});
    window.result = buyapowa.track({ customer_email: "a@b.co", order_number: "${order}", order_value: 5 });
  </script>`;
}
/** Serves the chunks `pattern` matches as built with one more statement: what a compromised CDN might serve. */
const serveTampered = (pattern: RegExp) =>
  t.page.route(pattern, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: readFileSync('dist/chunks/' + new URL(route.request().url()).pathname.split('/').pop(), 'utf8') + '\n;window.tampered = true;',
    }),
  );
const storedCalls = () => t.page.evaluate(() => localStorage.getItem('bp_calls:v1'));
const ours = (logs: string[]) => logs.filter((l) => l.includes('[Buyapowa]') || l.startsWith('pageerror'));

describe('what each page fetches', () => {
  it('a landing page fetches the loader alone; a thank-you page the track chunk, once, with integrity and crossorigin', async () => {
    const requests = collectRequests(t.page);
    await load(t.stack.merchantUrl + '/?bp_e=TOKEN1');
    expect(requests.urls.filter((u) => CHUNK.test(u))).toEqual([]);
    expect(await t.page.evaluate(() => (window as unknown as { Buyapowa: { getReferral(): unknown } }).Buyapowa.getReferral())).not.toBeNull();

    t.stack.merchant.addPage(
      '/thanks-twice',
      thankYouPage('TWICE1') + `<script>buyapowa.track({ customer_email: "a@b.co", order_number: "TWICE2" });</script>`,
    );
    await load(t.stack.merchantUrl + '/thanks-twice');
    await t.stack.waitForState((s) => s.conversions.filter((c) => /^TWICE/.test(String(c.fields.order_number))).length === 2);
    expect(requests.urls.filter((u) => CHUNK.test(u)).map((u) => u.match(CHUNK)![1])).toEqual(['track']);
    const script = await t.page.locator('script[src*="/chunks/"]').evaluate((s: HTMLScriptElement) => [s.integrity, s.crossOrigin]);
    expect(script[0]).toMatch(/^sha256-[\w+/]{43}=$/);
    expect(script[1]).toBe('anonymous');
    expect(await t.page.evaluate(() => (window as unknown as { result: Promise<{ status: string }> }).result.then((r) => r.status))).toBe('delivered');
    expect(await storedCalls()).toBeNull();
  });
});

/** A refer-a-friend page with the guide's embed tag for `campaign`; `window.code` settles with `ready`. */
const referPage = (campaign: string) => `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
  <div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>
  <script>
    var buyapowa = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error");
    window.code = buyapowa.embedReferAFriend({ campaign: "${campaign}" }).ready.then(() => 'ready', (e) => e.code);
  </script>`;
const EMBED_EXPLAIN = /\/chunks\/embed-explain\.[\w-]+\.js$/;
const settled = () => t.page.evaluate(() => (window as unknown as { code: Promise<string> }).code);

describe('the embed chunk is short; the embed-explain chunk words its lines on demand', () => {
  it('a campaign shown: the embed chunk alone; a campaign refused: the embed-explain chunk, pinned, and the full line', async () => {
    const requests = collectRequests(t.page);
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage('/refer-ok', referPage('refer-a-friend'));
    await load(t.stack.merchantUrl + '/refer-ok');
    expect(await settled()).toBe('ready');
    expect(requests.urls.filter((u) => /\/chunks\//.test(u)).map((u) => u.split('/chunks/')[1].split('.')[0])).toEqual(['embed']);

    t.stack.merchant.addPage('/refer-nope', referPage('nope'));
    await load(t.stack.merchantUrl + '/refer-nope');
    expect(await settled()).toBe('campaign_not_found');
    await waitFor(() => ours(logs).length > 0, { message: 'the worded line' });
    expect(ours(logs).map((l) => l.trimEnd())).toEqual([
      `error: [Buyapowa] embedReferAFriend: campaign "nope" at ${t.stack.platformUrl}: Market "demo" has no campaign "nope".`,
    ]);
    const script = await t.page.locator('script[src*="/chunks/embed-explain."]').evaluate((s: HTMLScriptElement) => [s.integrity, s.crossOrigin]);
    expect(script[0]).toMatch(/^sha256-[\w+/]{43}=$/);
    expect(script[1]).toBe('anonymous');
  });

  it('an embed-explain chunk tampered with is refused: the short line is logged, nothing is thrown', async () => {
    const logs = collectConsole(t.page);
    await serveTampered(EMBED_EXPLAIN);
    t.stack.merchant.addPage('/refer-tampered', referPage('nope'));
    await load(t.stack.merchantUrl + '/refer-tampered');
    expect(await settled()).toBe('campaign_not_found');
    await t.page.locator('#bp_error').waitFor({ state: 'visible' });
    await waitFor(() => ours(logs).length > 1, { message: 'the short line' });
    expect(await t.page.evaluate(() => (window as unknown as { tampered?: boolean }).tampered)).toBeUndefined();
    expect(ours(logs).map((l) => l.trimEnd())).toEqual([
      expect.stringMatching(/^error: \[Buyapowa\] could not load http:.*\/chunks\/embed-explain\.[\w-]+\.js .*problems are shown short/),
      'error: [Buyapowa] embedReferAFriend (https://github.com/buyapowa-sdk/buyapowa-sdk/blob/main/docs/errors.md#campaign_not_found)',
    ]);
    await t.page.unroute(EMBED_EXPLAIN);
  });
});

describe('durability', () => {
  it('a track called before its chunk arrives, on a page closed at once, is delivered by the next page exactly once', async () => {
    // The track chunk never arrives on the first page.
    let held: Route | undefined;
    await t.page.route(CHUNK, (route) => void (held = route));
    t.stack.merchant.addPage('/leave-early', thankYouPage('EARLY1'));
    // The held chunk keeps the load event from firing: DOMContentLoaded is enough.
    await t.page.goto(t.stack.merchantUrl + '/leave-early', { waitUntil: 'domcontentloaded' });
    await waitFor(() => held, { message: 'the track chunk request' });
    // Written down before any code arrived.
    expect(JSON.parse((await storedCalls())!)).toMatchObject([{ market: 'demo', conversion: { order_number: 'EARLY1' } }]);
    const context = t.page.context();
    await t.page.close();
    expect(await conversionsOf(t.stack, 'EARLY1')).toEqual([]);

    const next = await context.newPage();
    await next.goto(t.stack.merchantUrl + '/');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'EARLY1'));
    expect(conversion).toMatchObject({ market: 'demo', page: t.stack.merchantUrl + '/leave-early' });
    expect(conversion.fields.order_value).toBe('5.00');
    await waitFor(() => next.evaluate(() => localStorage.getItem('bp_calls:v1') == null), { message: 'the stored call to be handed over' });
    // More pages, and the same order tracked again: still one conversion, one delivery.
    await next.goto(t.stack.merchantUrl + '/');
    await next.goto(t.stack.merchantUrl + '/leave-early');
    await next.waitForLoadState('networkidle');
    expect(await next.evaluate(() => (window as unknown as { result: Promise<{ status: string }> }).result.then((r) => r.status))).toBe('already_tracked');
    expect(await conversionsOf(t.stack, 'EARLY1')).toHaveLength(1);
    expect(await deliveriesOf(t.stack, 'EARLY1')).toHaveLength(1);
    t.page = next;
  });
});

describe('integrity', () => {
  it('a loader pinned by SRI pins its chunks: a tampered track chunk is refused, reported once, and the conversion kept for the next page', async () => {
    const logs = collectConsole(t.page);
    await serveTampered(CHUNK);
    t.stack.merchant.addPage('/pinned', thankYouPage('PINNED1', true));
    await load(t.stack.merchantUrl + '/pinned');
    const result = await t.page.evaluate(() => (window as unknown as { result: Promise<{ status: string; reason: string }> }).result);
    expect(result).toMatchObject({ status: 'queued', reason: 'the track code could not be loaded' });
    expect(await t.page.evaluate(() => (window as unknown as { tampered?: boolean }).tampered)).toBeUndefined();
    expect(ours(logs)).toEqual([expect.stringMatching(/^error: \[Buyapowa\] could not load http:.*\/chunks\/track\.[\w-]+\.js .*conversions are kept/)]);
    expect(await conversionsOf(t.stack, 'PINNED1')).toEqual([]);
    expect(await storedCalls()).toContain('PINNED1');

    await t.page.unroute(CHUNK);
    await load(t.stack.merchantUrl + '/');
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'PINNED1'));
    expect(await deliveriesOf(t.stack, 'PINNED1')).toHaveLength(1);
  });

  it('an embed chunk that cannot load shows the error container, rejects ready, and logs one line', async () => {
    const logs = collectConsole(t.page);
    await t.page.route(CHUNK, (route) => route.fulfill({ status: 404, body: 'not found' }));
    t.stack.merchant.addPage(
      '/embed-404',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>
      <script>
        var buyapowa = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error");
        window.code = buyapowa.embedReferAFriend({ campaign: "refer-a-friend" }).ready.then(() => 'ready', (e) => e.code);
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/embed-404');
    expect(await t.page.evaluate(() => (window as unknown as { code: Promise<string> }).code)).toBe('frame_failed');
    await t.page.locator('#bp_error').waitFor({ state: 'visible' });
    expect(await t.page.locator('#bp_div iframe').count()).toBe(0);
    expect(ours(logs)).toEqual([expect.stringMatching(/^error: \[Buyapowa\] could not load .*\/chunks\/embed\.[\w-]+\.js .*the campaign is not shown/)]);
  });
});

describe('where the chunks come from', () => {
  it('under a CSP whose script-src names only the SDK host, from data-base, with no inline script', async () => {
    const logs = collectConsole(t.page);
    const requests = collectRequests(t.page);
    const csp = `default-src 'self'; script-src ${t.stack.platformUrl}/embedding.min.js ${t.stack.platformUrl}/sdk/ 'self'; frame-src ${t.stack.platformUrl}; connect-src ${t.stack.platformUrl}; style-src 'self'; img-src 'self'`;
    t.stack.merchant.addPage(
      '/csp-base',
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}">
      <div id="bp_error" hidden>Sorry</div><div id="bp_div"></div>
      <script src="${t.stack.platformUrl}/embedding.min.js" data-base="${t.stack.platformUrl}/sdk"></script><script src="/csp-base.js"></script>`,
    );
    await t.context.route(t.stack.merchantUrl + '/csp-base.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `var b = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error");
          b.embedReferAFriend({ campaign: "refer-a-friend" });
          b.track({ customer_email: "a@b.co", order_number: "CSPBASE1" });`,
      }),
    );
    await t.page.goto(t.stack.merchantUrl + '/csp-base');
    await t.page.frameLocator('#bp_div iframe').locator('body').waitFor();
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'CSPBASE1'));
    const chunks = requests.urls.filter((u) => CHUNK.test(u));
    expect(chunks.sort()).toEqual([
      expect.stringContaining(t.stack.platformUrl + '/sdk/chunks/embed.'),
      expect.stringContaining(t.stack.platformUrl + '/sdk/chunks/track.'),
    ]);
    expect(logs.filter((l) => /Content Security Policy|Refused|error/i.test(l))).toEqual([]);
  });
});
