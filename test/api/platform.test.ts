// @vitest-environment node
// The client against the dev platform over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlatform } from '../../examples/platform/platform.js';
import { BuyapowaApi, BuyapowaApiError } from '../../src/api';
import markets from '../../examples/platform/markets.json';

/** A stored conversion's fields, as the platform keeps them (strings, and client_data). */
const fieldsOf = (c: { fields: Record<string, unknown> }) => c.fields as Record<string, string> & { client_data: Record<string, string> };

type Platform = Awaited<ReturnType<typeof createPlatform>>;
let platform: Platform;
let api: BuyapowaApi;
const TOKEN = markets.demo.authToken;
const DAY = 86_400;

const control = (body: object) =>
  fetch(`${platform.url}/__control/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

const order = (n: number | string, extra: object = {}) => ({
  email_address: `buyer${n}@example.com`,
  order_value: '12.89',
  order_number: `ORDER-${n}`,
  order_timestamp: '1700000000',
  referrer_email: 'john@doe.com',
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<BuyapowaApiError> {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(BuyapowaApiError);
  return error as BuyapowaApiError;
}

beforeAll(async () => {
  platform = await createPlatform({ port: 0 });
});
afterAll(() => platform.close());
beforeEach(async () => {
  platform.reset();
  api = new BuyapowaApi({ market: 'demo', authToken: TOKEN, baseUrl: platform.url, initialRetryDelay: 1, maxRetryDelay: 5 });
  await api.signups.create({ campaign_slug: 'refer-a-friend', signup: { email: 'john@doe.com', first_name: 'John', last_name: 'Doe' } });
});

describe('the client against the dev platform', () => {
  it('tracks once (201), then answers 200 with the problem for a repeated order_number', async () => {
    const first = await api.referrals.track({ order: order(1) });
    expect(first).toMatchObject({ status: 201, created: true, problems: [] });
    const again = await api.referrals.track({ order: order(1) });
    expect(again).toMatchObject({ status: 200, created: false, problems: ['Referral not created: order_number ORDER-1 was already tracked'] });
    expect(platform.state('demo').conversions.filter((c) => fieldsOf(c).order_number === 'ORDER-1')).toHaveLength(1);
  });

  it('401 with a wrong token, and the token stays out of the error', async () => {
    const wrong = new BuyapowaApi({ market: 'demo', authToken: 'not-the-token', baseUrl: platform.url });
    const error = await rejection(wrong.referrals.track({ order: order(2) }));
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, retryable: false });
    expect(error.message).not.toContain('not-the-token');
  });

  it('429 with Retry-After, then success', async () => {
    await control({
      answers: [
        { status: 429, retryAfter: 0 },
        { status: 429, retryAfter: 0 },
      ],
    });
    expect((await api.referrals.track({ order: order(3) })).created).toBe(true);
    const calls = platform.state('demo').conversions;
    expect(calls.some((c) => fieldsOf(c).order_number === 'ORDER-3')).toBe(true);
  });

  it('the real rate limit answers 429 with Retry-After', async () => {
    await control({ rateLimit: { requests: 1, perSeconds: 60 } });
    const noRetries = new BuyapowaApi({ market: 'demo', authToken: TOKEN, baseUrl: platform.url, maxRetries: 0 });
    await noRetries.subscriptions.subscribe({ user: { email: 'john@doe.com' } });
    const error = await rejection(noRetries.subscriptions.subscribe({ user: { email: 'john@doe.com' } }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true });
    await control({ rateLimit: null });
  });

  it('500 then success', async () => {
    await control({ answers: [500, 'drop'] });
    expect((await api.referrals.track({ order: order(4) })).created).toBe(true);
  });

  it('422 with problems for a spreadsheet; 200 with the problem for a missing column', async () => {
    const xlsx = new FormData();
    xlsx.append('csv', new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]), 'orders.xlsx');
    const headers = { auth_id: 'demo', auth_token: TOKEN };
    const refused = await fetch(`${platform.url}/api/referrals/track`, { method: 'POST', headers, body: xlsx });
    expect(refused.status).toBe(422);
    expect((await refused.json()).problems).toEqual(['Where a CSV is required, a spreadsheet (XLSX) was uploaded: save it as CSV']);

    const missing = new FormData();
    missing.append('csv', new Blob(['OrderNumber,Status\nA,confirmed\n']), 'orders.csv');
    const answered = await fetch(`${platform.url}/api/referrals/confirmations`, { method: 'POST', headers, body: missing });
    expect(answered.status).toBe(200);
    expect((await answered.json()).problems).toEqual(['row 1: Referral not found for order_number "A"']);

    const noColumn = new FormData();
    noColumn.append('csv', new Blob(['OrderNumber\nA\n']), 'orders.csv');
    const answer = await fetch(`${platform.url}/api/referrals/confirmations`, { method: 'POST', headers, body: noColumn });
    expect(answer.status).toBe(200);
    expect((await answer.json()).problems).toEqual(['The uploaded CSV is missing a required column: Status']);
  });

  it('422 reaches the client as unprocessable with the problems, without a retry', async () => {
    const raw = await fetch(`${platform.url}/api/reports/friends/refer-a-friend?starts_at=1600000000&ends_at=${1600000000 + 100 * DAY}`, {
      headers: { auth_id: 'demo', auth_token: TOKEN },
    });
    expect(raw.status).toBe(422);
    expect((await raw.json()).problems).toEqual(['Result limit: friends covers at most 90 days per request; this range is 100.0 days']);
    await control({ answers: [{ status: 422, problems: ['Payload limit: too many rows'] }] });
    const error = await rejection(api.users.forgetBatch(['john@doe.com']));
    expect(error).toMatchObject({
      code: 'unprocessable',
      status: 422,
      problems: ['Payload limit: too many rows'],
      batch: { firstRow: 1, lastRow: 1, rowsSent: 0 },
    });
    const missing = await rejection(api.signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'no-such-campaign' }));
    expect(missing).toMatchObject({ code: 'not_found', status: 404, problems: ['No campaign "no-such-campaign" in this market'] });
  });

  it('trackBatch: CSV round trip of tricky values, per-chunk results and row ranges', async () => {
    const tricky = ['Zoë, "Zed"', 'Line\nbreak', 'Ångström', '名前', "O'Brien; =1+2"];
    const orders = tricky.map((name, i) => order(`T${i}`, { full_name: name, client_data: { note: name } }));
    orders.push(order('T0'));
    const result = await api.referrals.trackBatch(orders, { rowsPerRequest: 4 });
    expect(result.chunks.map((c) => [c.firstRow, c.lastRow, c.status])).toEqual([
      [1, 4, 201],
      [5, 6, 200],
    ]);
    expect(result.problems).toEqual([{ firstRow: 5, lastRow: 6, row: 6, message: 'row 2: Referral not created: order_number ORDER-T0 was already tracked' }]);
    const stored = platform.state('demo').conversions.filter((c) => fieldsOf(c).order_number.startsWith('ORDER-T'));
    expect(stored.map((c) => fieldsOf(c).full_name)).toEqual(tricky);
    expect(stored.map((c) => fieldsOf(c).client_data.note)).toEqual(tricky);
  });

  it('reconcile, then the pending_referrals report no longer lists the order', async () => {
    await api.referrals.trackBatch([
      order('R1', { order_timestamp: String(Math.floor(Date.now() / 1000) - 60) }),
      order('R2', { order_timestamp: String(Math.floor(Date.now() / 1000) - 60) }),
    ]);
    const before = await api.reports.get('pending_referrals', 'refer-a-friend');
    expect(before.map((r) => r.OrderNumber)).toEqual(['ORDER-R1', 'ORDER-R2']);
    expect((await api.referrals.reconcile({ order: { order_number: 'ORDER-R1', status: 'confirmed' } })).created).toBe(true);
    const batch = await api.referrals.reconcileBatch([
      { order_number: 'ORDER-R2', status: 'failed' },
      { order_number: 'NOPE', status: 'failed' },
    ]);
    expect(batch.problems.map((p) => p.message)).toEqual(['row 2: Referral not found for order_number "NOPE"']);
    expect(await api.reports.get('pending_referrals', 'refer-a-friend')).toEqual([]);
    const all = await api.reports.get('who_referred_whom', 'refer-a-friend');
    expect(all.map((r) => [r.OrderNumber, r.Status, r.ReferrerEmail])).toEqual([
      ['ORDER-R1', 'confirmed', 'john@doe.com'],
      ['ORDER-R2', 'failed', 'john@doe.com'],
    ]);
  });

  it('signups: single links, and the batch through 303 → 202 → 200', async () => {
    const single = await api.signups.create({
      campaign_slug: 'refer-a-friend',
      send_auto_invite_email: true,
      signup: { email: 'jane@smith.com', first_name: 'Jane' },
    });
    expect(single.share_url).toMatch(new RegExp(`^${platform.url}/r/[a-z0-9]+$`));
    await control({ signupPolls: 2 });
    const rows = await api.signups.createBatch(
      [
        { email: 'ann@example.com', first_name: 'Ann', last_name: 'Lee, Jr', client_data: { customer_id: '7' } },
        { email: 'bo@example.com', first_name: 'Bø' },
      ],
      { campaign_slug: 'refer-a-friend', send_auto_invite_emails: false, pollInterval: 1 },
    );
    expect(
      rows.map((r) => [
        r.Email,
        r.LastName,
        r.ClientData_customer_id,
        r.ShareURL.startsWith(`${platform.url}/r/`),
        r.DashboardURL.includes('/iaf/refer-a-friend'),
      ]),
    ).toEqual([
      ['ann@example.com', 'Lee, Jr', '7', true, true],
      ['bo@example.com', '', '', true, true],
    ]);
    const signups = await api.reports.get('signups', 'refer-a-friend');
    expect(signups.map((r) => r.Email)).toEqual(['john@doe.com', 'jane@smith.com', 'ann@example.com', 'bo@example.com']);
  });

  it('friends: register and registerBatch, then the friends and voucher reports', async () => {
    const single = await api.friends.register({
      campaign_slug: 'refer-a-friend',
      distribute_friend_voucher: true,
      registration: { referrer_email: 'john@doe.com', friend_email: 'jane@smith.com', friend_first_name: 'Jane', terms_opt_in: true },
    });
    expect(single.created).toBe(true);
    const batch = await api.friends.registerBatch(
      [
        { referrer_email: 'john@doe.com', friend_email: 'kim@example.com', friend_first_name: 'Kim' },
        { referrer_email: 'nobody@example.com', friend_email: 'lou@example.com', friend_first_name: 'Lou' },
      ],
      { campaign_slug: 'refer-a-friend' },
    );
    expect(batch.problems.map((p) => p.message)).toEqual(['row 2: Friend not registered: no referrer nobody@example.com in this market']);
    expect((await api.reports.get('friends', 'refer-a-friend')).map((r) => r.FriendEmail)).toEqual(['jane@smith.com', 'kim@example.com']);
    expect((await api.reports.get('friend_voucher_distribution', 'refer-a-friend')).map((r) => r.FriendEmail)).toEqual(['jane@smith.com']);
  });

  it('a 400-day report is split into 90-day windows and concatenated in order', async () => {
    const end = Math.floor(Date.now() / 1000);
    const start = end - 400 * DAY;
    const orders = Array.from({ length: 40 }, (_, i) => order(`W${String(i).padStart(2, '0')}`, { order_timestamp: String(start + i * 10 * DAY + 1) }));
    await api.referrals.trackBatch(orders);
    const rows = await api.reports.get('who_referred_whom', 'refer-a-friend', { starts_at: start, ends_at: end });
    expect(rows.map((r) => r.OrderNumber)).toEqual(orders.map((o) => o.order_number));
    const streamed: string[] = [];
    for await (const row of api.reports.stream('who_referred_whom', 'refer-a-friend', { starts_at: new Date(start * 1000), ends_at: new Date(end * 1000) }))
      streamed.push(row.OrderNumber);
    expect(streamed).toEqual(rows.map((r) => r.OrderNumber));
  });

  it('subscriptions and forget', async () => {
    expect((await api.subscriptions.unsubscribe({ user: { email: 'john@doe.com' } })).problems).toEqual([]);
    const batch = await api.subscriptions.subscribeBatch(['john@doe.com', 'ghost@example.com']);
    expect(batch.problems.map((p) => p.message)).toEqual(['row 2: No refer-a-friend user with email ghost@example.com']);
    expect((await api.users.forget({ user: { email: 'john@doe.com' } })).problems).toEqual([]);
    expect((await api.users.forgetBatch(['john@doe.com'])).problems.map((p) => p.message)).toEqual(['row 1: No refer-a-friend user with email john@doe.com']);
    expect(await api.reports.get('signups', 'refer-a-friend')).toEqual([]);
  });
});
