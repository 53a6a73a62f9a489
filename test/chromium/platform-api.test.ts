// The dev platform's rules over real HTTP, without a browser: what /track, /click, the pixel,
// share links, the test control and the pages answer. The browser tests rely on all of this.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPlatform, type Platform } from '../../examples/platform/platform.js';
import { decodeReferral, encryptBpE, sign } from '../../src/server';

const DEMO = { secret: 'afd46269f68a4b63b6a926d8bad9f5b5', authToken: 'fd7cf959-8a3d-431e-975b-b5d3f36aa710' };
const SIGNED = { secret: '5f2b7c1e9a4d4e8b8c3f6a0d2e1b9c47', authToken: '3c9e0a52-6b1f-4d7e-9a28-71f4c0b5d6e3' };
const ORIGIN = 'http://www.shop.test:8788';
const MARKET_DOMAIN = 'bp.shop.test:8787';

let platform: Platform;
let nextId = 0;

beforeAll(async () => {
  platform = await createPlatform({ merchantUrl: ORIGIN + '/landing?from=share#top' });
});
afterAll(() => platform?.close());
beforeEach(() => platform.reset());

/** A conversion event as the SDK sends it (protocol §2.1). */
function event(conversion: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    v: 1,
    type: 'conversion',
    event_id: `event-${++nextId}`,
    market: 'demo',
    created_at: Date.now(),
    sdk: 'test',
    page: ORIGIN + '/thanks',
    conversion,
    ...extra,
  };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(platform.url + path, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, 'x-forwarded-host': MARKET_DOMAIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function json(response: Response) {
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

/** A referrer and one share-link visit: returns the bp_e and the friend's voucher code. */
async function shareLinkVisit(name = 'John Doe', email = 'john@doe.com', market = 'demo') {
  const { code } = await (await post('/api/referrers', { market, name, email })).json();
  const response = await fetch(`${platform.url}/r/${code}`, { redirect: 'manual' });
  const bpE = new URL(response.headers.get('location')!).searchParams.get('bp_e')!;
  return { code, bpE, voucher: decodeReferral(bpE, market === 'demo' ? DEMO.authToken : SIGNED.authToken).voucher_code! };
}

describe('POST /track', () => {
  test('answers the CORS preflight and every response for the page origin, with credentials', async () => {
    const preflight = await fetch(platform.url + '/track', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const response = await post('/track', 'not json');
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });

  test('refuses malformed and incomplete bodies with 400 and says why', async () => {
    expect(await json(await post('/track', '{oops'))).toMatchObject({ status: 400, body: { status: 'invalid', errors: [expect.stringMatching(/not JSON/)] } });
    const incomplete = await json(await post('/track', event({ customer_email: 'a@b.co' })));
    expect(incomplete).toMatchObject({ status: 400, body: { status: 'invalid' } });
    expect(incomplete.body.errors).toEqual(['"conversion.order_number" expected a string, received undefined']);
    const state = platform.state();
    expect(state.rejected.map((r) => [r.status, r.reason])).toEqual([
      [400, 'malformed'],
      [400, 'invalid'],
    ]);
    expect(state.conversions).toEqual([]);
  });

  test('answers 404 for an unknown market', async () => {
    expect(await json(await post('/track', event({ customer_email: 'a@b.co', order_number: '1' }, { market: 'nope' })))).toEqual({
      status: 404,
      body: { status: 'unknown_market' },
    });
  });

  test('verifies signatures: valid, absent, invalid (401), and unsigned on a signing market (422)', async () => {
    const signed = { customer_email: 'john@doe.com', order_number: 'ORDER123', signed_keys: 'order_number, customer_email' };
    expect((await post('/track', event({ ...signed, signature: sign(signed, DEMO.secret) }))).status).toBe(201);
    expect((await post('/track', event({ customer_email: 'a@b.co', order_number: 'UNSIGNED' }))).status).toBe(201);
    const tampered = { ...signed, order_number: 'ORDER124', signature: sign(signed, DEMO.secret) };
    expect(await json(await post('/track', event(tampered)))).toEqual({ status: 401, body: { status: 'invalid_signature' } });
    expect(await json(await post('/track', event({ customer_email: 'a@b.co', order_number: 'S1' }, { market: 'signed' })))).toEqual({
      status: 422,
      body: { status: 'signature_required' },
    });
    const onSigned = { customer_email: 'a@b.co', order_number: 'S2', signed_keys: 'customer_email,order_number' };
    expect((await post('/track', event({ ...onSigned, signature: sign(onSigned, SIGNED.secret) }, { market: 'signed' }))).status).toBe(201);

    const state = platform.state();
    expect(state.conversions.map((c) => [c.market, c.fields.order_number, c.signature])).toEqual([
      ['demo', 'ORDER123', 'valid'],
      ['demo', 'UNSIGNED', 'absent'],
      ['signed', 'S2', 'valid'],
    ]);
    expect(state.rejected.map((r) => [r.reason, r.signature, r.fields?.order_number])).toEqual([
      ['invalid_signature', 'invalid', 'ORDER124'],
      ['signature_required', 'absent', 'S1'],
    ]);
  });

  test('deduplicates by event_id and by market + order number, and records what it turned away', async () => {
    const first = event({ customer_email: 'a@b.co', order_number: 'D1' });
    expect((await post('/track', first)).status).toBe(201);
    expect(await json(await post('/track', { ...first, attempt: 2 }))).toEqual({ status: 200, body: { status: 'duplicate', reason: 'event_id' } });
    expect(await json(await post('/track', event({ customer_email: 'a@b.co', order_number: 'D1' })))).toEqual({
      status: 200,
      body: { status: 'duplicate', reason: 'order_number' },
    });
    // The same order number on another market is another order.
    const other = { customer_email: 'a@b.co', order_number: 'D1', signed_keys: 'order_number,customer_email' };
    expect((await post('/track', event({ ...other, signature: sign(other, SIGNED.secret) }, { market: 'signed' }))).status).toBe(201);
    const state = platform.state();
    expect(state.conversions).toHaveLength(2);
    expect(state.duplicates.map((d) => [d.reason, d.attempt, d.conversion_id])).toEqual([
      ['event_id', 2, state.conversions[0].id],
      ['order_number', undefined, state.conversions[0].id],
    ]);
  });
});

describe('attribution', () => {
  test("credits the referrer of the landing's bp_e first", async () => {
    const { bpE, voucher } = await shareLinkVisit();
    await post('/track', event({ customer_email: 'jane@smith.com', order_number: 'A1' }, { referral: { tokens: { bp_e: bpE }, captured_at: Date.now() } }));
    const [conversion] = platform.state().conversions;
    expect(conversion.attribution).toMatchObject({
      via: 'landing',
      voucher_code: voucher,
      referrer: { email: 'john@doe.com', name: 'John Doe', referral_count: 1 },
    });
    expect(platform.state().referrers[0].referral_count).toBe(1);
  });

  test('then a voucher code issued by a share link, from voucher_code or voucher_codes', async () => {
    const { voucher } = await shareLinkVisit();
    await post('/track', event({ customer_email: 'jane@smith.com', order_number: 'V1', voucher_codes: ['SUMMER10', voucher.toLowerCase()] }));
    await post('/track', event({ customer_email: 'ann@smith.com', order_number: 'V2', voucher_code: voucher }));
    const [viaCodes, viaCode] = platform.state().conversions;
    expect(viaCodes.attribution).toMatchObject({ via: 'voucher_code', voucher_code: voucher, referrer: { email: 'john@doe.com' } });
    expect(viaCode.attribution).toMatchObject({ via: 'voucher_code', referrer: { email: 'john@doe.com', referral_count: 2 } });
  });

  test('credits nobody for an unknown code, a bp_e of another market, or a self-referral', async () => {
    const { bpE } = await shareLinkVisit();
    const foreign = encryptBpE({ email: 'x@y.z', first_name: 'X', voucher_code: 'C' }, SIGNED.authToken);
    await post('/track', event({ customer_email: 'jane@smith.com', order_number: 'N1', voucher_code: 'NOPE' }));
    await post('/track', event({ customer_email: 'jane@smith.com', order_number: 'N2' }, { referral: { tokens: { bp_e: foreign }, captured_at: 1 } }));
    await post('/track', event({ customer_email: 'JOHN@doe.com', order_number: 'N3' }, { referral: { tokens: { bp_e: bpE }, captured_at: 1 } }));
    const notes = platform.state().conversions.map((c) => [c.attribution.via, c.attribution.note]);
    expect(notes).toEqual([
      [null, 'no share link issued NOPE'],
      [null, "bp_e does not decrypt with this market's auth token"],
      [null, 'not credited: john@doe.com referred themselves'],
    ]);
    expect(platform.state().referrers[0].referral_count).toBe(0);
  });
});

describe('GET /track.gif', () => {
  test('always answers a 1×1 GIF, and records the conversion with repeated voucher_codes as an array', async () => {
    const ok = await fetch(`${platform.url}/track.gif?v=1&market=demo&order_number=P1&customer_email=a%40b.co&voucher_codes=A&voucher_codes=B`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/gif');
    expect(
      Buffer.from(await ok.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    const bad = await fetch(`${platform.url}/track.gif?v=1&market=nope`);
    expect([bad.status, bad.headers.get('content-type')]).toEqual([200, 'image/gif']);
    const state = platform.state();
    expect(state.conversions.map((c) => [c.transport, c.fields])).toEqual([
      ['pixel', { order_number: 'P1', customer_email: 'a@b.co', voucher_codes: ['A', 'B'] }],
    ]);
    expect(state.rejected.map((r) => [r.path, r.status])).toEqual([['/track.gif', 400]]);
  });
});

describe('POST /click', () => {
  test('records a referral landing once per event_id, with the decrypted referrer', async () => {
    const { bpE, voucher } = await shareLinkVisit();
    const click = { v: 1, type: 'click', event_id: 'click-1', market: 'demo', tokens: { bp_e: bpE }, captured_at: 1, page: ORIGIN + '/' };
    expect((await post('/click', click)).status).toBe(204);
    expect((await post('/click', click)).status).toBe(204);
    const clicks = platform.state().clicks;
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ referrer: { email: 'john@doe.com' }, voucher_code: voucher, page: ORIGIN + '/' });
  });
});

describe('share links', () => {
  test('redirect to the merchant landing with the guide metadata shape, keeping its query and fragment', async () => {
    const { code } = await (await post('/api/referrers', { market: 'demo', name: 'Mary Ann Smith', email: 'mary@smith.com' })).json();
    const response = await fetch(`${platform.url}/r/${code}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^http:\/\/www\.shop\.test:8788\/landing\?from=share&bp_e=[^&#]+#top$/);
    const { metadata } = decodeReferral(location, DEMO.authToken);
    expect(Object.keys(metadata)).toEqual(['referral_count', 'email', 'first_name', 'last_name', 'voucher_code']);
    expect(metadata).toMatchObject({ referral_count: 0, email: 'mary@smith.com', first_name: 'Mary Ann', last_name: 'Smith' });
    // A fresh voucher per visit.
    const again = await fetch(`${platform.url}/r/${code}`, { redirect: 'manual' });
    expect(decodeReferral(again.headers.get('location')!, DEMO.authToken).voucher_code).not.toBe(metadata.voucher_code);
  });

  test('answer 404 for an unknown code and 503 when no merchant landing is known', async () => {
    expect((await fetch(`${platform.url}/r/nope`, { redirect: 'manual' })).status).toBe(404);
    const bare = await createPlatform();
    try {
      const { code } = bare.createReferrer({ name: 'A B', email: 'a@b.co' });
      expect((await fetch(`${bare.url}/r/${code}`, { redirect: 'manual' })).status).toBe(503);
      bare.setMerchantUrl('http://www.shop.test/');
      expect((await fetch(`${bare.url}/r/${code}`, { redirect: 'manual' })).status).toBe(302);
    } finally {
      await bare.close();
    }
  });

  test('POST /api/referrers names every bad field', async () => {
    expect(await json(await post('/api/referrers', { market: 'x' }))).toEqual({
      status: 400,
      body: {
        status: 'invalid',
        errors: [
          '"market" expected one of demo, signed, received "x"',
          '"name" expected a full name, received undefined',
          '"email" expected an email address, received undefined',
        ],
      },
    });
    expect((await (await post('/api/referrers', { market: 'demo', name: 'A B', email: 'a@b.co' })).json()).share_url).toMatch(
      /^http:\/\/bp\.shop\.test:8787\/r\//,
    );
  });
});

describe('POST /__control', () => {
  test('scripts the next /track answers: statuses, Retry-After, a dropped connection, then normal handling', async () => {
    expect((await post('/__control', { track: [500, { status: 429, retryAfter: 2 }, 'drop'] })).status).toBe(200);
    const body = event({ customer_email: 'a@b.co', order_number: 'C1' });
    expect((await post('/track', body)).status).toBe(500);
    const limited = await post('/track', body);
    expect([limited.status, limited.headers.get('retry-after'), limited.headers.get('access-control-allow-origin')]).toEqual([429, '2', ORIGIN]);
    await expect(post('/track', body)).rejects.toThrow();
    expect((await post('/track', body)).status).toBe(201);
    expect(platform.state().deliveries.map((d) => d.outcome)).toEqual(['scripted 500', 'scripted 429', 'dropped', 'created']);
  });

  test('"down" drops every /track until cleared; a bad script is refused', async () => {
    await post('/__control', { track: 'down' });
    const body = event({ customer_email: 'a@b.co', order_number: 'C2' });
    await expect(post('/track', body)).rejects.toThrow();
    await expect(post('/track', body)).rejects.toThrow();
    await post('/__control', { track: null });
    expect((await post('/track', body)).status).toBe(201);
    expect((await post('/__control', { track: ['later'] })).status).toBe(400);
  });
});

describe('pages', () => {
  const page = async (path: string) => {
    const response = await fetch(platform.url + path, { headers: { 'x-forwarded-host': MARKET_DOMAIN } });
    return { status: response.status, headers: response.headers, html: await response.text() };
  };

  test('the campaign page has a strict CSP, an external script, and no inline script or style', async () => {
    const { status, headers, html } = await page('/iaf/refer-a-friend?market=demo&channel=abcdefgh12&parent_origin=' + encodeURIComponent(ORIGIN));
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toMatch(/script-src 'self';.*style-src 'self'/);
    expect(html).toMatch(/<script src="\/static\/campaign\.js" defer><\/script>/);
    expect(html).not.toMatch(/<script>|<style|style="|onclick|onerror/);
  });

  test('unknown markets and campaigns answer 404 with the error code for the SDK', async () => {
    const market = await page('/iaf/refer-a-friend?market=nope');
    expect(market.status).toBe(404);
    expect(market.html).toMatch(/data-error-code="market_not_found"/);
    const campaign = await page('/iaf/nope?market=demo');
    expect(campaign.status).toBe(404);
    expect(campaign.html).toMatch(/data-error-code="campaign_not_found" data-error-message="Market &quot;demo&quot; has no campaign &quot;nope&quot;\."/);
  });

  test('the test slugs: refused forbids framing, never-ready has no script', async () => {
    const refused = await page('/iaf/refused?market=demo');
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
    expect(refused.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const never = await page('/iaf/never-ready?market=demo');
    expect(never.status).toBe(200);
    expect(never.html).not.toMatch(/<script/);
  });

  test('escapes what a bp_e carries', async () => {
    const bpE = encryptBpE({ email: 'x@y.z', first_name: '<img src=x onerror=alert(1)>', voucher_code: '"><b>' }, DEMO.authToken);
    const { html } = await page(`/iaf/refer-a-friend?market=demo&bp_l=false&bp_e=${bpE}`);
    expect(html).toContain('You were referred by <strong>&lt;img src=x onerror=alert(1)&gt;</strong>');
    expect(html).toContain('<code id="friend-code">&quot;&gt;&lt;b&gt;</code>');
    expect(html).not.toContain('<img');
  });

  test('Open Graph tags carry absolute URLs on the market domain', async () => {
    const { status, html } = await page('/iaf/refer-a-friend/og');
    expect(status).toBe(200);
    expect(html).toContain('<meta property="og:url" content="http://bp.shop.test:8787/iaf/refer-a-friend/og">');
    expect(html).toContain('<meta property="og:image" content="http://bp.shop.test:8787/static/og.png">');
    expect(html).toMatch(/og:title" content="Give £10, get £10"/);
    const image = await fetch(platform.url + '/static/og.png');
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  test('the dashboard escapes every field on the server', async () => {
    await post('/track', event({ customer_email: 'a@b.co', order_number: 'X1', customer_name: '<script>alert(1)</script>' }));
    const { headers, html } = await page('/dashboard');
    expect(headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  test('serves the built SDK like a CDN, and nothing outside dist/', async () => {
    const script = await fetch(platform.url + '/embedding.min.js');
    expect([script.status, script.headers.get('content-type'), script.headers.get('access-control-allow-origin')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      '*',
    ]);
    expect(await script.text()).toMatch(/Buyapowa/);
    expect((await fetch(platform.url + '/sdk/index.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(platform.url + '/sdk/..%2Fpackage.json')).status).toBe(404);
  });
});
