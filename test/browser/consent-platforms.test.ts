// The consent platforms: the decision functions (src/core/consent-decisions.ts) and the adapters
// (src/browser/consent-platforms/) in jsdom. The real TCF CMP API, gtag and a Shopify storefront
// are driven in Chromium by test/chromium/consent-platforms.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { googleDecision, googleStep, shopifyDecision, tcfDecision, type GoogleConsent } from '../../src/core/consent-decisions';

// What gtag() pushes: its arguments object.
const args = (...list: unknown[]) =>
  (function (..._: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  })(...list);

describe('tcfDecision', () => {
  const tc = (over: object) => ({
    eventStatus: 'tcloaded',
    gdprApplies: true,
    publisher: { consents: { 1: true } },
    purpose: { consents: { 1: true } },
    vendor: { consents: { 42: true } },
    ...over,
  });
  it.each([
    ['publisher consent to Purpose 1', tc({}), undefined, 'granted'],
    ['after the visitor acted', tc({ eventStatus: 'useractioncomplete' }), undefined, 'granted'],
    ['no publisher consent', tc({ publisher: { consents: { 1: false, 2: true } } }), undefined, 'denied'],
    ['the UI is shown: no decision yet', tc({ eventStatus: 'cmpuishown' }), undefined, 'pending'],
    ['GDPR does not apply', tc({ gdprApplies: false, publisher: { consents: {} } }), undefined, 'implied'],
    ['vendor and purpose consent', tc({ publisher: { consents: {} } }), 42, 'granted'],
    ['vendor consent without the purpose', tc({ purpose: { consents: { 1: false } } }), 42, 'denied'],
    ['another vendor', tc({}), 7, 'denied'],
  ])('%s', (_name, data, vendor, expected) => expect(tcfDecision(data, vendor)).toBe(expected));

  it('names what is malformed', () => {
    expect(() => tcfDecision(null)).toThrow('TCData: expected an object, received null');
    expect(() => tcfDecision({ eventStatus: 'tcloaded', gdprApplies: true })).toThrow('TCData.publisher.consents: expected an object, received undefined');
    expect(() => tcfDecision({ eventStatus: 'tcloaded', vendor: { consents: 'x' } }, 3)).toThrow('TCData.vendor.consents: expected an object, received string');
  });
});

describe('googleStep and googleDecision', () => {
  const fold = (...entries: unknown[]) => googleDecision(entries.reduce<GoogleConsent>(googleStep, {}));
  it.each([
    ['nothing yet', [], 'pending'],
    ['a default denial is not a decision', [args('consent', 'default', { ad_storage: 'denied' })], 'pending'],
    ['a default grant is implied', [args('consent', 'default', { ad_storage: 'granted', analytics_storage: 'denied' })], 'implied'],
    [
      'a regional default makes the default grant uncertain',
      [args('consent', 'default', { ad_storage: 'granted' }), args('consent', 'default', { ad_storage: 'denied', region: ['FR'] })],
      'pending',
    ],
    ['an update grants', [args('consent', 'default', { ad_storage: 'denied' }), args('consent', 'update', { ad_storage: 'granted' })], 'granted'],
    ['a later update denies', [args('consent', 'update', { ad_storage: 'granted' }), args('consent', 'update', { ad_storage: 'denied' })], 'denied'],
    [
      'an update without ad_storage changes nothing',
      [args('consent', 'update', { ad_storage: 'granted' }), args('consent', 'update', { analytics_storage: 'denied' })],
      'granted',
    ],
    ['arrays and GTM events are not gtag commands', [['consent', 'update', { ad_storage: 'granted' }], { event: 'gtm.js' }, args('config', 'G-1')], 'pending'],
  ])('%s', (_name, entries, expected) => expect(fold(...(entries as unknown[]))).toBe(expected));

  it('names what is malformed', () => {
    expect(() => googleStep({}, args('consent', 'update', 'granted'))).toThrow("gtag('consent', 'update', params): expected an object, received string");
    expect(() => googleStep({}, args('consent', 'default', { ad_storage: true }))).toThrow(
      `gtag('consent', 'default').ad_storage: expected "granted" or "denied", received true`,
    );
  });
});

describe('shopifyDecision', () => {
  const api = (allowed: boolean, marketing: string) => ({ marketingAllowed: () => allowed, currentVisitorConsent: () => ({ marketing }) });
  it.each([
    ['the visitor accepted', api(true, 'yes'), false, 'granted'],
    ['no banner in this region', api(true, ''), false, 'implied'],
    ['the visitor declined', api(false, 'no'), false, 'denied'],
    ['not answered yet', api(false, ''), false, 'pending'],
    ['the sandbox booleans, allowed', { marketingAllowed: true, saleOfDataAllowed: false }, false, 'implied'],
    ['the sandbox booleans, not allowed', { marketingAllowed: false }, false, 'pending'],
    ['an event: allowed', { marketingAllowed: true }, true, 'granted'],
    ['an event: not allowed', { marketingAllowed: false }, true, 'denied'],
  ])('%s', (_name, privacy, collected, expected) => expect(shopifyDecision(privacy, collected)).toBe(expected));

  it('names what is malformed', () => {
    expect(() => shopifyDecision({})).toThrow('customerPrivacy.marketingAllowed: expected a function or a boolean, received undefined');
    expect(() => shopifyDecision(undefined)).toThrow('received undefined');
    expect(() => shopifyDecision({ marketingAllowed: () => 'yes' })).toThrow('received string');
  });
});

type Consent = typeof import('../../src/browser/consent');
type Win = Window & { __tcfapi?: unknown; dataLayer?: unknown; Shopify?: unknown };
const win = window as Win;

describe('the adapters', () => {
  let consent: Consent;
  let info: ReturnType<typeof vi.spyOn>;
  const debugLines = () => info.mock.calls.map((c: unknown[]) => String(c[0]));

  beforeEach(async () => {
    vi.resetModules();
    localStorage.clear();
    delete win.__tcfapi;
    delete win.dataLayer;
    delete win.Shopify;
    info = vi.spyOn(console, 'info').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    (await import('../../src/browser/log')).enableDebug(true);
    consent = await import('../../src/browser/consent');
  });
  afterEach(() => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true });
  });

  it('tcf: pending until the CMP decides, then follows each later decision; setConsent overrides', async () => {
    let callback: (data: unknown, ok: boolean) => void = () => {};
    win.__tcfapi = (command: string, version: number, cb: typeof callback) => {
      expect([command, version]).toEqual(['addEventListener', 2]);
      callback = cb;
    };
    const { followTcf } = await import('../../src/browser/consent-platforms/tcf');
    followTcf();
    expect(consent.getConsent()).toBe('pending');
    expect(debugLines()).toContain('[Buyapowa] consent (tcf): waiting for window.__tcfapi');
    callback({ eventStatus: 'cmpuishown', gdprApplies: true }, true);
    expect(consent.getConsent()).toBe('pending');
    callback({ eventStatus: 'useractioncomplete', gdprApplies: true, publisher: { consents: { 1: true } } }, true);
    expect(consent.getConsent()).toBe('granted');
    callback({ eventStatus: 'useractioncomplete', gdprApplies: true, publisher: { consents: {} } }, true);
    expect(consent.getConsent()).toBe('denied');
    consent.setConsent('granted');
    callback({ eventStatus: 'useractioncomplete', gdprApplies: true, publisher: { consents: {} } }, true);
    expect(consent.getConsent()).toBe('granted');
  });

  it('tcf: finds a CMP that arrives later', async () => {
    vi.useFakeTimers();
    try {
      const { followTcf } = await import('../../src/browser/consent-platforms/tcf');
      followTcf({ tcfVendorId: 42 });
      vi.advanceTimersByTime(1000);
      win.__tcfapi = (_c: string, _v: number, cb: (d: unknown, ok: boolean) => void) =>
        cb(
          { eventStatus: 'tcloaded', gdprApplies: true, publisher: { consents: {} }, purpose: { consents: { 1: true } }, vendor: { consents: { 42: true } } },
          true,
        );
      expect(consent.getConsent()).toBe('pending');
      vi.advanceTimersByTime(1000);
      expect(consent.getConsent()).toBe('granted');
    } finally {
      vi.useRealTimers();
    }
  });

  it('bad input is one debug line, stays pending and never throws', async () => {
    win.__tcfapi = () => {
      throw new Error('CMP broke');
    };
    win.dataLayer = [args('consent', 'update', 'granted')];
    win.Shopify = { customerPrivacy: {} };
    const [{ followTcf }, { followGoogleConsent }, { followShopifyPrivacy }] = await Promise.all([
      import('../../src/browser/consent-platforms/tcf'),
      import('../../src/browser/consent-platforms/google'),
      import('../../src/browser/consent-platforms/shopify'),
    ]);
    expect(() => followTcf()).not.toThrow();
    expect(() => followGoogleConsent()).not.toThrow();
    expect(() => followShopifyPrivacy()).not.toThrow();
    expect(consent.getConsent()).toBe('pending');
    const lines = debugLines();
    expect(lines).toContain('[Buyapowa] consent (tcf): __tcfapi threw: CMP broke');
    expect(lines).toContain("[Buyapowa] consent (google): ignored: gtag('consent', 'update', params): expected an object, received string");
    expect(lines).toContain('[Buyapowa] consent (shopify): ignored: customerPrivacy.marketingAllowed: expected a function or a boolean, received undefined');
  });

  it('google: reads what was pushed before and after, through the push it found', async () => {
    const pushed: unknown[] = [];
    const layer: unknown[] = [args('consent', 'default', { ad_storage: 'denied' })];
    // Another wrapper already in place (GTM's), which must keep working.
    const original = layer.push;
    layer.push = function (...items: unknown[]) {
      pushed.push(...items);
      return original.apply(this, items);
    };
    win.dataLayer = layer;
    const { followGoogleConsent } = await import('../../src/browser/consent-platforms/google');
    followGoogleConsent();
    expect(consent.getConsent()).toBe('pending');
    function gtag(..._a: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      (win.dataLayer as unknown[]).push(arguments);
    }
    gtag('consent', 'update', { ad_storage: 'granted' });
    expect(consent.getConsent()).toBe('granted');
    expect(pushed).toHaveLength(1);
    expect(layer).toHaveLength(2);
    expect((win.dataLayer as unknown[]).push({ event: 'x' })).toBe(3);
    gtag('consent', 'update', { ad_storage: 'denied' });
    expect(consent.getConsent()).toBe('denied');
  });

  it('google: Global Privacy Control keeps an implied grant pending, unless turned off', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    win.dataLayer = [args('consent', 'default', { ad_storage: 'granted' })];
    const { followGoogleConsent } = await import('../../src/browser/consent-platforms/google');
    followGoogleConsent();
    expect(consent.getConsent()).toBe('pending');
    expect(debugLines()).toContain('[Buyapowa] consent (google): implied, but Global Privacy Control is on: "pending"');
    (win.dataLayer as unknown[]).push(args('consent', 'update', { ad_storage: 'granted' }));
    expect(consent.getConsent()).toBe('granted');

    vi.resetModules();
    consent = await import('../../src/browser/consent');
    win.dataLayer = [args('consent', 'default', { ad_storage: 'granted' })];
    (await import('../../src/browser/consent-platforms/google')).followGoogleConsent({ honorGlobalPrivacyControl: false });
    expect(consent.getConsent()).toBe('granted');
  });

  it('shopify: loads the API when the theme has not, then follows visitorConsentCollected', async () => {
    let answer = { marketing: '', allowed: false };
    const loadFeatures = vi.fn((features: unknown, done: (error?: unknown) => void) => {
      (win.Shopify as Record<string, unknown>).customerPrivacy = {
        marketingAllowed: () => answer.allowed,
        currentVisitorConsent: () => ({ marketing: answer.marketing }),
      };
      done();
    });
    win.Shopify = { loadFeatures };
    const { followShopifyPrivacy } = await import('../../src/browser/consent-platforms/shopify');
    followShopifyPrivacy();
    expect(loadFeatures.mock.calls[0][0]).toEqual([{ name: 'consent-tracking-api', version: '0.1' }]);
    expect(consent.getConsent()).toBe('pending');
    answer = { marketing: 'yes', allowed: true };
    document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { marketingAllowed: true } }));
    expect(consent.getConsent()).toBe('granted');
    answer = { marketing: 'no', allowed: false };
    document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { marketingAllowed: false } }));
    expect(consent.getConsent()).toBe('denied');
  });

  it('setConsent (and so the consent option) takes a platform once its adapter is known; a state overrides it', async () => {
    const adapter = vi.fn();
    expect(() => consent.setConsent('google')).toThrow('"consent" expected "granted", "pending" or "denied", received "google"');
    expect(consent.getConsent()).toBe('granted');
    win.dataLayer = [args('consent', 'update', { ad_storage: 'denied' })];
    (await import('../../src/browser/consent-platforms/google')).followGoogleConsent();
    expect(consent.getConsent()).toBe('denied');
    consent.setConsent('denied');
    (win.dataLayer as unknown[]).push(args('consent', 'update', { ad_storage: 'granted' }));
    expect(consent.getConsent()).toBe('denied'); // overridden, even by the same state
    consent.setConsent('google');
    expect(consent.getConsent()).toBe('granted'); // its last decision
    expect(() => consent.setConsent('tcf')).toThrow('received "tcf"');

    consent.setConsent('granted');
    const { takeOver } = await import('../../src/browser/consent-platforms/follow');
    (await import('../../src/browser/consent-platforms/hook')).setPlatformLoader(() => ({ tcf: adapter, google: adapter, shopify: adapter, takeOver }), {
      tcfVendorId: '9',
    });
    consent.setConsent('tcf');
    consent.setConsent('tcf');
    expect(consent.getConsent()).toBe('pending');
    await vi.waitFor(() => expect(adapter).toHaveBeenCalledTimes(1));
    expect(adapter.mock.calls[0][0]).toEqual({ tcfVendorId: 9, honorGlobalPrivacyControl: true });
    adapter.mock.calls[0][1]('granted');
    expect(consent.getConsent()).toBe('granted');
    expect(() => consent.setConsent('iab' as never)).toThrow('"consent" expected "granted", "pending" or "denied", received "iab"');
  });

  it('a wrong tcfVendorId is refused, naming it', async () => {
    const { followTcf } = await import('../../src/browser/consent-platforms/tcf');
    expect(() => followTcf({ tcfVendorId: -1 })).toThrow('"tcfVendorId" expected a vendor id, a whole number above 0, received -1');
  });
});
