// examples/nextjs's pages and components, rendered in jsdom as the App Router would put them
// together: the root layout (BuyapowaProvider + the referral capture) around a page, under
// StrictMode as in `next dev`. `next/navigation` is the shim in next-navigation.ts (its
// usePathname follows navigate(), like the App Router's); `buyapowa-sdk/react` and `/server` are
// the sources (nextjs-resolve.ts, as examples/nextjs/tsconfig.json maps them): no build needed.
// The confirmation page's conversion goes from the browser's fetch to the example's relay route
// handler and on to a fake Referral tracking API: the recipe from a share link to the referral.
import { act, cleanup, render } from '@testing-library/react';
import { StrictMode, type ReactElement, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearReferral, getReferral } from '../../src/index';
import { verify } from '../../src/server';
import { AUTH_TOKEN, BP_E, MARKET, SECRET, fakeUpstream } from '../server/relay-fixtures';
import { navigate } from './next-navigation';

type Handler = (request: Request) => Promise<Response>;
// Paths in a variable: the root tsconfig does not follow them (examples/nextjs has its own), and
// the import.meta.url in a variable keeps Vite from rewriting the URL as an asset's.
const HERE = import.meta.url;
const APP = new URL('../../examples/nextjs/app/', HERE).pathname;
let RootLayout: (props: { children: ReactNode }) => ReactElement;
let ReferAFriendPage: () => ReactElement;
let ConfirmationPage: (props: { params: Promise<{ id: string }> }) => Promise<ReactElement>;
let route: { POST: Handler; GET: Handler };

const upstream = fakeUpstream();
/** The browser's fetch: same-origin /buyapowa/* requests reach the relay route, the rest the fake API. */
const fetch = vi.fn(async (input: string, init: RequestInit = {}) =>
  new URL(input, location.href).origin === location.origin ? route.POST(new Request(new URL(input, location.href), init)) : upstream.fetch(input, init),
);
let beacon: ReturnType<typeof vi.fn>;

beforeAll(async () => {
  vi.stubEnv('NEXT_PUBLIC_BUYAPOWA_URL', 'https://bp.shop.com');
  vi.stubEnv('NEXT_PUBLIC_BUYAPOWA_MARKET', MARKET);
  vi.stubEnv('BUYAPOWA_MARKET', MARKET);
  vi.stubEnv('BUYAPOWA_AUTH_TOKEN', AUTH_TOKEN);
  vi.stubEnv('BUYAPOWA_SECRET', SECRET);
  vi.stubEnv('BUYAPOWA_COOKIE_DOMAIN', 'shop.com');
  RootLayout = (await import(/* @vite-ignore */ APP + 'layout.tsx')).default;
  ReferAFriendPage = (await import(/* @vite-ignore */ APP + 'refer-a-friend/page.tsx')).default;
  ConfirmationPage = (await import(/* @vite-ignore */ APP + 'orders/[id]/confirmation/page.tsx')).default;
  route = await import(/* @vite-ignore */ APP + 'buyapowa/[...path]/route.ts');
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  history.replaceState(null, '', '/');
  vi.stubGlobal('fetch', fetch);
  beacon = vi.fn(() => true);
  Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
  vi.spyOn(console, 'info').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  cleanup();
  clearReferral();
  localStorage.clear();
  fetch.mockClear();
  upstream.calls.length = 0;
  vi.unstubAllGlobals();
});

/** `page` inside the root layout, as the App Router renders a route (StrictMode: `next dev`). */
const routeOf = (page: ReactNode) => (
  <StrictMode>
    <RootLayout>{page}</RootLayout>
  </StrictMode>
);
const show = (page: ReactNode) => render(routeOf(page), { container: document });
const clicks = () => beacon.mock.calls.map(([url, body]) => ({ url, bp_e: JSON.parse(body).tokens.bp_e }));
const frames = () => [...document.querySelectorAll('iframe')];

describe('examples/nextjs: the layout captures referrals on every route', () => {
  it('captures a share link that lands on any route, once per landing, and tells the relay', () => {
    const { rerender } = show(<p>home</p>);
    expect(getReferral()).toBeNull();
    expect(beacon).not.toHaveBeenCalled();

    navigate('/shoes?bp_e=first');
    expect(getReferral()?.t).toEqual({ bp_e: 'first' });
    expect(clicks()).toEqual([{ url: '/buyapowa/click', bp_e: 'first' }]);
    // stripReferralParams: the token left the address bar once captured.
    expect(location.pathname + location.search).toBe('/shoes');

    // A re-render on the same route, or a route without a share link, captures nothing new.
    rerender(routeOf(<p>shoes</p>));
    navigate('/socks');
    expect(clicks()).toHaveLength(1);
    expect(getReferral()?.t).toEqual({ bp_e: 'first' });

    // Another share link, on another route of the same visit: the last click wins.
    navigate('/hats?bp_e=second');
    expect(getReferral()?.t).toEqual({ bp_e: 'second' });
    expect(clicks()).toEqual([
      { url: '/buyapowa/click', bp_e: 'first' },
      { url: '/buyapowa/click', bp_e: 'second' },
    ]);
  });
});

describe('examples/nextjs: /refer-a-friend', () => {
  it('embeds exactly one campaign iframe in its box, and removes it when the visitor leaves', () => {
    history.replaceState(null, '', '/refer-a-friend');
    const { rerender } = show(<ReferAFriendPage />);
    expect(frames()).toHaveLength(1);
    const src = new URL(frames()[0].src);
    expect(src.origin + src.pathname).toBe('https://bp.shop.com/iaf/refer-a-friend');
    expect(src.searchParams.get('market')).toBe(MARKET);
    expect(src.searchParams.get('locale')).toBe('en');
    expect(frames()[0].closest('main > .refer-a-friend')).not.toBeNull();

    navigate('/');
    rerender(routeOf(<p>home</p>));
    expect(frames()).toHaveLength(0);
  });
});

describe('examples/nextjs: /orders/[id]/confirmation', () => {
  it('signs on the server; the browser tracks once, through the relay route, to the API with the referrer', async () => {
    history.replaceState(null, '', '/?bp_e=' + BP_E);
    const { rerender } = show(<p>home</p>);
    // BP_E is a share link's parameter, URL-encoded; the SDK keeps the token itself.
    expect(getReferral()?.t).toEqual({ bp_e: decodeURIComponent(BP_E) });

    // The server component runs on the server: it signs with BUYAPOWA_SECRET.
    const page = await ConfirmationPage({ params: Promise.resolve({ id: 'ORDER42' }) });
    navigate('/orders/ORDER42/confirmation');
    rerender(routeOf(page));
    await vi.waitFor(() => expect(upstream.calls).toHaveLength(1));

    // One request from the browser (StrictMode ran the effect twice), to the relay, signed.
    const sent = fetch.mock.calls.filter(([url]) => url === '/buyapowa/track');
    expect(sent).toHaveLength(1);
    const event = JSON.parse(String(sent[0][1]?.body));
    const body = event.type === 'batch' ? event.events[0] : event;
    expect(body.conversion).toMatchObject({
      order_number: 'ORDER42',
      customer_email: 'jane@smith.com',
      order_value: '12.89',
      signed_keys: 'order_number, customer_email, order_value',
    });
    expect(verify(body.conversion, SECRET)).toBe(true);
    expect(JSON.stringify(document.documentElement.outerHTML)).not.toContain(SECRET);

    // The route handler verified it and forwarded it with the referrer decrypted from bp_e.
    expect(upstream.calls[0]).toMatchObject({
      url: 'https://api.co-buying.com/api/referrals/track',
      headers: { auth_id: MARKET },
      body: { order: { order_number: 'ORDER42', email_address: 'jane@smith.com', referrer_email: 'john@doe.com' } },
    });

    // Showing the page again (a reload, the back button) sends the order no second time.
    cleanup();
    show(page);
    await act(async () => {});
    expect(fetch.mock.calls.filter(([url]) => url === '/buyapowa/track')).toHaveLength(1);
    expect(upstream.calls).toHaveLength(1);
  });

  it('answers an unknown order with the not-found page', async () => {
    await expect(ConfirmationPage({ params: Promise.resolve({ id: 'no such order' }) })).rejects.toThrow('NEXT_NOT_FOUND');
  });
});
