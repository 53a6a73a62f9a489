// The dev platform's dashboard in Chromium at phone and desktop widths: it leads with the
// funnel and the latest referral loop, the page never scrolls sideways (tables scroll inside
// their wrapper), column headers stay on one line, and badges are green for success, red for
// failure.
import { describe, expect, test } from 'vitest';
import { useStack } from '../chromium/harness';

const t = useStack();

/** One full loop (share link → landing → credited order), a sign-up and a rejected conversion. */
async function seedLoop() {
  const { platform } = t.stack;
  const { code } = platform.createReferrer({ market: 'demo', name: 'John Doe', email: 'john@doe.com' });
  const visit = await fetch(`${platform.url}/r/${code}`, { redirect: 'manual' });
  const bpE = new URL(visit.headers.get('location')!).searchParams.get('bp_e')!;
  const post = (path: string, body: unknown) =>
    fetch(platform.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(
    (await post('/click', { type: 'click', market: 'demo', event_id: 'click-1', tokens: { bp_e: bpE }, page: 'http://www.shop.test/?bp_e=…' })).status,
  ).toBe(204);
  const order = { order_number: 'ORDER-LOOP-1', customer_email: 'jane@smith.com', order_value: '12.89', voucher_code: '' };
  expect(
    (await post('/track', { v: 1, type: 'conversion', event_id: 'event-1', market: 'demo', conversion: order, referral: { tokens: { bp_e: bpE } } })).status,
  ).toBe(201);
  expect((await post('/iaf/refer-a-friend/signup?market=demo', { name: 'Zoë Martin', email: 'zoe@example.com' })).status).toBe(200);
  expect((await post('/track', { v: 1, type: 'conversion', event_id: 'event-2', market: 'demo', conversion: { customer_email: 'a@b.co' } })).status).toBe(400);
}

describe.each([
  [390, 844],
  [1280, 900],
])('the dashboard at %i px', (width, height) => {
  test('leads with the funnel and the latest loop, and fits the width', async () => {
    await seedLoop();
    await t.page.setViewportSize({ width, height });
    await t.page.goto(`${t.stack.platform.url}/dashboard`);

    const figures = await t.page.locator('.funnel li').evaluateAll((items) => items.map((li) => [li.id, li.querySelector('.figure')!.textContent]));
    expect(figures).toEqual([
      ['funnel-visits', '1'],
      ['funnel-landings', '1'],
      ['funnel-conversions', '1'],
      ['funnel-credited', '1'],
    ]);
    const loop = (await t.page.locator('#latest-loop').textContent())!.replace(/\s+/g, ' ');
    expect(loop).toMatch(
      /^Latest loop John Doe's link → visited \d\d:\d\d:\d\d → landed \d\d:\d\d:\d\d → order ORDER-LOOP-1 \d\d:\d\d:\d\d → credited via landing$/,
    );
    // The funnel comes before every table.
    const order = await t.page.evaluate(() => [...document.querySelectorAll('#funnel, #latest-loop, section table')].map((e) => e.id || e.tagName));
    expect(order.slice(0, 2)).toEqual(['funnel', 'latest-loop']);

    // No sideways scrolling of the page; wide tables scroll inside their wrapper.
    const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    // Headers on one line each, never broken mid-word; cells at least a few characters wide.
    const headers = await t.page.locator('th').evaluateAll((cells) =>
      cells.map((th) => ({
        text: th.textContent,
        lines: th.getClientRects().length && Math.round(th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight) - 0.4),
      })),
    );
    expect(headers.filter((h) => h.lines > 1)).toEqual([]);
    // No one-character-per-line columns: every cell, and every field value inside one, is a few words wide.
    const narrowest = await t.page.locator('td, dd').evaluateAll((cells) => Math.min(...cells.map((cell) => cell.getBoundingClientRect().width)));
    expect(narrowest).toBeGreaterThan(60);
  });

  test('badges: success green (signed_up, valid, credited), failure red (rejected)', async () => {
    await seedLoop();
    await t.page.setViewportSize({ width, height });
    await t.page.goto(`${t.stack.platform.url}/dashboard`);
    const colour = (selector: string) =>
      t.page
        .locator(selector)
        .first()
        .evaluate((badge) => [badge.className, getComputedStyle(badge).backgroundColor]);
    const GREEN = 'rgb(215, 240, 222)';
    const RED = 'rgb(251, 224, 222)';
    expect(await colour('#logins .badge')).toEqual(['badge ok', GREEN]);
    expect(await t.page.locator('#logins .badge').first().textContent()).toBe('signed_up');
    expect(await colour('#conversions td:nth-child(5) .badge')).toEqual(['badge ok', GREEN]);
    expect(await colour('#rejected .badge')).toEqual(['badge fail', RED]);
  });
});
