// Issue 2 in a real browser: the guide's embed snippets, the handshake, auto-height, failures,
// foreign messages, personal data kept out of URLs, and the SPA example.
import { createServer, type Server } from 'node:net';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectConsole, collectRequests, runClockUntil, waitFor, useStack } from './harness';

const t = useStack();

/** Waits until the locator matches `n` elements. */
const hasCount = (locator: Locator, n: number) => waitFor(async () => (await locator.count()) === n, { message: `${n} × ${locator}` });
/** Waits until the locator is visible. */
const isShown = (locator: Locator, timeout = 15000) => locator.first().waitFor({ state: 'visible', timeout });

/** The iframe's height and its content's height, once the campaign has loaded. */
async function heights() {
  const frame = t.page.frameLocator('#bp_div iframe');
  await frame.locator('body').waitFor();
  const outer = await t.page.locator('#bp_div iframe').evaluate((el) => el.getBoundingClientRect().height);
  const inner = await frame.locator('html').evaluate((html) => ({ scroll: html.scrollHeight, client: html.clientHeight }));
  return { outer, ...inner };
}

/** Waits until the iframe is exactly as tall as its content (no inner scrollbar). */
const fitsContent = () =>
  waitFor(
    async () => {
      const h = await heights();
      return Math.abs(h.outer - h.scroll) <= 1 && h.scroll <= h.client + 1 && h;
    },
    { message: 'the iframe to take its content height' },
  );

describe('the guide embed snippets, pasted verbatim', () => {
  for (const [name, path] of [
    ['embed with error container', '/refer-a-friend'],
    ['seamless login', '/refer-a-friend/signed-in'],
    ['Shopify step 7', '/refer-a-friend/shopify'],
  ])
    it(`${name}: one iframe from the market domain that takes its content height`, async () => {
      const logs = collectConsole(t.page);
      await t.page.goto(t.stack.merchantUrl + path);
      await hasCount(t.page.locator('#bp_div iframe'), 1);
      const src = new URL((await t.page.locator('#bp_div iframe').getAttribute('src'))!);
      expect(src.origin).toBe(t.stack.platformUrl);
      expect(src.pathname).toBe('/iaf/refer-a-friend');
      const h = await fitsContent();
      expect(h.outer).toBeGreaterThan(100);
      expect(
        await t.page
          .locator('#bp_error')
          .isVisible()
          .catch(() => false),
      ).toBe(false);
      expect(logs.filter((l) => l.startsWith('error') || l.startsWith('pageerror'))).toEqual([]);
    });

  it('signs the customer in when the signature verifies, and keeps name and email out of every URL', async () => {
    const requests = collectRequests(t.page);
    await t.page.goto(t.stack.merchantUrl + '/refer-a-friend/signed-in?customer=john');
    await isShown(t.page.frameLocator('#bp_div iframe').getByText('John Doe').first());
    await fitsContent();
    const logins = (await t.stack.state()).logins;
    expect(logins).toEqual([expect.objectContaining({ kind: 'session', email: 'john@doe.com', status: 'signed_in' })]);
    expect(requests.urls.length).toBeGreaterThan(3);
    for (const url of requests.urls) expect(decodeURIComponent(url)).not.toMatch(/john@|doe\.com|john doe|e8ca91|signature=/i);
  });

  it('shows the sign-up form when the signature does not verify', async () => {
    await t.page.goto(t.stack.merchantUrl + '/refer-a-friend/signed-in?customer=john&tamper=1');
    const frame = t.page.frameLocator('#bp_div iframe');
    await isShown(frame.locator('form'));
    await t.stack.waitForState((s) => s.logins.find((l) => l.status === 'invalid_signature'));
  });

  it('forwards the page bp_* parameters to the campaign (bp_l=false friend landing)', async () => {
    await t.page.goto(t.stack.merchantUrl + '/refer-a-friend?bp_l=false');
    const src = new URL((await t.page.locator('#bp_div iframe').getAttribute('src'))!);
    expect(src.searchParams.get('bp_l')).toBe('false');
    await fitsContent();
    // init always carries login; without name or email the campaign attempts no sign-in.
    expect((await t.stack.state()).logins).toEqual([]);
  });
});

describe('failures show the error container', () => {
  const embedPage = (url: string, campaign = 'refer-a-friend', extra = '') => `<!doctype html><html><head>
<script src="${t.stack.platformUrl}/embedding.min.js"></script></head><body>
<div id="bp_error" style="display: none;">Sorry, something went wrong</div>
<div id="bp_div"></div>
<script>
  var buyapowa = new Buyapowa({url: "${url}", market: "demo"${extra}}, "bp_div", "bp_error");
  buyapowa.embedReferAFriend({ "campaign": "${campaign}" });
</script></body></html>`;

  /**
   * Loads the page on a fake clock, then runs the clock until the error container shows: the
   * SDK's failure timers fire in their order without real waiting. `until: 'load'` (default) lets
   * the iframe's load event happen first; a frame that never loads holds the page's load back,
   * so that case waits for 'domcontentloaded'.
   */
  async function expectFailure(path: string, html: string, message: RegExp, until: 'load' | 'domcontentloaded' = 'load') {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(path, html);
    await t.page.clock.install();
    await t.page.goto(t.stack.merchantUrl + path, { waitUntil: until });
    const errorBox = t.page.locator('#bp_error');
    await runClockUntil(t.page, () => errorBox.isVisible(), { message: 'the error container' });
    await hasCount(t.page.locator('#bp_div iframe'), 0);
    // The script tag's line is worded by the embed-explain chunk, once it has loaded.
    const errors = () => logs.filter((l) => l.startsWith('error: [Buyapowa]'));
    await waitFor(() => errors().length > 0, { message: 'the error line' });
    expect(errors().join('\n')).toMatch(message);
    expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  }

  it('when the platform is unreachable', async () => {
    await expectFailure('/unreachable', embedPage('http://bp.shop.test:1'), /at http:\/\/bp\.shop\.test:1 is unreachable/);
  });

  it('when the platform never answers', async () => {
    const silent: Server = createServer(() => {}); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await expectFailure(
        '/silent',
        embedPage(`http://bp.shop.test:${port}`, 'refer-a-friend', ', timeout: 2000'),
        /did not answer within 2000 ms/,
        'domcontentloaded',
      );
    } finally {
      silent.close();
    }
  });

  it('when the campaign does not exist', async () => {
    await expectFailure('/missing', embedPage(t.stack.platformUrl, 'no-such-campaign'), /has no campaign "no-such-campaign"/);
  });

  it('when the container is missing', async () => {
    await expectFailure(
      '/no-container',
      embedPage(t.stack.platformUrl).replace('<div id="bp_div"></div>', ''),
      /"container" expected an element on this page, or its id, received "bp_div"/,
    );
  });
});

describe('security', () => {
  it('ignores messages from a foreign origin, even with the right channel', async () => {
    await t.page.goto(t.stack.merchantUrl + '/refer-a-friend');
    const before = await fitsContent();
    const channel = new URL((await t.page.locator('#bp_div iframe').getAttribute('src'))!).searchParams.get('channel')!;
    // A page on another site that knows the channel and tries to shrink, break and fake the embed.
    const evil = t.stack.merchantAt('evil.platform.test') + '/evil';
    t.stack.merchant.addPage(
      '/evil',
      `<!doctype html><script>
        var c = new URL(location.href).searchParams.get('channel');
        parent.postMessage({ bp: 1, channel: c, type: 'resize', height: 3 }, '*');
        parent.postMessage({ bp: 1, channel: c, type: 'error', code: 'campaign_not_found', message: 'forged' }, '*');
        parent.postMessage({ bp: 1, channel: c, type: 'done' }, '*');
      </script>`,
    );
    await t.page.evaluate(() => {
      (window as unknown as { evilDone: Promise<void> }).evilDone = new Promise((resolve) =>
        addEventListener('message', (e) => e.data && e.data.type === 'done' && resolve()),
      );
    });
    await t.page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, `${evil}?channel=${channel}`);
    // Messages reach the page in order: once "done" arrived, the SDK has seen the forged ones.
    await t.page.evaluate(() => (window as unknown as { evilDone: Promise<void> }).evilDone);
    await hasCount(t.page.locator('#bp_div iframe'), 1);
    expect(await t.page.locator('#bp_error').isVisible()).toBe(false);
    expect((await heights()).outer).toBe(before.outer);
  });
});

describe('the SPA example', () => {
  it('leaves exactly one iframe after navigating away and back three times', async () => {
    await t.page.goto(t.stack.merchantUrl + '/spa/');
    for (let i = 0; i < 3; i++) {
      await t.page.click('#nav-refer');
      await hasCount(t.page.locator('#bp_div iframe'), 1);
      await t.page.click('#nav-about');
      await hasCount(t.page.locator('iframe'), 0);
    }
    await t.page.click('#nav-refer');
    await hasCount(t.page.locator('iframe'), 1);
    await fitsContent();
    await t.page.goBack();
    await hasCount(t.page.locator('iframe'), 0);
    await t.page.goForward();
    await hasCount(t.page.locator('iframe'), 1);
  });
});

describe('warnings', () => {
  it('warns once when the container is narrower than the guide recommends', async () => {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/narrow',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <div id="bp_div" style="width: 500px"></div>
      <script>new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}).embedReferAFriend({campaign: "refer-a-friend"});</script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/narrow');
    await hasCount(t.page.locator('#bp_div iframe'), 1);
    await waitFor(() => logs.find((l) => l.includes('500px wide')), { message: 'the width warning' });
  });

  it('warns when the market domain is on another site', async () => {
    const logs = collectConsole(t.page);
    const other = t.stack.platformAt('bp.platform.test');
    t.stack.merchant.addPage(
      '/third-party',
      `<!doctype html><script src="${other}/embedding.min.js"></script><div id="bp_div"></div>
      <script>new Buyapowa({url: "${other}", market: "demo"}).embedReferAFriend({campaign: "refer-a-friend"});</script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/third-party');
    await waitFor(() => logs.find((l) => l.includes('third-party')), { message: 'the third-party warning' });
    expect(logs.filter((l) => l.includes('third-party'))).toHaveLength(1);
  });
});

describe('a campaign page without our handshake (issue 13 §4)', () => {
  const page = (extra = '', campaign = 'silent') => `<!doctype html><html><head>
<script src="${t.stack.platformUrl}/embedding.min.js"></script></head><body>
<div id="bp_error" style="display: none;">Sorry, something went wrong</div>
<div id="bp_div"></div>
<script>
  var embed = new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div", "bp_error")
    .embedReferAFriend({ campaign: "${campaign}", name: "John Doe", email: "john@doe.com"${extra} });
  // The iframe's load, seen from its container (the script tag adds the iframe once the embed code has arrived).
  document.querySelector("#bp_div").addEventListener("load", function () { window.frameLoaded = true; }, true);
  embed.ready.then(function (r) { window.outcome = { handshake: r.handshake, height: r.iframe.style.height }; },
                   function (e) { window.outcome = { error: e.code }; });
</script></body></html>`;

  /** Embeds `campaign`, lets the 3 s after load pass, and returns the outcome and the console. */
  async function embedWithoutHandshake(campaign: string) {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage('/no-handshake-' + campaign, page('', campaign));
    await t.page.clock.install();
    await t.page.goto(t.stack.merchantUrl + '/no-handshake-' + campaign);
    await waitFor(() => t.page.evaluate(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded), { message: 'the iframe load' });
    await t.page.clock.runFor(3000);
    const outcome = await waitFor(() => t.page.evaluate(() => (window as unknown as { outcome?: object }).outcome), { message: 'ready to settle' });
    // Well past the 10 s timeout: still there.
    await t.page.clock.runFor(20000);
    await hasCount(t.page.locator('#bp_div iframe'), 1);
    return { logs, outcome };
  }

  it('stays visible at a fixed height, ready resolves with handshake false, one warning', async () => {
    const { logs, outcome } = await embedWithoutHandshake('silent');
    expect(outcome).toEqual({ handshake: false, height: '800px' });
    await isShown(t.page.frameLocator('#bp_div iframe').getByText('Give £10, get £10'));
    expect(await t.page.locator('#bp_error').isVisible()).toBe(false);
    await waitFor(() => logs.some((l) => l.includes('[Buyapowa]')), { message: 'the worded line' });
    expect(logs.filter((l) => l.includes('[Buyapowa]')).map((l) => l.trimEnd())).toEqual([
      `warning: [Buyapowa] embedReferAFriend: campaign "silent" at ${t.stack.platformUrl} does not answer the SDK's handshake: shown at 800px, without auto-height or seamless login`,
    ]);
    expect(logs.filter((l) => l.startsWith('error') || l.startsWith('pageerror'))).toEqual([]);
    // No seamless login was attempted.
    expect((await t.stack.state()).logins).toEqual([]);
  });

  it.each([
    ['a campaign page that runs no script at all', 'never-ready'],
    ['a frame refused by X-Frame-Options and CSP frame-ancestors (the browser hides which it was)', 'refused'],
  ])('%s: posts nothing, the market domain answers, so it stays, with one warning naming framing', async (_what, campaign) => {
    const { logs, outcome } = await embedWithoutHandshake(campaign);
    expect(outcome).toEqual({ handshake: false, height: '800px' });
    expect(await t.page.locator('#bp_error').isVisible()).toBe(false);
    await waitFor(() => logs.some((l) => l.includes('[Buyapowa]')), { message: 'the worded line' });
    expect(logs.filter((l) => l.includes('[Buyapowa]')).map((l) => l.trimEnd())).toEqual([
      `warning: [Buyapowa] embedReferAFriend: campaign "${campaign}" at ${t.stack.platformUrl} does not answer the SDK's handshake: shown at 800px, without auto-height or seamless login (it posted nothing: if the frame shows an error, check X-Frame-Options and CSP frame-ancestors on the market domain)`,
    ]);
  });
});

describe('hostile input in a real browser (issue 11)', () => {
  it('a Symbol seamless-login value: no uncaught DataCloneError, one warning naming it, the rest is sent', async () => {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/symbol-login',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <div id="bp_div"></div>
      <script>
        new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}, "bp_div")
          .embedReferAFriend({ campaign: "refer-a-friend", name: "John Doe", email: "john@doe.com", custom_field: Symbol("x"), signature: function () {} })
          .ready.then(function (r) { window.outcome = r.handshake; });
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/symbol-login');
    expect(await waitFor(() => t.page.evaluate(() => (window as unknown as { outcome?: boolean }).outcome), { message: 'ready' })).toBe(true);
    await t.stack.waitForState((s) => s.logins.find((l) => l.email === 'john@doe.com'));
    expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await waitFor(() => logs.some((l) => l.includes('[Buyapowa]')), { message: 'the worded line' });
    expect(logs.filter((l) => l.includes('[Buyapowa]')).map((l) => l.trimEnd())).toEqual([
      'warning: [Buyapowa] embedReferAFriend: "custom_field" expected a string, number or boolean, received Symbol(x); it was not sent to the campaign',
      expect.stringMatching(
        /^warning: \[Buyapowa\] embedReferAFriend: "signature" expected a string, number or boolean, received .+; it was not sent to the campaign$/,
      ),
    ]);
  });

  it('an errorContainer that is not an element: one [Buyapowa] error line, nothing thrown into the page', async () => {
    const logs = collectConsole(t.page);
    t.stack.merchant.addPage(
      '/bad-error-container',
      `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <div id="bp_div"></div>
      <script>
        new Buyapowa({url: "${t.stack.platformUrl}", market: "demo", errorContainer: 42}, "bp_div")
          .embedReferAFriend({ campaign: "refer-a-friend" })
          .ready.catch(function (e) { window.outcome = e.name + ' ' + e.code; });
      </script>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/bad-error-container');
    expect(await waitFor(() => t.page.evaluate(() => (window as unknown as { outcome?: string }).outcome), { message: 'ready to reject' })).toBe(
      'BuyapowaError invalid_config',
    );
    expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await waitFor(() => logs.some((l) => l.includes('[Buyapowa]')), { message: 'the worded line' });
    expect(logs.filter((l) => l.includes('[Buyapowa]')).map((l) => l.trimEnd())).toEqual([
      'error: [Buyapowa] embedReferAFriend: "errorContainer" expected an element on this page, or its id, received 42',
    ]);
  });
});

describe('issue 15: no false alarms', () => {
  it('asks only for permissions Chromium knows: no "Unrecognized feature" message', async () => {
    const logs = collectConsole(t.page);
    await t.page.goto(t.stack.merchantUrl + '/refer-a-friend');
    await fitsContent();
    const allow = await t.page.locator('#bp_div iframe').getAttribute('allow');
    const known = await t.page.evaluate(() => (document as unknown as { featurePolicy: { features(): string[] } }).featurePolicy.features());
    expect(allow!.split('; ').every((feature) => known.includes(feature))).toBe(true);
    expect(allow).toContain('clipboard-write');
    expect(logs.filter((l) => /Unrecognized feature/i.test(l))).toEqual([]);
  });

  it('no width warning for a full-width container at phone width, inside a padded page', async () => {
    const logs = collectConsole(t.page);
    await t.page.setViewportSize({ width: 390, height: 844 });
    t.stack.merchant.addPage(
      '/phone',
      `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
      <script src="${t.stack.platformUrl}/embedding.min.js"></script>
      <body style="margin: 0"><main style="padding: 24px"><div id="bp_div"></div></main>
      <script>new Buyapowa({url: "${t.stack.platformUrl}", market: "demo"}).embedReferAFriend({campaign: "refer-a-friend"});</script></body>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/phone');
    await fitsContent();
    expect(await t.page.locator('#bp_div').evaluate((el) => el.clientWidth)).toBe(342);
    expect(logs.filter((l) => l.includes('wide'))).toEqual([]);
  });
});
