// Existing integrations construct the SDK with the platform URL alone:
// `new Buyapowa("https://{market}.co-buying.com/")`. In real Chromium, the host name
// demo.co-buying.com resolves (--host-resolver-rules) to a local HTTPS front (a throwaway
// self-signed certificate, --ignore-certificate-errors) that forwards to the dev platform, so the
// snippets run verbatim, https and default port included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectConsole, launchChromium, startStack, waitFor, type Stack } from './harness';

let stack: Stack;
let front: https.Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let certificates: string;

/** A self-signed certificate for *.co-buying.com and *.co-buying.net, made for this run. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=co-buying.com',
      '-addext',
      'subjectAltName=DNS:*.co-buying.com,DNS:*.co-buying.net',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

beforeAll(async () => {
  certificates = mkdtempSync(join(tmpdir(), 'bp-co-buying-'));
  stack = await startStack();
  // HTTPS in front of the dev platform; the platform sees https://demo.co-buying.com as its origin.
  front = https.createServer(selfSigned(certificates), (req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: stack.platform.port, path: req.url, method: req.method, headers: { ...req.headers, 'x-forwarded-proto': 'https' } },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  browser = await launchChromium([
    '--ignore-certificate-errors',
    `--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP *.co-buying.com 127.0.0.1:${port}, MAP *.co-buying.net 127.0.0.1:${port}`,
  ]);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
  await stack?.close();
  rmSync(certificates, { recursive: true, force: true });
});
beforeEach(async () => {
  await stack.reset();
  context = await browser.newContext();
  page = await context.newPage();
});
afterEach(() => context.close());

/** A merchant page with the guide's containers, the script tag, then `script`. */
function addPage(path: string, script: string) {
  stack.merchant.addPage(
    path,
    `<!doctype html><html><head><script src="${stack.platformUrl}/embedding.min.js"></script></head><body>
    <div id="bp_error" style="display: none;">Sorry, something went wrong</div>
    <div id="bp_div"></div>
    <script type="text/javascript">${script}</script>
    </body></html>`,
  );
}

describe('new Buyapowa(url): the platform URL alone', () => {
  it.each([
    ['new Buyapowa("https://demo.co-buying.com/")', '#bp_div'],
    ['new Buyapowa("https://demo.co-buying.com", "bp_div", "bp_error")', '#bp_div'],
  ])('%s embeds the campaign of market demo from demo.co-buying.com', async (constructor, container) => {
    const logs = collectConsole(page);
    addPage(
      '/legacy',
      `var buyapowa = ${constructor};
      window.embed = buyapowa.embedReferAFriend({
        "campaign": "refer-a-friend",
        "locale": "en"
      });`,
    );
    await page.goto(stack.merchantUrl + '/legacy');
    const frame = page.frameLocator(`${container} iframe`);
    await frame.locator('body').waitFor();
    const src = await page.locator(`${container} iframe`).getAttribute('src');
    expect(new URL(src!).origin).toBe('https://demo.co-buying.com');
    // The campaign, on https://demo.co-buying.com, answered the handshake; the error container stays hidden.
    const handshake = await page.evaluate(() =>
      (window as unknown as { embed: { ready: Promise<{ handshake: boolean }> } }).embed.ready.then((r) => r.handshake),
    );
    expect(handshake).toBe(true);
    await frame.getByText('Give £10, get £10').first().waitFor();
    expect(await page.locator('#bp_error').isVisible()).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { buyapowa: { config: { market: string } } }).buyapowa.config.market)).toBe('demo');
    expect(logs.filter((l) => /^(error|pageerror)/.test(l))).toEqual([]);
  });

  it('tracks to the market of the URL, on its domain', async () => {
    addPage('/legacy-track', `window.result = new Buyapowa("https://demo.co-buying.com/").track({ customer_email: "jane@smith.com", order_number: "URL1" });`);
    await page.goto(stack.merchantUrl + '/legacy-track');
    expect(await page.evaluate(() => (window as unknown as { result: Promise<{ status: string }> }).result.then((r) => r.status))).toBe('delivered');
    const conversion = await stack.waitForState((s) => s.conversions.find((c) => c.fields.order_number === 'URL1'));
    expect(conversion.market).toBe('demo');
  });

  it('any other URL: one [Buyapowa] line naming market, nothing thrown into the page', async () => {
    const logs = collectConsole(page);
    addPage('/legacy-wrong', `var buyapowa = new Buyapowa("https://bp.shop.test/", "bp_div", "bp_error"); window.after = true;`);
    await page.goto(stack.merchantUrl + '/legacy-wrong');
    expect(await page.evaluate(() => (window as unknown as { after: boolean }).after)).toBe(true);
    // The loader's problem is logged once the explain chunk has worded it in full.
    await waitFor(() => logs.some((l) => l.startsWith('error: [Buyapowa]')), { message: 'the [Buyapowa] line' });
    expect(logs.filter((l) => /^(error|pageerror)/.test(l)).map((l) => l.trim())).toEqual([
      'error: [Buyapowa] new Buyapowa: "market" expected a URL like "https://{market}.co-buying.com" (or .net), or a config like { url, market }, received "https://bp.shop.test/"',
    ]);
  });
});
