// The same end-to-end scenarios for every runtime: Node over real HTTP (toNodeListener) and
// workerd (Miniflare). `target` sends a request to the test application and exposes what the
// fake Referral tracking API received.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseReferral } from '../../src/core/referral';
import { AUTH_TOKEN, EXPECTED_ORDER, MARKET, SECRET, conversionEvent, type Answer } from './relay-fixtures';

export const SHOPIFY_SECRET = 'shpss_scenarios';
export const HOOK_PASSWORD = 'hook password';
export const APP_ENV = { MARKET, AUTH_TOKEN, SECRET, SHOPIFY_SECRET, HOOK_PASSWORD };

/** What the fake upstream received. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface Target {
  /** Sends a request to the application at `path` (e.g. `/buyapowa/track`), with this origin. */
  send(path: string, init?: RequestInit): Promise<Response>;
  /** Requests the fake upstream received so far. */
  received: Received[];
  /** Scripts the fake upstream's next answers. */
  script(answers: Answer[]): void;
  /** The origin the requests go to, e.g. https://www.shop.test */
  origin: string;
}

/** Answers like the fake upstream: scripted answers first, then 201 (or 200 for /__events). */
export function upstreamAnswer(answers: Answer[], path: string): Answer {
  if (path === '/__events') return { status: 200, body: {} };
  return answers.shift() ?? { status: 201, body: { status: 'created' } };
}

export function handlerScenarios(label: string, target: () => Target): void {
  const text = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  const tracked = () => target().received.filter((r) => r.path === '/api/referrals/track');

  describe(label, () => {
    it('relay: a signed conversion with a referral arrives as the guide JSON, once', async () => {
      const response = await target().send('/buyapowa/track', text(conversionEvent()));
      expect(response.status).toBe(201);
      expect(tracked()).toHaveLength(1);
      expect(tracked()[0].headers).toMatchObject({ auth_id: MARKET, auth_token: AUTH_TOKEN });
      expect(tracked()[0].body).toEqual({ order: EXPECTED_ORDER });
    });

    it('relay: unsigned → 422 and a bad signature → 401, nothing forwarded', async () => {
      expect((await target().send('/buyapowa/track', text(conversionEvent({ sign: false })))).status).toBe(422);
      const tampered = conversionEvent();
      (tampered.conversion as Record<string, unknown>).customer_email = 'me@me.co';
      expect((await target().send('/buyapowa/track', text(tampered))).status).toBe(401);
      expect(tracked()).toHaveLength(0);
    });

    it('relay: upstream 503 → 503 with the Retry-After capped at 30 s', async () => {
      target().script([{ status: 503, headers: { 'retry-after': '90' } }]);
      const response = await target().send('/buyapowa/track', text(conversionEvent()));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(tracked()).toHaveLength(1);
    });

    it('relay: /click sets the referral cookie, Secure on https, for the attribution window', async () => {
      const now = Date.now();
      const response = await target().send('/buyapowa/click', text({ v: 1, type: 'click', tokens: { bp_e: 'abc' }, captured_at: now, market: MARKET }));
      expect(response.status).toBe(204);
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toContain('; Domain=shop.test');
      expect(cookie).toContain('; SameSite=Lax');
      expect(cookie.endsWith('; Secure')).toBe(target().origin.startsWith('https:'));
      expect(parseReferral(cookie.split(';')[0].slice('bp_ref='.length))).toMatchObject({ t: { bp_e: 'abc' }, at: now, exp: now + 60 * 864e5 });
    });

    it('relay: CORS preflight for the allowed origin only; 404 elsewhere', async () => {
      const preflight = (origin: string) =>
        target().send('/buyapowa/track', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      const allowed = await preflight('https://checkout.shop.test');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://checkout.shop.test');
      expect((await preflight('https://evil.test')).status).toBe(403);
      expect((await target().send('/buyapowa/nothing', { method: 'POST', body: '{}' })).status).toBe(404);
    });

    it('Shopify webhook: a good HMAC forwards once, a bad one forwards nothing', async () => {
      const order = JSON.stringify({
        id: 1001,
        admin_graphql_api_id: 'gid://shopify/Order/1001',
        email: 'jane@smith.com',
        total_price: '10.00',
        created_at: '2026-11-20T10:00:00Z',
      });
      const signed = (secret: string) => ({
        method: 'POST',
        body: order,
        headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(order).digest('base64') },
      });
      expect((await target().send('/hooks/shopify/orders', signed('wrong'))).status).toBe(401);
      expect(tracked()).toHaveLength(0);
      expect((await target().send('/hooks/shopify/orders', signed(SHOPIFY_SECRET))).status).toBe(200);
      expect(tracked().map((r) => (r.body as { order: { order_number: string } }).order.order_number)).toEqual(['1001']);
    });

    it('Referral confirmed: 401 without credentials, 204 once onEvent has stored the event', async () => {
      const body = JSON.stringify({
        campaign: 'c',
        customer: { email: 'john@doe.com' },
        referral: { friend: {}, order: { order_number: 'P1' } },
        total_referrals: '1',
      });
      expect((await target().send('/hooks/referral-confirmed', { method: 'POST', body })).status).toBe(401);
      const authorization = 'Basic ' + btoa('buyapowa:' + HOOK_PASSWORD);
      expect((await target().send('/hooks/referral-confirmed', { method: 'POST', body, headers: { authorization } })).status).toBe(204);
      expect(
        target()
          .received.filter((r) => r.path === '/__events')
          .map((r) => (r.body as { referral: { order: unknown } }).referral.order),
      ).toEqual([{ order_number: 'P1' }]);
    });

    it('segmentation: 401, then 200/404 for customers and friends', async () => {
      const authorization = 'Basic ' + btoa('buyapowa:' + HOOK_PASSWORD);
      const status = async (query: string, headers: Record<string, string> = { authorization }) =>
        (await target().send('/api/customer' + query, { headers })).status;
      expect(await status('?membership_number=ABCD', {})).toBe(401);
      expect(await status('?membership_number=ABCD')).toBe(200);
      expect(await status('?membership_number=WXYZ')).toBe(404);
      expect(await status('?email=known%40shop.test')).toBe(200);
      expect(await status('?email=new%40shop.test')).toBe(404);
    });
  });
}

export { SECRET };
