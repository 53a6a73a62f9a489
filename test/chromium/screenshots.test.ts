// The demo's pages in real Chromium at a phone width (390 px) and a desktop width (1280 px): the
// shop, the campaign, the thank-you page and the dashboard. Each page, with real data from a
// referral loop, must not scroll sideways and must not break a word of its headings, headers,
// links, labels or buttons across lines. Each page loads at the phone width and is measured, then
// resized to the desktop width and measured again. A failing case leaves its PNG to be looked at:
// test-results/screenshots/<page>-<width>.png (gitignored); a passing one costs no screenshot.
// The thank-you page's delivery log and voucher total are checked here too.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStack } from './harness';

const t = useStack();

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });
const WIDTHS = [390, 1280] as const;
const HEIGHT = { 390: 844, 1280: 800 } as const;

/** Elements whose words must each stay on one line. */
const WORDS_KEPT_WHOLE = 'h1, h2, h3, th, nav a, a, button, label, summary';

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  innerWidth: number;
  /** `overflow-x` of html and body: `hidden` or `clip` there would hide an overflow, not fix it. */
  overflowX: string[];
  /** `<tag> "text": word` for each word broken across lines. */
  brokenWords: string[];
}

/** Measures the document in a page or frame: its horizontal overflow and its broken words. */
function measure(target: Page | Frame, selector = WORDS_KEPT_WHOLE): Promise<Layout> {
  return target.evaluate((selector) => {
    const root = document.scrollingElement || document.documentElement;
    const brokenWords: string[] = [];
    const seen = new Set<Node>();
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (seen.has(node)) continue;
        seen.add(node);
        const text = node.textContent || '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          // One line box per distinct top: a word on two lines has rects on two lines.
          const tops = new Set(
            Array.from(range.getClientRects())
              .filter((r) => r.width > 0 && r.height > 0)
              .map((r) => Math.round(r.top)),
          );
          if (tops.size > 1) brokenWords.push(`<${element.tagName.toLowerCase()}> "${(element.textContent || '').trim().slice(0, 60)}": ${match[0]}`);
        }
      }
    }
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      innerWidth,
      overflowX: [document.documentElement, document.body].map((e) => getComputedStyle(e).overflowX),
      brokenWords,
    };
  }, selector);
}

/** Asserts the page's layout and, if given, a frame's; on a failure, screenshots the page (full height) first. */
async function checkLayout(page: Page, name: string, width: number, frame?: Frame) {
  try {
    for (const [where, target] of [[name, page], ...(frame ? [[`${name} (iframe)`, frame]] : [])] as [string, Page | Frame][]) {
      const layout = await measure(target);
      expect(layout.overflowX, `${where} at ${width} px hides its overflow`).not.toContain('hidden');
      expect(layout.overflowX, `${where} at ${width} px clips its overflow`).not.toContain('clip');
      expect(layout.scrollWidth, `${where} at ${width} px is ${layout.scrollWidth} px wide: it scrolls sideways`).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.clientWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.brokenWords, `${where} at ${width} px breaks words across lines`).toEqual([]);
    }
  } catch (failure) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    throw failure;
  }
}

/** A referrer, and the friend's landing from their share link: the shop page with the welcome and the voucher. */
async function land(page: Page) {
  const { share_url } = await t.stack.createReferrer({ name: 'Johnathan Referrerson', email: 'johnathan.referrerson@example.com' });
  await page.goto(share_url);
  await page.locator('#voucher').waitFor();
  return (await page.locator('#voucher').textContent())!;
}

/** Buys the mug with the friend's voucher from the shop page; resolves on the thank-you page once delivered. */
async function checkout(page: Page, voucher: string) {
  await page.locator('#checkout input[name="voucher"]').fill(voucher);
  await Promise.all([page.waitForURL(/\/checkout\/thanks\?order=/), page.locator('#checkout button[type="submit"]').click()]);
  await page.locator('#delivery-log .status-delivered').waitFor();
}

/** Lands, then buys the mug with the friend's voucher; resolves on the thank-you page once delivered. */
async function buy(page: Page) {
  const voucher = await land(page);
  await checkout(page, voucher);
  return voucher;
}

/** Checks the page (and the frame) at each width: the same page, resized, is measured again. */
async function checkLayoutAtEachWidth(page: Page, name: string, frame?: Frame) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT[width] });
    await checkLayout(page, name, width, frame);
  }
}

describe(`at ${WIDTHS.join(' and ')} px`, () => {
  /** The page at the first width, before it loads. */
  const open = async () => {
    await t.page.setViewportSize({ width: WIDTHS[0], height: HEIGHT[WIDTHS[0]] });
    return t.page;
  };

  it('the shop after a referral landing, the thank-you page and the dashboard fit and keep words whole', async () => {
    const page = await open();
    const voucher = await land(page);
    await checkLayoutAtEachWidth(page, 'shop');
    await open();
    await checkout(page, voucher);
    await checkLayoutAtEachWidth(page, 'thank-you');
    await t.stack.waitForState((s) => s.conversions.length === 1);
    await open();
    await page.goto(t.stack.platformUrl + '/dashboard');
    await checkLayoutAtEachWidth(page, 'dashboard');
  });

  it('the campaign, embedded in the shop, fits and keeps words whole (page and iframe)', async () => {
    const page = await open();
    await page.goto(t.stack.merchantUrl + '/refer-a-friend');
    const iframe = await page.locator('#bp_div iframe').elementHandle();
    const frame = (await iframe!.contentFrame())!;
    await frame.waitForLoadState('load');
    await frame.locator('body *').first().waitFor();
    await checkLayoutAtEachWidth(page, 'campaign', frame);
  });
});

describe('the thank-you page', () => {
  const log = (page: Page) => page.locator('#delivery-log li').allTextContents();

  it("takes the friend's voucher off the total, tracks the total paid, and shows the delivered event", async () => {
    const voucher = await buy(t.page);
    expect(await t.page.locator('#friend-price').count()).toBe(0); // the shop page is gone
    expect(await t.page.locator('#discount').textContent()).toBe('−£10.00');
    expect(await t.page.locator('#order-total').textContent()).toBe('£2.89');
    const order = (await t.page.locator('#order-number').textContent())!;
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === order));
    expect(conversion.fields).toMatchObject({ order_value: '2.89', voucher_code: voucher });
    const [entry, ...more] = await log(t.page);
    expect(more).toEqual([]);
    expect(entry).toMatch(/Delivered: the platform recorded the conversion \(order ORDER-[0-9A-F]{8}, answer: created\)$/);
    // Green for success.
    expect(await t.page.locator('#delivery-log .status-delivered').evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe('rgb(47, 158, 85)');
  });

  it('shows the price with the voucher on the shop page', async () => {
    await land(t.page);
    expect(await t.page.locator('#friend-price').textContent()).toBe('£2.89');
  });

  it('shows a rejected conversion in red, with the platform’s reason', async () => {
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=REJECTED1&tamper=1');
    await t.page.locator('#delivery-log .status-rejected').waitFor();
    expect(await log(t.page)).toEqual([expect.stringMatching(/Rejected: the platform refused the conversion \(order REJECTED1, answer: invalid_signature\)$/)]);
    expect(await t.page.locator('#delivery-log .status-rejected').evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe('rgb(198, 47, 36)');
  });

  it('shows a queued conversion while the platform is down, then its delivery', async () => {
    await t.stack.control({ track: [500] });
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=QUEUED1');
    await t.page.locator('#delivery-log .status-delivered').waitFor();
    expect(await log(t.page)).toEqual([
      expect.stringMatching(/Queued: .*\(order QUEUED1, answer: .+\)$/),
      expect.stringMatching(/Delivered: .*\(order QUEUED1, answer: created\)$/),
    ]);
  });

  it('says so when a reload finds the order already tracked', async () => {
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=AGAIN1');
    await t.page.locator('#delivery-log .status-delivered').waitFor();
    await t.page.reload();
    await t.page.locator('#delivery-log .status-already_tracked').waitFor();
    expect(await log(t.page)).toEqual([expect.stringMatching(/^.+ Already tracked: this order was sent before, so nothing was sent again \(order AGAIN1\)$/)]);
  });

  it('writes the platform’s answer as text, never as HTML', async () => {
    await t.page.goto(t.stack.merchantUrl + '/checkout/thanks?order=TEXT1');
    await t.page.locator('#delivery-log .status-delivered').waitFor();
    await t.page.evaluate(() =>
      dispatchEvent(
        new CustomEvent('buyapowa:rejected', { detail: { status: 'rejected', order: '<img src=x onerror=window.__pwned=1>', reason: '<b>bold</b>' } }),
      ),
    );
    const last = t.page.locator('#delivery-log li').last();
    expect(await last.textContent()).toContain('(order <img src=x onerror=window.__pwned=1>, answer: <b>bold</b>)');
    expect(await last.locator('img, b').count()).toBe(0);
  });
});
