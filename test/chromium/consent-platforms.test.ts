// The consent platforms in Chromium, through the script tag (data-consent="tcf" | "google" |
// "shopify"): the IAB's CMP API with real TC strings, Google's documented gtag snippet, and
// Shopify's Customer Privacy API emulated as its documentation describes. For each: nothing of
// ours is stored or sent before the decision, a grant stores the landing's referral without a
// reload (and tells the platform once), a denial stores nothing and deletes what was stored.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectConsole, collectRequests, waitFor, useStack, type RequestLog } from './harness';

const t = useStack();
let cmpScript: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./consent/tcf-cmp.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    logLevel: 'silent',
  });
  cmpScript = bundle.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
});

const referralCookies = async () => (await t.context.cookies()).filter((c) => c.name === 'bp_ref');
const sdkKeys = () => t.page.evaluate(() => Object.keys(localStorage).filter((k) => /^bp_/.test(k)));
const consentNow = () => t.page.evaluate(() => (window as unknown as { Buyapowa: { getConsent(): string } }).Buyapowa.getConsent());
const run = (code: string) => t.page.evaluate(code);

/** Google's documented gtag snippet, with a consent default. */
const GTAG = `<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>`;

interface Landing {
  token: string;
  logs: string[];
  requests: RequestLog;
}

/** Serves a page with `head` before the script tag and `tail` after it, and lands on it with a referral token. */
async function land(name: string, sdk: string, head = '', tail = ''): Promise<Landing> {
  const token = name.toUpperCase() + '-TOKEN';
  const { platformUrl } = t.stack;
  t.stack.merchant.addPage(
    '/' + name,
    `<!doctype html><html><head>${head}
    <script src="${platformUrl}/embedding.min.js" ${sdk} data-url="${platformUrl}" data-market="demo" data-debug="true"></script>${tail}
    </head><body><p>Cookie banner here</p></body></html>`,
  );
  const logs = collectConsole(t.page);
  const requests = collectRequests(t.page);
  await t.page.goto(`${t.stack.merchantUrl}/${name}?bp_e=${token}`);
  return { token, logs, requests };
}

/** Waits for a `[Buyapowa]` debug line that contains `text`. */
const debugLine = (landing: Landing, text: string) => waitFor(() => landing.logs.find((l) => l.includes(text)), { message: `the debug line "${text}"` });

/** Nothing of ours on the device, and no request of ours carried the referral token. */
async function nothingStored({ token, requests }: Landing) {
  expect(await referralCookies()).toEqual([]);
  expect(await sdkKeys()).toEqual([]);
  const carrying = requests.requests.filter((r) => !r.isNavigationRequest() && (r.url().includes(token) || (r.postData() || '').includes(token)));
  expect(carrying.map((r) => r.url())).toEqual([]);
  expect((await t.stack.state()).clicks).toEqual([]);
}

/** The landing's referral is in the cookie and the mirror, and the platform heard of it once. */
async function stored({ token }: Landing) {
  await waitFor(async () => (await referralCookies()).length === 1, { message: 'the bp_ref cookie' });
  expect(decodeURIComponent((await referralCookies())[0].value)).toContain(token);
  expect(await t.page.evaluate(() => localStorage.getItem('bp_ref'))).toContain(token);
  const clicks = await t.stack.waitForState((s) => s.clicks.length && s.clicks);
  expect(clicks.map((c) => c.tokens)).toEqual([{ bp_e: token }]);
}

/** Deleted: no cookie, nothing in localStorage. */
async function deleted() {
  await waitFor(async () => (await referralCookies()).length === 0, { message: 'the bp_ref cookie to go' });
  expect(await sdkKeys()).toEqual([]);
}

describe('the consent chunk', () => {
  it('is fetched only when a platform is named', async () => {
    const plain = await land('no-platform', 'data-consent="pending"');
    await t.page.waitForLoadState('networkidle');
    expect(plain.requests.urls.filter((u) => /\/chunks\/consent\./.test(u))).toEqual([]);
    const named = await land('named-platform', 'data-consent="google"', GTAG);
    await debugLine(named, 'consent (google): waiting for');
    expect(named.requests.urls.filter((u) => /\/chunks\/consent\./.test(u))).toHaveLength(1);
  });
});

describe('data-consent="tcf" (IAB TCF v2.2, @iabtechlabtcf/cmpapi)', () => {
  it("is pending while the banner shows, grants on the vendor's consent, and deletes on withdrawal", async () => {
    const landing = await land('tcf-grant', 'data-consent="tcf" data-tcf-vendor-id="42"', `<script>${cmpScript}</script><script>testCmp.showBanner()</script>`);
    await nothingStored(landing);
    expect(await consentNow()).toBe('pending');
    await debugLine(landing, 'consent (tcf): waiting for window.__tcfapi');

    await run('testCmp.decide({ vendor: true, purpose: true })');
    await stored(landing);
    expect(await consentNow()).toBe('granted');
    // The same answer again (the CMP re-reads its cookie): the landing is not told twice.
    await run('testCmp.decide({ vendor: true, purpose: true })');
    await t.page.waitForLoadState('networkidle');
    expect((await t.stack.state()).clicks).toHaveLength(1);

    await run('testCmp.decide({ purpose: true })');
    await deleted();
    expect(await consentNow()).toBe('denied');
  });

  it('finds a CMP that loads after the SDK; a denial stores nothing', async () => {
    const landing = await land('tcf-late', 'data-consent="tcf"');
    await nothingStored(landing);
    expect(await consentNow()).toBe('pending');
    await debugLine(landing, 'consent (tcf): waiting for window.__tcfapi');

    await t.page.addScriptTag({ content: cmpScript });
    await run('testCmp.decide({ publisher: false })');
    await debugLine(landing, 'consent (tcf): denied');
    expect(await consentNow()).toBe('denied');
    await nothingStored(landing);
  });

  it("grants on the publisher's Purpose 1 consent from a CMP that loads later", async () => {
    const landing = await land('tcf-publisher', 'data-consent="tcf"');
    await nothingStored(landing);
    await debugLine(landing, 'consent (tcf): waiting for window.__tcfapi');
    await t.page.addScriptTag({ content: cmpScript });
    await run('testCmp.decide({ publisher: true })');
    await stored(landing);
  });
});

describe('data-consent="google" (Google consent mode v2, gtag)', () => {
  it('is pending under a default denial, grants on update, and deletes on a later denial', async () => {
    const landing = await land(
      'google-grant',
      'data-consent="google"',
      `${GTAG}<script>gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied' }); gtag('js', new Date());</script>`,
    );
    await nothingStored(landing);
    expect(await consentNow()).toBe('pending');
    await debugLine(landing, "consent (google): waiting for gtag('consent', …) in window.dataLayer");

    await run("gtag('consent', 'update', { ad_storage: 'granted', analytics_storage: 'granted' })");
    await stored(landing);
    expect(await run('dataLayer.length')).toBe(3); // dataLayer.push still pushes

    await run("gtag('consent', 'update', { ad_storage: 'denied' })");
    await deleted();
  });

  it('follows a gtag defined after the SDK; a denial stores nothing', async () => {
    const landing = await land('google-deny', 'data-consent="google"', '', GTAG);
    await nothingStored(landing);
    await debugLine(landing, 'consent (google): waiting for');
    await run("gtag('consent', 'update', { ad_storage: 'denied' })");
    await debugLine(landing, 'consent (google): denied');
    expect(await consentNow()).toBe('denied');
    await nothingStored(landing);
  });

  it('under Global Privacy Control, a default grant stays pending until the visitor grants', async () => {
    await t.context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    const landing = await land('google-gpc', 'data-consent="google"', `${GTAG}<script>gtag('consent', 'default', { ad_storage: 'granted' });</script>`);
    await nothingStored(landing);
    await debugLine(landing, 'Global Privacy Control is on');
    expect(await consentNow()).toBe('pending');
    await nothingStored(landing);
    await run("gtag('consent', 'update', { ad_storage: 'granted' })");
    await stored(landing);
  });
});

/**
 * Shopify's Customer Privacy API as its documentation describes it: loaded by
 * `Shopify.loadFeatures`, answering `marketingAllowed()` and `currentVisitorConsent()`, and
 * dispatching `visitorConsentCollected` on document when `setTrackingConsent` records a choice.
 */
const SHOPIFY = `<script>
  window.Shopify = {
    loadFeatures: function (features, callback) {
      var consent = {};
      var yesNo = function (v) { return v === true ? 'yes' : v === false ? 'no' : ''; };
      setTimeout(function () {
        window.Shopify.customerPrivacy = {
          marketingAllowed: function () { return consent.marketing === true; },
          currentVisitorConsent: function () { return { marketing: yesNo(consent.marketing), analytics: yesNo(consent.analytics), preferences: yesNo(consent.preferences), sale_of_data: '' }; },
          setTrackingConsent: function (given, done) {
            consent = given;
            document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { marketingAllowed: given.marketing === true, analyticsAllowed: given.analytics === true, preferencesAllowed: given.preferences === true, saleOfDataAllowed: true } }));
            done && done();
          }
        };
        window.loadedFeatures = features;
        callback();
      }, 0);
    }
  };
</script>`;

describe('data-consent="shopify" (Customer Privacy API)', () => {
  it('loads the API, is pending until the banner is answered, grants on marketing, and deletes on withdrawal', async () => {
    const landing = await land('shopify-grant', 'data-consent="shopify"', SHOPIFY);
    await nothingStored(landing);
    await waitFor(() => run('window.loadedFeatures'), { message: 'loadFeatures' });
    expect(await run('window.loadedFeatures')).toEqual([{ name: 'consent-tracking-api', version: '0.1' }]);
    await debugLine(landing, 'consent (shopify): waiting for window.Shopify.customerPrivacy');
    expect(await consentNow()).toBe('pending');
    await nothingStored(landing);

    await run('Shopify.customerPrivacy.setTrackingConsent({ marketing: true, analytics: true, preferences: true })');
    await stored(landing);
    await run('Shopify.customerPrivacy.setTrackingConsent({ marketing: false, analytics: true, preferences: true })');
    await deleted();
    expect(await consentNow()).toBe('denied');
  });

  it('a declined banner stores nothing', async () => {
    const landing = await land('shopify-deny', 'data-consent="shopify"', SHOPIFY);
    await nothingStored(landing);
    await waitFor(() => run('window.Shopify.customerPrivacy'), { message: 'the Customer Privacy API' });
    await run('Shopify.customerPrivacy.setTrackingConsent({ marketing: false, analytics: false, preferences: false })');
    await debugLine(landing, 'consent (shopify): denied');
    await nothingStored(landing);
  });
});
