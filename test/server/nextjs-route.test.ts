// @vitest-environment node
// examples/nextjs's relay route (app/buyapowa/[...path]/route.ts), imported as Next.js imports it
// and called with web Requests: a signed conversion reaches the Referral tracking API (a fake
// fetch) with its referrer; the click re-sets the cookie; an unsigned conversion is refused.
// The route imports buyapowa-sdk/server, which test/examples/nextjs-resolve.ts points at the
// sources, as examples/nextjs/tsconfig.json does for tsc: no build needed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_TOKEN, BP_E, EXPECTED_ORDER, MARKET, SECRET, conversionEvent, fakeUpstream, post } from './relay-fixtures';

const ROOT = new URL('../..', import.meta.url).pathname;
// A path in a variable: the root tsconfig does not follow it (examples/nextjs has its own).
const ROUTE = ROOT + 'examples/nextjs/app/buyapowa/[...path]/route.ts';
type Handler = (request: Request) => Promise<Response>;
let route: { GET: Handler; POST: Handler; OPTIONS: Handler };
const upstream = fakeUpstream();

beforeAll(async () => {
  vi.stubEnv('BUYAPOWA_MARKET', MARKET);
  vi.stubEnv('BUYAPOWA_AUTH_TOKEN', AUTH_TOKEN);
  vi.stubEnv('BUYAPOWA_SECRET', SECRET);
  vi.stubEnv('BUYAPOWA_COOKIE_DOMAIN', 'shop.test');
  vi.stubGlobal('fetch', upstream.fetch);
  route = await import(/* @vite-ignore */ ROUTE);
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('examples/nextjs: the relay route handler', () => {
  it('POST /buyapowa/track forwards a signed conversion to the Referral tracking API', async () => {
    const response = await route.POST(post('https://www.shop.test/buyapowa/track', conversionEvent()));
    expect(response.status).toBe(201);
    expect(upstream.calls).toHaveLength(1);
    expect(upstream.calls[0]).toMatchObject({
      url: 'https://api.co-buying.com/api/referrals/track',
      headers: { auth_id: MARKET },
      body: { order: EXPECTED_ORDER },
    });
  });

  it('POST /buyapowa/track refuses an unsigned conversion (422) and forwards nothing', async () => {
    upstream.calls.length = 0;
    const response = await route.POST(post('https://www.shop.test/buyapowa/track', conversionEvent({ sign: false })));
    expect(response.status).toBe(422);
    expect(upstream.calls).toHaveLength(0);
  });

  it('POST /buyapowa/click re-sets the referral cookie on the configured domain', async () => {
    const response = await route.POST(post('https://www.shop.test/buyapowa/click', { v: 1, type: 'click', tokens: { bp_e: BP_E } }));
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/^bp_ref=.+; Path=\/; Max-Age=\d+; SameSite=Lax; Domain=shop\.test; Secure$/);
  });

  it('GET /buyapowa/track.gif answers the noscript pixel, and anything else 404', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const gif = await route.GET(new Request('https://www.shop.test/buyapowa/track.gif?customer_email=a@b.co&order_number=1'));
    expect(gif.headers.get('content-type')).toBe('image/gif');
    expect((await route.GET(new Request('https://www.shop.test/buyapowa/other'))).status).toBe(404);
  });
});
