import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registrableDomain } from '../../src/browser/cookie-domain';
import { config, freshSdk } from '../helpers';

const LANDING = '/landing?bp_e=c%2FwMvX%2BhE%3D&bp_l=false&utm_source=mail#top';
const stored = () => JSON.parse(localStorage.getItem('bp_ref') || 'null');
const cookie = () => {
  const match = document.cookie.match(/(?:^|; )bp_ref=([^;]*)/);
  return match && JSON.parse(decodeURIComponent(match[1]));
};

beforeEach(() => {
  history.replaceState(null, '', LANDING);
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.useRealTimers());

describe('captureReferral', () => {
  it('stores the raw token and the capture time in the cookie and its mirror', async () => {
    const { sdk } = await freshSdk();
    const before = Date.now();
    const referral = sdk.captureReferral();
    expect(referral).toMatchObject({ v: 1, t: { bp_e: 'c/wMvX+hE=' } });
    expect(referral!.at).toBeGreaterThanOrEqual(before);
    expect(referral!.exp - referral!.at).toBe(30 * 864e5);
    expect(cookie()).toEqual(referral);
    expect(stored()).toEqual(referral);
  });

  it('sets the cookie on the registrable domain, so every subdomain sees it', async () => {
    await freshSdk();
    expect(registrableDomain('www.shop.com')).toBe('shop.com');
  });

  it('replaces a host-only copy an earlier page left, so one bp_ref remains', async () => {
    const { sdk } = await freshSdk();
    document.cookie = 'bp_ref=' + encodeURIComponent(JSON.stringify({ v: 1, t: { bp_e: 'old' }, at: 1, exp: Date.now() + 1e6 })) + ';path=/';
    sdk.captureReferral();
    expect(document.cookie.match(/bp_ref=/g)).toHaveLength(1);
    expect(cookie().t).toEqual({ bp_e: 'c/wMvX+hE=' });
  });

  it('does nothing when the page has no referral parameter', async () => {
    history.replaceState(null, '', '/');
    const { sdk } = await freshSdk();
    expect(sdk.captureReferral()).toBeNull();
    expect(document.cookie).toBe('');
  });

  it('reads a configurable list of parameters', async () => {
    history.replaceState(null, '', '/?ref=ABC&bp_e=x');
    const { sdk } = await freshSdk();
    expect(sdk.captureReferral({ referralParams: ['ref'] })!.t).toEqual({ ref: 'ABC' });
  });

  it('uses the last click by default', async () => {
    const { sdk } = await freshSdk();
    sdk.captureReferral();
    history.replaceState(null, '', '/?bp_e=second');
    expect(sdk.captureReferral()!.t).toEqual({ bp_e: 'second' });
    expect(cookie().t).toEqual({ bp_e: 'second' });
  });

  it('keeps the first click when asked to', async () => {
    const { sdk } = await freshSdk();
    const first = sdk.captureReferral({ attribution: 'first' });
    history.replaceState(null, '', '/?bp_e=second');
    expect(sdk.captureReferral({ attribution: 'first' })).toEqual(first);
  });

  it('forgets a referral after the attribution window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { sdk } = await freshSdk();
    sdk.captureReferral({ attributionDays: 2 });
    history.replaceState(null, '', '/');
    vi.setSystemTime(Date.now() + 1.9 * 864e5);
    expect(sdk.getReferral()).not.toBeNull();
    vi.setSystemTime(Date.now() + 0.2 * 864e5);
    expect(sdk.getReferral()).toBeNull();
  });

  it('reports an option given wrong, naming it, and uses its default instead', async () => {
    const { sdk } = await freshSdk();
    const referral = sdk.captureReferral({ attribution: 'middle' as never, attributionDays: -3, referralParams: 'bp_e' as never });
    expect(referral).toMatchObject({ t: { bp_e: 'c/wMvX+hE=' } });
    expect(referral!.exp - referral!.at).toBe(30 * 864e5);
    const lines = vi.mocked(console.error).mock.calls.map((call) => call[0]);
    expect(lines).toEqual([
      '[Buyapowa] captureReferral: "attribution" expected "last" or "first", received "middle"',
      '[Buyapowa] captureReferral: "attributionDays" expected days above 0, received -3',
      '[Buyapowa] captureReferral: "referralParams" expected a list of parameter names, received "bp_e"',
    ]);
  });

  it('keeps tokens too long for the cookie in the localStorage mirror only', async () => {
    const long = 'x'.repeat(4000);
    history.replaceState(null, '', `/?bp_e=short&ref=${long}`);
    const { sdk } = await freshSdk();
    sdk.captureReferral({ referralParams: ['bp_e', 'ref'] });
    expect(cookie().t).toEqual({ bp_e: 'short' });
    expect(document.cookie.length).toBeLessThan(3e3);
    expect(stored().t).toEqual({ bp_e: 'short', ref: long });
    expect(sdk.getReferral()!.t.ref).toBe(long);
  });

  it('never stores bp_p, which is plain personal data', async () => {
    history.replaceState(null, '', '/?bp_e=tok&bp_p=%7B%22email%22%3A%22jo%40x.com%22%7D');
    const { sdk } = await freshSdk();
    expect(sdk.captureReferral()!.t).toEqual({ bp_e: 'tok' });
    expect(document.cookie + JSON.stringify(localStorage)).not.toContain('jo');
  });

  it('stores nothing while consent is pending, and writes it on grant', async () => {
    const { sdk } = await freshSdk();
    sdk.captureReferral({ consent: 'pending' });
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect(sdk.getReferral()!.t.bp_e).toBe('c/wMvX+hE=');
    sdk.setConsent('granted');
    expect(cookie().t.bp_e).toBe('c/wMvX+hE=');
    expect(stored().t.bp_e).toBe('c/wMvX+hE=');
  });

  it('stores nothing when denied, and a revoke deletes what was stored', async () => {
    const { sdk } = await freshSdk();
    sdk.captureReferral();
    expect(cookie()).not.toBeNull();
    sdk.setConsent('denied');
    expect(cookie()).toBeNull();
    expect(localStorage.getItem('bp_ref')).toBeNull();
    expect(sdk.getReferral()).toBeNull();
    expect(sdk.captureReferral()).toBeNull();
    expect(document.cookie).toBe('');
  });

  it('tells the platform about a landing once', async () => {
    const { sdk, beacon } = await freshSdk();
    sdk.captureReferral(config);
    sdk.captureReferral(config);
    expect(beacon).toHaveBeenCalledTimes(1);
    const [url, body] = beacon.mock.calls[0];
    expect(url).toBe('https://bp.shop.com/click');
    // A string body: sendBeacon sends it as text/plain;charset=UTF-8, a CORS simple request.
    expect(typeof body).toBe('string');
    expect(JSON.parse(body as string)).toMatchObject({
      v: 1,
      type: 'click',
      market: 'demo',
      tokens: { bp_e: 'c/wMvX+hE=' },
      page: 'https://www.shop.com/landing',
    });
  });

  it('writes the cookie before the click beacon leaves, never after: a relay answers it with its own cookie', async () => {
    const { sdk, beacon } = await freshSdk();
    const steps: string[] = [];
    const cookieSetter = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!.set!;
    vi.spyOn(document, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
      if (value.startsWith('bp_ref=')) steps.push('cookie');
      cookieSetter.call(this, value);
    });
    beacon.mockImplementation(() => (steps.push('beacon'), true));
    sdk.captureReferral(config);
    sdk.captureReferral(config);
    expect(steps.at(-1)).toBe('beacon');
    expect(steps.filter((step) => step === 'beacon')).toHaveLength(1);
    // Marked as told in both copies, so the next page sends no second click.
    expect(cookie()).toMatchObject({ b: 1 });
    expect(stored()).toMatchObject({ b: 1 });
  });

  it('tells the platform on the next capture when the browser refused the click beacon', async () => {
    const { sdk, beacon } = await freshSdk();
    beacon.mockReturnValueOnce(false);
    sdk.captureReferral(config);
    expect(cookie().b).toBeUndefined();
    expect(stored().b).toBeUndefined();
    sdk.captureReferral(config);
    expect(beacon).toHaveBeenCalledTimes(2);
    expect(cookie()).toMatchObject({ b: 1 });
  });

  it('stays unmarked where the browser has no sendBeacon, and still stores the referral', async () => {
    const { sdk } = await freshSdk();
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true });
    expect(sdk.captureReferral(config)).toMatchObject({ t: { bp_e: 'c/wMvX+hE=' } });
    expect(cookie()).toMatchObject({ t: { bp_e: 'c/wMvX+hE=' } });
    expect(cookie().b).toBeUndefined();
    expect(console.error).not.toHaveBeenCalled();
  });

  it('tells the platform about a new landing on an SPA route change too', async () => {
    const { sdk, beacon } = await freshSdk();
    sdk.captureReferral(config);
    history.replaceState(null, '', '/product?bp_e=second');
    sdk.captureReferral();
    sdk.captureReferral();
    expect(beacon).toHaveBeenCalledTimes(2);
    expect(JSON.parse(beacon.mock.calls[1][1] as string).tokens).toEqual({ bp_e: 'second' });
  });

  it('sends the click beacon only once consent is granted', async () => {
    const { sdk, beacon } = await freshSdk();
    sdk.captureReferral({ ...config, consent: 'pending' });
    expect(beacon).not.toHaveBeenCalled();
    sdk.setConsent('granted');
    expect(beacon).toHaveBeenCalledTimes(1);
  });

  it('removes bp_* parameters from the address bar, and an embed still gets them', async () => {
    const { sdk } = await freshSdk();
    document.body.innerHTML = '<div id="bp_div"></div>';
    sdk.captureReferral({ stripReferralParams: true });
    expect(location.pathname + location.search + location.hash).toBe('/landing?utm_source=mail#top');
    sdk.embedReferAFriend(config, { campaign: 'c' });
    const src = new URL(document.querySelector('iframe')!.src);
    expect(src.searchParams.get('bp_e')).toBe('c/wMvX+hE=');
    expect(src.searchParams.get('bp_l')).toBe('false');
  });

  it('clearReferral deletes the cookie and the mirror', async () => {
    const { sdk } = await freshSdk();
    sdk.captureReferral();
    sdk.clearReferral();
    expect(document.cookie).toBe('');
    expect(stored()).toBeNull();
  });
});
