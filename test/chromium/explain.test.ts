// The loader's own problems (issue 20) in real Chromium: the loader, on every page, words a
// refused config short; it loads the explain chunk, which words it in full ("expected …
// received …"), and logs that line. When the explain chunk cannot load, the short line, which
// still names the field, is logged instead. Nothing is thrown into the page either way.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectConsole, collectRequests, useStack, waitFor } from './harness';

const t = useStack();

const EXPLAIN = /\/chunks\/explain\.[\w-]+\.js$/;
const ours = (logs: string[]) => logs.filter((l) => l.includes('[Buyapowa]') || l.startsWith('pageerror'));
const problemLines = (logs: string[]) => logs.filter((l) => l.startsWith('error: [Buyapowa]') && !l.includes('could not load'));

/** A page with the loader pinned by SRI, constructing with a config whose market is missing, then `more`. */
function badConfigPage(more = '') {
  const integrity = `sha384-${createHash('sha384').update(readFileSync('dist/embedding.min.js')).digest('base64')}`;
  return `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js" integrity="${integrity}" crossorigin="anonymous"></script>
  <script>
    var buyapowa = new Buyapowa({ url: "${t.stack.platformUrl}", market: 42 });
    ${more}
    window.after = true;
  </script>`;
}
const after = () => t.page.evaluate(() => (window as unknown as { after?: boolean }).after);

describe("the loader's problems, worded by the explain chunk", () => {
  it('a bad config on a page with the loader pinned: one full "expected … received …" line, from the explain chunk', async () => {
    const logs = collectConsole(t.page);
    const requests = collectRequests(t.page);
    t.stack.merchant.addPage('/bad-config', badConfigPage());
    await t.page.goto(t.stack.merchantUrl + '/bad-config');
    expect(await after()).toBe(true);
    await waitFor(() => problemLines(logs).length, { message: 'the [Buyapowa] line' });
    expect(ours(logs).map((l) => l.trimEnd())).toEqual(['error: [Buyapowa] new Buyapowa: "market" expected your market id, received 42']);
    expect(requests.urls.filter((u) => EXPLAIN.test(u))).toHaveLength(1);
  });

  it('track with a bad config, captureReferral with a bad option and setConsent with a bad value: each in full; the promise rejects with the BuyapowaError', async () => {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/bad-calls',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script><script>
        Buyapowa({ url: "${t.stack.platformUrl}", market: "demo" }).captureReferral({ attribution: "middle" });
        Buyapowa.setConsent("maybe");
        window.rejected = Buyapowa({ url: "${t.stack.platformUrl}", market: "demo", trackUrl: "/relative" })
          .track({ customer_email: "a@b.co", order_number: "BAD1" })
          .then(function () { return 'resolved'; }, function (e) { return e.name + ' ' + e.code; });
        window.after = true;
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/bad-calls');
    expect(await after()).toBe(true);
    expect(await t.page.evaluate(() => (window as unknown as { rejected: Promise<string> }).rejected)).toBe('BuyapowaError invalid_config');
    await waitFor(() => problemLines(logs).length === 3, { message: 'three [Buyapowa] lines' });
    expect(
      ours(logs)
        .map((l) => l.trimEnd())
        .sort(),
    ).toEqual([
      'error: [Buyapowa] Buyapowa.setConsent failed: setConsent: "consent" expected "granted", "pending" or "denied", received "maybe"',
      'error: [Buyapowa] captureReferral: "attribution" expected "last" or "first", received "middle"',
      'error: [Buyapowa] track: "trackUrl" expected an absolute URL, received "/relative"',
    ]);
  });

  it('when the explain chunk cannot load (404): one short line naming the field, nothing thrown into the page', async () => {
    const logs = collectConsole(t.page);
    await t.page.route(EXPLAIN, (route) => route.fulfill({ status: 404, body: 'not found' }));
    t.stack.merchant.addPage('/bad-config-no-explain', badConfigPage());
    await t.page.goto(t.stack.merchantUrl + '/bad-config-no-explain');
    expect(await after()).toBe(true);
    await waitFor(() => problemLines(logs).length, { message: 'the short [Buyapowa] line' });
    const lines = problemLines(logs).map((l) => l.trimEnd());
    expect(lines).toEqual(['error: [Buyapowa] new Buyapowa: "market" (https://github.com/buyapowa-sdk/buyapowa-sdk/blob/main/docs/errors.md#invalid_config)']);
    // The failed load is said once, and nothing else: no page error, no full text.
    expect(ours(logs).filter((l) => !lines.includes(l.trimEnd()))).toEqual([
      expect.stringMatching(/^error: \[Buyapowa\] could not load .*\/chunks\/explain\.[\w-]+\.js \(network error, 404 or integrity mismatch\)/),
    ]);
  });
});
