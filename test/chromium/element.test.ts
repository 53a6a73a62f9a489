// <buyapowa-refer-a-friend> in Chromium against the dev platform, from its script-tag build
// (dist/element.min.js) loaded beside dist/embedding.min.js: added in the HTML, its attributes
// changed, seamless login set through the `login` property, removed and added back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signFields } from '../../src/server';
import { collectConsole, collectRequests, useStack, waitFor } from './harness';

const t = useStack();
const SECRET: string = JSON.parse(readFileSync(new URL('../../examples/platform/markets.json', import.meta.url), 'utf8')).demo.secret;

/** A merchant page with both scripts and one element; its `ready` and `error` events go to window.events. */
async function openPage() {
  const { platformUrl, market } = t.stack;
  t.stack.merchant.addPage(
    '/element',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Element</title>
<script src="${platformUrl}/sdk/embedding.min.js"></script>
<script src="${platformUrl}/sdk/element.min.js"></script>
</head><body><main>
<buyapowa-refer-a-friend id="raf" url="${platformUrl}" market="${market}" campaign="refer-a-friend" locale="en">
<p data-error hidden>Sorry, something went wrong</p>
</buyapowa-refer-a-friend>
</main>
<script>
window.events = [];
const element = document.getElementById('raf');
element.addEventListener('ready', (event) => events.push('ready:' + event.detail.campaign));
element.addEventListener('error', (event) => events.push('error:' + event.detail.code));
</script>
</body></html>`,
  );
  await t.page.goto(t.stack.merchantUrl + '/element');
}

const events = () => t.page.evaluate(() => (window as unknown as { events: string[] }).events.slice());
const eventCount = (n: number) => waitFor(async () => (await events()).length >= n, { message: `${n} element events` });
const iframes = () => t.page.locator('#raf iframe').count();
const campaignText = () => t.page.frameLocator('#raf iframe').locator('body').innerText();

describe('<buyapowa-refer-a-friend> in Chromium', () => {
  it('embeds the campaign when parsed, embeds again on an attribute change, and is gone when removed', async () => {
    const logs = collectConsole(t.page);
    await openPage();
    await eventCount(1);
    expect(await events()).toEqual(['ready:refer-a-friend']);
    expect(await iframes()).toBe(1);
    expect(await campaignText()).toMatch(/Give £10, get £10/);
    expect(await t.page.locator('[data-error]').isVisible()).toBe(false);

    await t.page.locator('#raf').evaluate((element) => element.setAttribute('locale', 'fr'));
    await eventCount(2);
    expect(await iframes()).toBe(1);
    expect(await campaignText()).toMatch(/Offrez 10 £/);

    // Removed: no iframe anywhere. Added back: embedded again.
    await t.page.evaluate(() => {
      const element = document.getElementById('raf')!;
      Object.assign(window, { kept: element });
      element.remove();
    });
    expect(await t.page.locator('iframe').count()).toBe(0);
    await t.page.evaluate(() => document.querySelector('main')!.append((window as unknown as { kept: Element }).kept));
    await waitFor(async () => (await iframes()) === 1, { message: 'the element added back embeds again' });
    await eventCount(3);
    // A new element, its attributes set as properties (as frameworks do) before it is added.
    await t.page.evaluate(
      ({ url, market }) => {
        document.getElementById('raf')!.remove();
        const element = document.createElement('buyapowa-refer-a-friend');
        Object.assign(element, { id: 'raf', url, market, campaign: 'refer-a-friend' });
        document.querySelector('main')!.append(element);
      },
      { url: t.stack.platformUrl, market: t.stack.market },
    );
    await waitFor(async () => (await iframes()) === 1, { message: 'the new element embeds' });
    await expect(campaignText()).resolves.toMatch(/Give £10, get £10/);
    expect(logs.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
  });

  it('signs the customer in with the login property, keeping name and email out of the DOM and of every URL', async () => {
    const requests = collectRequests(t.page);
    await openPage();
    await eventCount(1);
    const login = signFields({ auto: true, name: 'John Doe', email: 'john@doe.com' }, ['name', 'email'], SECRET);
    await t.page.locator('#raf').evaluate((element, value) => Object.assign(element, { login: value }), login);
    await t.page.frameLocator('#raf iframe').getByText('John Doe').first().waitFor();
    expect(await iframes()).toBe(1);
    await t.stack.waitForState((state) => state.logins.find((entry) => entry.email === 'john@doe.com' && entry.status === 'signed_in'));
    expect(await t.page.content()).not.toMatch(/john/i);
    for (const url of requests.urls) expect(decodeURIComponent(url)).not.toMatch(/john|doe\.com/i);
  });

  it('shows its [data-error] child and tells `error` when the campaign does not exist', async () => {
    await openPage();
    await eventCount(1);
    await t.page.locator('#raf').evaluate((element) => element.setAttribute('campaign', 'nope'));
    await eventCount(2);
    expect((await events())[1]).toBe('error:campaign_not_found');
    expect(await iframes()).toBe(0);
    expect(await t.page.locator('[data-error]').isVisible()).toBe(true);
  });
});
