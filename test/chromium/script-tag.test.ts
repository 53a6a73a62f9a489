// The script-tag path in a real browser: the async loader snippet of docs/script-tag.md (calls queued before
// the file arrives are replayed in order; loading it twice is harmless), a strict CSP, and the
// <noscript> pixel on a page without JavaScript.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noscriptPixelUrl } from '../../src/browser/noscript';
import { collectConsole, waitFor, useStack } from './harness';

const t = useStack();

/** The async loader snippet exactly as docs/script-tag.md shows it, with our file's URL. */
function loaderSnippet(src: string) {
  const doc = readFileSync(new URL('../../docs/script-tag.md', import.meta.url), 'utf8');
  const snippet = doc.split('## Async loading')[1].match(/```html\n([\s\S]*?)```/)![1];
  expect(snippet).toContain("'https://bp.your-website.com/embedding.min.js'");
  return snippet.replace("'https://bp.your-website.com/embedding.min.js'", JSON.stringify(src));
}

describe('the async loader snippet', () => {
  it('replays calls made before the file arrives, in order, and loading the file twice is harmless', async () => {
    const logs = collectConsole(t.page);
    const src = t.stack.platformUrl + '/embedding.min.js';
    t.stack.merchant.addPage(
      '/async',
      `<!doctype html><html><head>${loaderSnippet(src)}</head><body>
      <div id="bp_error" style="display: none;">Sorry, something went wrong</div>
      <div id="bp_div"></div>
      <script>
        Buyapowa.setConsent('granted');
        var buyapowa = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error");
        buyapowa.embedReferAFriend({ "campaign": "refer-a-friend" });
        buyapowa.track({ "customer_email": "a@b.co", "order_number": "ASYNC1", "order_value": "9.99" });
        window.queuedBeforeLoad = typeof Buyapowa.version == 'undefined';
      </script>
      <script src="${src}"></script>
      </body></html>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/async');
    expect(await t.page.evaluate(() => (window as unknown as { queuedBeforeLoad: boolean }).queuedBeforeLoad)).toBe(true);
    await t.page.frameLocator('#bp_div iframe').locator('body').waitFor();
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'ASYNC1'));
    expect(conversion.fields.order_value).toBe('9.99');
    // Calls on the stub instance after the file arrived go to the real one.
    await t.page.evaluate(() =>
      (window as unknown as { buyapowa: { track(c: object): void } }).buyapowa.track({ customer_email: 'a@b.co', order_number: 'ASYNC2' }),
    );
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'ASYNC2'));
    await t.page.waitForLoadState('networkidle');
    expect(await t.page.locator('iframe').count()).toBe(1);
    expect((await t.stack.state()).conversions).toHaveLength(2);
    expect(logs.filter((l) => /^(error|pageerror)/.test(l))).toEqual([]);
  });
});

describe('a strict Content-Security-Policy', () => {
  it('embeds and tracks with no unsafe-inline or eval', async () => {
    const logs = collectConsole(t.page);
    // No inline script at all: the page's own code comes from a file, as under a strict CSP.
    const csp = `default-src 'self'; script-src 'self' ${t.stack.platformUrl}; frame-src ${t.stack.platformUrl}; connect-src ${t.stack.platformUrl}; style-src 'self'; img-src 'self'`;
    t.stack.merchant.addPage(
      '/strict',
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}">
      <div id="bp_error" hidden>Sorry</div><div id="bp_div"></div>
      <script src="${t.stack.platformUrl}/embedding.min.js"></script><script src="/strict.js"></script>`,
    );
    await t.context.route(t.stack.merchantUrl + '/strict.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `var b = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error");
          b.embedReferAFriend({ campaign: "refer-a-friend" });
          b.track({ customer_email: "a@b.co", order_number: "CSP1" });`,
      }),
    );
    await t.page.goto(t.stack.merchantUrl + '/strict');
    await t.page.frameLocator('#bp_div iframe').locator('body').waitFor();
    await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'CSP1'));
    await waitFor(
      async () => {
        const h = await t.page.locator('#bp_div iframe').evaluate((el) => el.getBoundingClientRect().height);
        return h !== 800 && h > 100;
      },
      { message: 'the iframe to follow its content height under CSP' },
    );
    expect(logs.filter((l) => /Content Security Policy|Refused/i.test(l))).toEqual([]);
  });
});

describe('the <noscript> pixel', () => {
  it('tracks a conversion from a page without JavaScript, and the platform answers with an image', async () => {
    const nojs = await t.browser.newContext({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    const src = noscriptPixelUrl(
      { url: t.stack.platformUrl, market: 'demo' },
      { customer_email: 'nojs@example.com', order_number: 'NOJS1', order_value: '5', voucher_codes: ['A', 'B'] },
    );
    t.stack.merchant.addPage(
      '/nojs',
      `<!doctype html><p>Thanks</p><noscript><img id="px" src="${src.replace(/&/g, '&amp;')}" width="1" height="1" alt=""></noscript>`,
    );
    await p.goto(t.stack.merchantUrl + '/nojs');
    const conversion = await t.stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'NOJS1'));
    expect(conversion.transport).toBe('pixel');
    expect(conversion.fields).toMatchObject({ customer_email: 'nojs@example.com', order_value: '5.00', voucher_codes: ['A', 'B'] });
    expect(await p.locator('#px').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await nojs.close();
  });
});
