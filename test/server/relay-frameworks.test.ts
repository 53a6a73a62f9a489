// @vitest-environment node
// examples/relay/express.js and hono.js, run with the real frameworks (devDependencies): each
// example is imported as a merchant's server would load it, and a signed conversion posted to its
// relay reaches the Referral tracking API (a fake fetch) as the guide's JSON with its referrer.
// The examples import buyapowa-sdk/server, which test/examples/nextjs-resolve.ts points at the
// sources: no build needed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_TOKEN, EXPECTED_ORDER, MARKET, SECRET, conversionEvent, fakeUpstream, post } from './relay-fixtures';

const ROOT = new URL('../..', import.meta.url).pathname;
const realFetch = globalThis.fetch;
const upstream = fakeUpstream();
let honoApp: { fetch: (request: Request) => Response | Promise<Response> };
let expressServer: http.Server;

beforeAll(async () => {
  vi.stubEnv('BUYAPOWA_MARKET', MARKET);
  vi.stubEnv('BUYAPOWA_AUTH_TOKEN', AUTH_TOKEN);
  vi.stubEnv('BUYAPOWA_SECRET', SECRET);
  vi.stubEnv('SHOPIFY_WEBHOOK_SECRET', 'shpss_test');
  vi.stubEnv('SEGMENTATION_PASSWORD', 'segmentation-password');
  // The relays' API clients take the global fetch when they are created: the fake upstream.
  vi.stubGlobal('fetch', upstream.fetch);
  honoApp = (await import(/* @vite-ignore */ ROOT + 'examples/relay/hono.js')).default;
  // express.js ends with app.listen(3000): that one call listens on a free port instead.
  const listen = http.Server.prototype.listen;
  const spy = vi.spyOn(http.Server.prototype, 'listen').mockImplementation(function (this: http.Server) {
    return listen.call(this, { port: 0, host: '127.0.0.1' });
  });
  await import(/* @vite-ignore */ ROOT + 'examples/relay/express.js');
  expressServer = spy.mock.contexts[0] as http.Server;
  spy.mockRestore();
  if (!expressServer.listening) await new Promise((resolve) => expressServer.once('listening', resolve));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  if (expressServer) await new Promise((resolve) => expressServer.close(resolve));
});

/** The fake upstream got the signed conversion once, as the guide's order with the referrer. */
const expectForwardedOnce = () =>
  expect(upstream.calls).toEqual([
    expect.objectContaining({
      url: 'https://api.co-buying.com/api/referrals/track',
      headers: expect.objectContaining({ auth_id: MARKET }),
      body: { order: EXPECTED_ORDER },
    }),
  ]);

describe('examples/relay with their frameworks', () => {
  it('hono.js: POST /buyapowa/track forwards a signed conversion through Hono', async () => {
    upstream.calls.length = 0;
    const response = await honoApp.fetch(post('https://www.shop.test/buyapowa/track', conversionEvent()));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: 'created', referral: 'event' });
    expectForwardedOnce();
    expect((await honoApp.fetch(new Request('https://www.shop.test/elsewhere'))).status).toBe(404);
  });

  it('express.js: POST /buyapowa/track forwards a signed conversion through Express (before express.json())', async () => {
    upstream.calls.length = 0;
    const base = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
    const response = await realFetch(base + '/buyapowa/track', {
      method: 'POST',
      body: JSON.stringify(conversionEvent()),
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: 'created', referral: 'event' });
    expectForwardedOnce();
    // The relay answers under its mount path only; the rest is the app's (Express's 404).
    expect((await realFetch(base + '/elsewhere')).status).toBe(404);
  });
});
