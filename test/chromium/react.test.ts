// buyapowa-sdk/react in Chromium against the dev platform: a React app (React's development
// build, under StrictMode, bundled by esbuild from test/react/chromium-app.tsx against the built
// dist/react.js) mounts, unmounts and mounts again the campaign: one iframe that answers the
// handshake, none after unmount, one again after remount.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuyapowaProviderConfig, ReferAFriendProps } from '../../src/react';
import { collectConsole, collectRequests, useStack, waitFor } from './harness';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const t = useStack();
let app: string;

beforeAll(async () => {
  const result = await build({
    entryPoints: [join(ROOT, 'test/react/chromium-app.tsx')],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    // React's development build: StrictMode runs every effect twice on mount.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'built-sdk',
        setup(b) {
          b.onResolve({ filter: /\/src\/react$/ }, () => ({ path: join(ROOT, 'dist/react.js') }));
        },
      },
    ],
  });
  // Inline in the page: "</script" inside the bundle would end the script element.
  app = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
});

/** The app's page on the merchant site. */
async function openApp() {
  t.stack.merchant.addPage(
    '/react-app',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>React app</title></head><body><main><div id="root"></div></main><script type="module">${app}</script></body></html>`,
  );
  await t.page.goto(t.stack.merchantUrl + '/react-app');
  await t.page.waitForFunction(() => 'reactApp' in window);
}

const config = (): BuyapowaProviderConfig => ({ url: t.stack.platformUrl, market: t.stack.market });
const render = (props: ReferAFriendProps) => t.page.evaluate(([c, p]) => window.reactApp.render(c, p), [config(), props] as const);
const events = () => t.page.evaluate(() => window.reactApp.events.slice());
const iframes = () => t.page.locator('#root iframe').count();
/** Waits until the component has reported `n` events in all. */
const eventCount = (n: number) => waitFor(async () => (await events()).length >= n, { message: `${n} component events` });

describe('<ReferAFriend> under StrictMode in Chromium', () => {
  it('mount, unmount, remount: one live campaign iframe, none after unmount, one after remount', async () => {
    const logs = collectConsole(t.page);
    await openApp();

    await render({ campaign: 'refer-a-friend', locale: 'fr', className: 'raf' });
    await eventCount(1);
    expect(await events()).toEqual(['ready']);
    expect(await iframes()).toBe(1);
    const frame = t.page.frameLocator('#root .raf iframe');
    await expect(frame.locator('body').innerText()).resolves.toMatch(/Offrez 10 £/);

    await t.page.evaluate(() => window.reactApp.unmount());
    expect(await iframes()).toBe(0);

    await render({ campaign: 'refer-a-friend', className: 'raf' });
    await eventCount(2);
    expect(await events()).toEqual(['ready', 'ready']);
    expect(await iframes()).toBe(1);
    await expect(frame.locator('body').innerText()).resolves.toMatch(/Give £10, get £10/);
    expect(logs.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
  });

  it('re-renders with an equal login literal without embedding again, and embeds again for a new campaign', async () => {
    await openApp();
    const requests = collectRequests(t.page);
    const login = { name: 'Jane Smith', email: 'jane@smith.com', signed_keys: 'name, email', signature: 'not-checked' };
    await render({ campaign: 'refer-a-friend', login });
    await eventCount(1);
    const campaignLoads = () => requests.urls.filter((url) => /\/iaf\/[\w-]+\?/.test(url)).length;
    const loaded = campaignLoads();
    // The live iframe, marked: a new embed would be a new element.
    await t.page.locator('#root iframe').evaluate((frame) => Object.assign(frame, { marked: true }));
    for (let i = 0; i < 2; i++) {
      const commits = await t.page.evaluate(() => window.reactApp.commits);
      await render({ campaign: 'refer-a-friend', login: { ...login } });
      await waitFor(() => t.page.evaluate((before) => window.reactApp.commits > before, commits), { message: 'a commit' });
    }
    expect(await t.page.locator('#root iframe').evaluate((frame) => 'marked' in frame)).toBe(true);
    expect(campaignLoads()).toBe(loaded);
    await render({ campaign: 'nope', login });
    await eventCount(2);
    expect((await events())[1]).toBe('error:campaign_not_found');
    expect(await iframes()).toBe(0);
    for (const url of requests.urls) expect(decodeURIComponent(url)).not.toMatch(/jane|smith\.com|not-checked/i);
  });
});
