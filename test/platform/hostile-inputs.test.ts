// @vitest-environment node
// The dev platform over real HTTP, given hostile inputs (issue 11, item 7): prototype-named
// market ids, values whose toString is not a function, off-site redirect targets.
// Needs the build (the platform imports dist/server.js): npm test builds first.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPlatform, type Platform } from '../../examples/platform/platform.js';

let platform: Platform;
beforeAll(async () => {
  platform = await createPlatform();
});
afterAll(() => platform.close());
beforeEach(() => platform.reset());

let nextId = 0;
const event = (market: string, conversion: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    v: 1,
    type: 'conversion',
    event_id: `event-${++nextId}`,
    market,
    conversion: { order_number: `ORDER${nextId}`, customer_email: 'jane@smith.com', ...conversion },
    ...extra,
  });
const post = (path: string, body = '') =>
  fetch(platform.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json' }, redirect: 'manual' });

describe.each(['__proto__', 'constructor', 'toString'])('market id %j', (market) => {
  test('POST /track answers 404 unknown_market, signed or not', async () => {
    const plain = await post('/track', event(market));
    expect([plain.status, await plain.json()]).toEqual([404, { status: 'unknown_market' }]);
    const signed = await post('/track', event(market, { signed_keys: 'order_number', signature: 'abc' }));
    expect(signed.status).toBe(404);
    expect(platform.state().conversions).toEqual([]);
  });

  test('the campaign page answers 404 market_not_found', async () => {
    const response = await fetch(`${platform.url}/iaf/refer-a-friend?market=${encodeURIComponent(market)}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('data-error-code="market_not_found"');
  });

  test('as a campaign slug, it is campaign_not_found', async () => {
    const response = await fetch(`${platform.url}/iaf/${encodeURIComponent(market)}?market=demo`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('data-error-code="campaign_not_found"');
  });

  test('click beacons and the seamless login answer 404', async () => {
    expect((await post('/click', JSON.stringify({ type: 'click', market, event_id: 'c1', tokens: {} }))).status).toBe(404);
    expect((await post(`/iaf/refer-a-friend/session?market=${encodeURIComponent(market)}`, '{}')).status).toBe(404);
  });
});

describe('values whose toString is not a function', () => {
  test('a voucher_code of {"toString":1} is a 400 naming the field', async () => {
    const response = await post('/track', event('demo', { voucher_code: { toString: 1 } }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual(['"conversion.voucher_code" expected a string, received an object']);
  });

  test('an attempt or transport object is stored coerced, and the dashboard still renders', async () => {
    const response = await post('/track', event('demo', { order_value: { toString: 1 } }, { attempt: { toString: 1 }, transport: { toString: 1 } }));
    expect(response.status).toBe(201);
    const [conversion] = platform.state().conversions;
    expect([conversion.attempt, conversion.transport]).toEqual([1, 'fetch']);
    const dashboard = await fetch(platform.url + '/dashboard');
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('{&quot;toString&quot;:1}');
  });

  test('a click with object fields is recorded with its string values only, and the dashboard renders', async () => {
    expect(
      (
        await post(
          '/click',
          JSON.stringify({ type: 'click', market: 'demo', event_id: { toString: 1 }, page: { toString: 1 }, tokens: { bp_e: { toString: 1 } } }),
        )
      ).status,
    ).toBe(204);
    expect(platform.state().clicks[0]).toMatchObject({ event_id: null, tokens: {} });
    expect((await fetch(platform.url + '/dashboard')).status).toBe(200);
  });

  test('a click event whose type is an object is a 400, not a 500', async () => {
    expect((await post('/click', JSON.stringify({ type: { toString: 1 }, market: 'demo' }))).status).toBe(400);
  });
});

describe('POST /api/reset?then=', () => {
  test.each(['/%5Cevil.example', '//evil.example', 'https://evil.example/', '/%5C%5Cevil.example/x', 'javascript:alert(1)'])(
    'refuses the off-site target %s with a 400 and no Location',
    async (then) => {
      const response = await post(`/api/reset?then=${then}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    },
  );

  test('redirects to a path on the platform', async () => {
    const response = await post('/api/reset?then=/dashboard');
    expect([response.status, response.headers.get('location')]).toEqual([303, '/dashboard']);
  });
});
