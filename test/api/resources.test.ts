// @vitest-environment node
import { parse } from 'csv-parse/sync';
import { describe, expect, it, vi } from 'vitest';
import { BuyapowaApi, BuyapowaApiError } from '../../src/api';
import { reportWindows } from '../../src/api/reports';
import type { TrackingOrder } from '../../src/api/referrals';
import { ORDER, MARKET, TOKEN, csv, json, scriptedFetch, type Recorded } from './fake-fetch';

const api = (fetch: ReturnType<typeof scriptedFetch>) => new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch, initialRetryDelay: 1, maxRetryDelay: 2 });
const csvOf = (call: Recorded) => (call.form!.get('csv') as Blob).text();

async function rejection(promise: Promise<unknown>): Promise<BuyapowaApiError> {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(BuyapowaApiError);
  return error as BuyapowaApiError;
}

describe('batches', () => {
  it('writes the guide CSV headings, ClientData_ columns and tricky values', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const orders: TrackingOrder[] = [
      { ...ORDER, full_name: 'Zoë "Z", Ångström\nJr', client_data: { membership_number: '1,2' } },
      { ...ORDER, order_number: 'ORDER2', marketing_opt_in: false, client_data: { tier: 'gold' } },
    ];
    const result = await api(fetch).referrals.trackBatch(orders);
    expect(fetch.calls[0].url).toBe('https://api.co-buying.com/api/referrals/track');
    expect(fetch.calls[0].headers).toMatchObject({ auth_id: MARKET, auth_token: TOKEN });
    const text = await csvOf(fetch.calls[0]);
    expect(text.split('\n')[0]).toBe(
      'ReferrerEmail,VoucherCode,FullName,EmailAddress,MarketingOptIn,OrderValue,OrderNumber,OrderTimestamp,RewardCategory,ClientData_membership_number,ClientData_tier,Locale',
    );
    const rows = parse(text, { columns: true });
    expect(rows[0]).toMatchObject({ FullName: 'Zoë "Z", Ångström\nJr', ClientData_membership_number: '1,2', ClientData_tier: '', MarketingOptIn: 'true' });
    expect(rows[1]).toMatchObject({ OrderNumber: 'ORDER2', MarketingOptIn: 'false', ClientData_tier: 'gold' });
    expect(result).toMatchObject({ rows: 2, createdChunks: 1, problems: [] });
  });

  it('chunks a generator, with row ranges and the problems each chunk noted', async () => {
    const fetch = scriptedFetch([json(201, {}), json(200, { problems: ['row 2: Referral not created: order_number O4 was already tracked'] }), json(201, {})]);
    function* orders() {
      for (let i = 1; i <= 5; i++) yield { ...ORDER, order_number: `O${i}` };
    }
    const progress: number[] = [];
    const result = await api(fetch).referrals.trackBatch(orders(), { rowsPerRequest: 2, onProgress: (p) => progress.push(p.rowsSent) });
    expect(fetch.calls).toHaveLength(3);
    expect(result.chunks.map((c) => [c.index, c.firstRow, c.lastRow, c.status])).toEqual([
      [0, 1, 2, 201],
      [1, 3, 4, 200],
      [2, 5, 5, 201],
    ]);
    expect(result.problems).toEqual([{ firstRow: 3, lastRow: 4, row: 4, message: 'row 2: Referral not created: order_number O4 was already tracked' }]);
    expect(progress).toEqual([2, 4, 5]);
  });

  it('takes an async iterable', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    async function* emails() {
      yield 'john@doe.com';
      yield { email: 'jane@smith.com' };
    }
    await api(fetch).subscriptions.unsubscribeBatch(emails());
    expect(fetch.calls[0].url).toBe('https://api.co-buying.com/api/subscriptions/unsubscribe');
    expect(await csvOf(fetch.calls[0])).toBe('Email\njohn@doe.com\njane@smith.com\n');
  });

  it('checks a whole array before sending anything', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const rows = [
      { order_number: 'A', status: 'confirmed' },
      { order_number: 'B', status: 'shipped' },
    ];
    const error = await rejection(api(fetch).referrals.reconcileBatch(rows as never, { rowsPerRequest: 1 }));
    expect(fetch.calls).toHaveLength(0);
    expect(error.problems).toEqual(['"row 2.status" expected one of confirmed, failed, manual-pass, restore, received "shipped"']);
  });

  it('stops an iterable at the first chunk with a bad row, saying what was sent', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    function* rows() {
      yield { order_number: 'A', status: 'confirmed' };
      yield { order_number: 'B', status: 'manual‑pass' };
      yield { order_number: 'C', status: 'nope' };
    }
    const error = await rejection(api(fetch).referrals.reconcileBatch(rows() as never, { rowsPerRequest: 2 }));
    expect(fetch.calls).toHaveLength(1);
    expect(await csvOf(fetch.calls[0])).toBe('OrderNumber,Status,RewardCategory\nA,confirmed,\nB,manual-pass,\n');
    expect(error.batch).toEqual({ firstRow: 3, lastRow: 3, rowsSent: 2 });
    expect(error.message).toContain('2 row(s) before these were already sent.');
  });

  it('puts the failed chunk on a server error', async () => {
    const fetch = scriptedFetch([json(201, {}), json(422, { problems: ['Payload too large'] })]);
    const error = await rejection(api(fetch).users.forgetBatch(['a@b.co', 'c@d.co', 'e@f.co'], { rowsPerRequest: 2 }));
    expect(error).toMatchObject({ code: 'unprocessable', status: 422, problems: ['Payload too large'], batch: { firstRow: 3, lastRow: 3, rowsSent: 2 } });
  });

  it('dry-runs: checks and builds the CSV, sends nothing', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const result = await api(fetch).subscriptions.subscribeBatch(['a@b.co'], { dryRun: true });
    expect(fetch.calls).toHaveLength(0);
    expect(result.chunks[0].body).toBe('Email\na@b.co\n');
  });
});

describe('single calls of the other APIs', () => {
  it('reconcile, subscribe, unsubscribe, forget post the guide objects', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const client = api(fetch);
    await client.referrals.reconcile({ order: { order_number: 'ORDER928', status: 'confirmed', reward_category: '25OFF' } });
    await client.subscriptions.subscribe({ user: { email: 'john@doe.com' } });
    await client.subscriptions.unsubscribe({ user: { email: 'john@doe.com' } });
    await client.users.forget({ user: { email: 'john@doe.com' } });
    expect(fetch.calls.map((c) => [new URL(c.url).pathname, c.json])).toEqual([
      ['/api/referrals/confirmations', { order: { order_number: 'ORDER928', status: 'confirmed', reward_category: '25OFF' } }],
      ['/api/subscriptions/subscribe', { user: { email: 'john@doe.com' } }],
      ['/api/subscriptions/unsubscribe', { user: { email: 'john@doe.com' } }],
      ['/api/users/forget', { user: { email: 'john@doe.com' } }],
    ]);
  });

  it('friends.register sends booleans as booleans; registerBatch adds the form fields', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const registration = {
      referrer_email: 'john@doe.com',
      friend_email: 'jane@smith.com',
      friend_first_name: 'Jane',
      terms_opt_in: true,
      marketing_opt_in: 'false' as never,
    };
    await api(fetch).friends.register({ campaign_slug: 'refer-a-friend', distribute_friend_voucher: true, registration });
    expect(fetch.calls[0].json).toEqual({
      campaign_slug: 'refer-a-friend',
      distribute_friend_voucher: true,
      registration: { referrer_email: 'john@doe.com', friend_email: 'jane@smith.com', friend_first_name: 'Jane', terms_opt_in: true, marketing_opt_in: false },
    });
    await api(fetch).friends.registerBatch([registration], { campaign_slug: 'refer-a-friend', distribute_friend_voucher: true });
    const form = fetch.calls[1].form!;
    expect(form.get('campaign_slug')).toBe('refer-a-friend');
    expect(form.get('distribute_friend_voucher')).toBe('true');
    expect((await csvOf(fetch.calls[1])).split('\n')[0]).toBe(
      'ReferrerEmail,FriendEmail,FriendFirstName,FriendLastName,CustomFieldValue,TermsOptIn,MarketingOptIn,Locale',
    );
  });

  it('signups.create returns share_url and dashboard_url', async () => {
    const links = { share_url: 'https://example.com/share_path', dashboard_url: 'https://example.com/dashboard_path' };
    const fetch = scriptedFetch([json(200, links)]);
    const result = await api(fetch).signups.create({
      campaign_slug: 'refer-a-friend',
      send_auto_invite_email: true,
      signup: { email: 'jane@smith.com', first_name: 'Jane' },
    });
    expect(result).toMatchObject({ ...links, status: 200, body: links });
    expect(fetch.calls[0].json).toEqual({
      campaign_slug: 'refer-a-friend',
      send_auto_invite_email: true,
      signup: { email: 'jane@smith.com', first_name: 'Jane' },
    });
  });

  it('names a bad campaign slug and flag', async () => {
    const fetch = scriptedFetch([json(200, {})]);
    const error = await rejection(
      api(fetch).signups.create({ campaign_slug: '', send_auto_invite_email: 'yes' as never, signup: { email: 'x', first_name: 'J' } }),
    );
    expect(error.problems).toEqual([
      '"campaign_slug" expected a campaign slug (a non-empty string without /, ?, # or spaces), received ""',
      '"send_auto_invite_email" expected true or false, received "yes"',
      '"signup.email" expected an email address, received "x"',
    ]);
  });
});

describe('signups.createBatch', () => {
  it('uploads, follows the 303 and polls through 202 until the 200 CSV', async () => {
    const fetch = scriptedFetch([
      json(303, { url: 'http://api.co-buying.com/api/signups/download/u-1' }, { location: 'http://api.co-buying.com/api/signups/download/u-1' }),
      new Response(null, { status: 202 }),
      csv(200, 'Email,FirstName,ShareURL,DashboardURL\njane@smith.com,Jane,https://s/1,https://d/1\n'),
    ]);
    const rows = await api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], {
      campaign_slug: 'refer-a-friend',
      send_auto_invite_emails: true,
      pollInterval: 1,
    });
    expect(rows).toEqual([{ Email: 'jane@smith.com', FirstName: 'Jane', ShareURL: 'https://s/1', DashboardURL: 'https://d/1' }]);
    expect(fetch.calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', 'https://api.co-buying.com/api/signups/upload'],
      ['GET', 'https://api.co-buying.com/api/signups/download/u-1'],
      ['GET', 'https://api.co-buying.com/api/signups/download/u-1'],
    ]);
    expect(fetch.calls[0].form!.get('send_auto_invite_emails')).toBe('true');
    expect(fetch.calls[0].form!.get('campaign_slug')).toBe('refer-a-friend');
    expect(fetch.calls[1].headers.auth_token).toBe(TOKEN);
  });

  it("waits a 202's Retry-After, an HTTP date too, never past pollTimeout", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const fetch = scriptedFetch([
        json(303, {}, { location: 'https://api.co-buying.com/api/signups/download/u-1' }),
        new Response(null, { status: 202, headers: { 'retry-after': new Date(Date.now() + 5000).toUTCString() } }),
        csv(200, 'Email,FirstName,ShareURL,DashboardURL\n'),
      ]);
      const call = api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'c', pollInterval: 1 });
      // The old rule read only seconds (Number(header)): a date fell back to the 1 ms interval.
      await vi.advanceTimersByTimeAsync(3000);
      expect(fetch.calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(3000);
      expect(await call).toEqual([]);
      expect(fetch.calls).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never sends the credentials to another origin', async () => {
    const fetch = scriptedFetch([json(303, {}, { location: 'https://files.example.net/download/u-1' }), csv(200, 'Email,FirstName,ShareURL,DashboardURL\n')]);
    await api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'c' });
    expect(fetch.calls[1].url).toBe('https://files.example.net/download/u-1');
    expect(fetch.calls[1].headers.auth_token).toBeUndefined();
  });

  it('sends the credentials only to URLs whose origin is exactly the API host', async () => {
    // Another host that starts like the API's, or hides it as a user name: no credentials.
    for (const location of ['https://api.co-buying.com.evil.net/download/u-1', 'https://api.co-buying.com@evil.net/download/u-1']) {
      const fetch = scriptedFetch([json(303, {}, { location }), csv(200, 'Email,FirstName,ShareURL,DashboardURL\n')]);
      await api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'c' });
      expect(new URL(fetch.calls[1].url).hostname, location).toBe(new URL(location).hostname);
      expect(fetch.calls[1].headers.auth_token, location).toBeUndefined();
    }
    // The API's host written another way (case, default port): the API's origin, with them.
    const fetch = scriptedFetch([
      json(303, {}, { location: 'https://API.co-buying.com:443/download/u-1' }),
      csv(200, 'Email,FirstName,ShareURL,DashboardURL\n'),
    ]);
    await api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'c' });
    expect(fetch.calls[1].url).toBe('https://api.co-buying.com/download/u-1');
    expect(fetch.calls[1].headers.auth_token).toBe(TOKEN);
  });
});

describe('reports', () => {
  it('splits a 400-day range into 90-day windows', () => {
    const start = 1_700_000_000;
    const windows = reportWindows('friends', 'c', { starts_at: start, ends_at: start + 400 * 86_400 });
    expect(windows).toHaveLength(5);
    expect(windows[0]).toEqual({ starts_at: start, ends_at: start + 90 * 86_400 });
    expect(windows[4]).toEqual({ starts_at: start + 360 * 86_400, ends_at: start + 400 * 86_400 });
    expect(reportWindows('signups', 'c', { starts_at: start, ends_at: start + 400 * 86_400 })).toHaveLength(2);
    expect(reportWindows('signups', 'c', {})).toEqual([undefined]);
  });

  it('a range up to now includes the current second (windows are [starts_at, ends_at))', () => {
    const now = 1_700_000_000_500; // ms: half-way through second 1_700_000_000
    const windows = reportWindows('friends', 'c', { starts_at: 1_700_000_000 - 10 }, now);
    expect(windows).toEqual([{ starts_at: 1_700_000_000 - 10, ends_at: 1_700_000_001 }]);
  });

  it('names a bad report type and range', () => {
    expect(() => reportWindows('everything', 'c', { starts_at: 'yesterday' as never })).toThrow(
      '"report_type" expected one of signups, friend_voucher_distribution, friends, pending_referrals, who_referred_whom, top_referrers, all_vouchers_distribution, received "everything"; "starts_at" expected UNIX seconds or a Date, received "yesterday"',
    );
  });

  it('get concatenates the windows in order; stream yields the same rows', async () => {
    let n = 0;
    const answer = () => csv(200, `Email,Name\nuser${++n}@x.co,"Zoë, ""Z"""\n`);
    const fetch = scriptedFetch([answer]);
    const start = new Date('2024-01-01T00:00:00Z');
    const end = new Date(start.getTime() + 200 * 86_400_000);
    const rows = await api(fetch).reports.get('who_referred_whom', 'refer-a-friend', { starts_at: start, ends_at: end });
    expect(rows).toEqual([1, 2, 3].map((i) => ({ Email: `user${i}@x.co`, Name: 'Zoë, "Z"' })));
    const query = new URL(fetch.calls[0].url).searchParams;
    expect(new URL(fetch.calls[0].url).pathname).toBe('/api/reports/who_referred_whom/refer-a-friend');
    expect([query.get('starts_at'), query.get('ends_at')]).toEqual(['1704067200', String(1704067200 + 90 * 86_400)]);
    const streamed = [];
    for await (const row of api(fetch).reports.stream('who_referred_whom', 'refer-a-friend', { starts_at: start, ends_at: end })) streamed.push(row);
    expect(streamed.map((r) => r.Email)).toEqual(['user4@x.co', 'user5@x.co', 'user6@x.co']);
  });
});

describe('signups.createBatch without a 303', () => {
  it('rejects with the problems of a 200 upload answer', async () => {
    const fetch = scriptedFetch([json(200, { problems: ['The uploaded CSV is missing a required column: FirstName'] })]);
    const error = await rejection(api(fetch).signups.createBatch([{ email: 'jane@smith.com', first_name: 'Jane' }], { campaign_slug: 'c' }));
    expect(error).toMatchObject({ code: 'unprocessable', status: 200, problems: ['The uploaded CSV is missing a required column: FirstName'] });
    expect(fetch.calls).toHaveLength(1);
  });
});
