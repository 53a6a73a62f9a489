// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { BuyapowaApi, BuyapowaApiError } from '../../src/api';
import { ORDER, MARKET, TOKEN, json, scriptedFetch } from './fake-fetch';

const api = (fetch: ReturnType<typeof scriptedFetch>, extra = {}) =>
  new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch, initialRetryDelay: 1, maxRetryDelay: 2, ...extra });

async function rejection(promise: Promise<unknown>): Promise<BuyapowaApiError> {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(BuyapowaApiError);
  return error as BuyapowaApiError;
}

describe('BuyapowaApi options', () => {
  it('picks the region host, and baseUrl overrides it', () => {
    const fetch = scriptedFetch([json(201, {})]);
    expect(new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch }).baseUrl).toBe('https://api.co-buying.com');
    expect(new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch, region: 'na' }).baseUrl).toBe('https://api.co-buying.net');
    expect(new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch, region: 'na', baseUrl: 'http://127.0.0.1:9/' }).baseUrl).toBe('http://127.0.0.1:9');
  });

  it('names each bad option, and never shows the token', () => {
    let error: unknown;
    try {
      new BuyapowaApi({ market: '', authToken: TOKEN, region: 'uk' as never, maxRetries: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuyapowaApiError);
    const { code, problems, message } = error as BuyapowaApiError;
    expect(code).toBe('invalid_request');
    expect(problems).toEqual([
      '"market" expected your market ID (a non-empty string), received ""',
      '"region" expected "eu" or "na", received "uk"',
      '"maxRetries" expected a number ≥ 0, received -1',
    ]);
    expect(message).not.toContain(TOKEN);
  });
});

describe('api.referrals.track', () => {
  it('posts the guide object as JSON with auth_id and auth_token headers', async () => {
    const fetch = scriptedFetch([json(201, { status: 'created' })]);
    const result = await api(fetch).referrals.track({ order: ORDER });
    expect(result).toEqual({ status: 201, created: true, problems: [], body: { status: 'created' } });
    const [call] = fetch.calls;
    expect(call.url).toBe('https://api.co-buying.com/api/referrals/track');
    expect(call.method).toBe('POST');
    expect(call.headers).toMatchObject({ auth_id: MARKET, auth_token: TOKEN, 'content-type': 'application/json' });
    expect(call.json).toEqual({ order: ORDER });
    expect(call.url).not.toContain(TOKEN);
  });

  it('sends every value as the string the guide documents', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    await api(fetch).referrals.track({
      order: { email_address: 'jane@smith.com', order_value: 12.5, order_number: 42, order_timestamp: new Date(1321009871000), marketing_opt_in: false },
    });
    expect(fetch.calls[0].json.order).toEqual({
      email_address: 'jane@smith.com',
      order_value: '12.50',
      order_number: '42',
      order_timestamp: '1321009871',
      marketing_opt_in: 'false',
    });
  });

  it('resolves a 200 with the problems in its body', async () => {
    const fetch = scriptedFetch([json(200, { problems: ['Referral not created: order_number ORDER12345678 was already tracked'] })]);
    const result = await api(fetch).referrals.track({ order: ORDER });
    expect(result.status).toBe(200);
    expect(result.created).toBe(false);
    expect(result.problems).toEqual(['Referral not created: order_number ORDER12345678 was already tracked']);
  });

  it('checks the order before sending: field, expected, received', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const error = await rejection(
      api(fetch).referrals.track({
        order: { ...ORDER, order_value: '£12.89', order_timestamp: String(1321009871000), referrer_email: 'john', status: 'x' } as never,
      }),
    );
    expect(fetch.calls).toHaveLength(0);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(0);
    expect(error.retryable).toBe(false);
    expect(error.problems).toEqual([
      '"order.status" is not a field the guide documents; expected one of referrer_email, voucher_code, full_name, email_address, marketing_opt_in, order_value, order_number, order_timestamp, reward_category, client_data, locale',
      '"order.referrer_email" expected an email address, received "john"',
      '"order.order_value" expected an amount as XX.YY without a currency symbol, received "£12.89"',
      '"order.order_timestamp" expected a UNIX timestamp in seconds (this looks like milliseconds: divide by 1000), received "1321009871000"',
    ]);
  });

  it('names a missing required field and a missing wrapper', async () => {
    const fetch = scriptedFetch([json(201, {})]);
    const { order_number: _, ...withoutNumber } = ORDER;
    expect((await rejection(api(fetch).referrals.track({ order: withoutNumber as never }))).problems).toEqual([
      '"order.order_number" expected a non-empty string (required), received undefined',
    ]);
    expect((await rejection(api(fetch).referrals.track(ORDER as never))).problems).toEqual(['"order" expected an object, received undefined']);
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    const fetch = scriptedFetch([json(429, {}, { 'retry-after': '0' }), json(500, {}), json(503, {}), json(201, {})]);
    const result = await api(fetch).referrals.track({ order: ORDER });
    expect(result.created).toBe(true);
    expect(fetch.calls).toHaveLength(4);
  });

  it('retries 408 (the server timed out waiting), then succeeds; once spent it is a retryable server_error', async () => {
    const fetch = scriptedFetch([json(408, {}), json(201, {})]);
    expect((await api(fetch).referrals.track({ order: ORDER })).created).toBe(true);
    expect(fetch.calls).toHaveLength(2);
    const timingOut = scriptedFetch([json(408, {})]);
    const error = await rejection(api(timingOut, { maxRetries: 1 }).referrals.track({ order: ORDER }));
    expect(timingOut.calls).toHaveLength(2);
    expect(error).toMatchObject({ code: 'server_error', status: 408, retryable: true });
  });

  it("carries the last answer's headers and its Retry-After on the error", async () => {
    const fetch = scriptedFetch([json(503, {}, { 'retry-after': '7', 'x-request-id': 'r-1' })]);
    const error = await rejection(api(fetch, { maxRetries: 0 }).referrals.track({ order: ORDER }));
    expect(error.headers.get('x-request-id')).toBe('r-1');
    expect(error.retryAfter).toBe(7000);
    const limited = await rejection(api(scriptedFetch([json(429, {}, { 'retry-after': '3600' })])).referrals.track({ order: ORDER }));
    expect(limited.retryAfter).toBe(3_600_000);
    const refused = await rejection(api(scriptedFetch([json(422, { errors: ['no'] })])).referrals.track({ order: ORDER }));
    expect([refused.retryAfter, refused.headers.get('content-type')]).toEqual([undefined, 'application/json']);
  });

  it('honours Retry-After: no retry before it has passed', async () => {
    vi.useFakeTimers();
    try {
      const fetch = scriptedFetch([json(429, {}, { 'retry-after': '2' }), json(201, {})]);
      const call = api(fetch).referrals.track({ order: ORDER });
      await vi.advanceTimersByTimeAsync(1900);
      expect(fetch.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(200);
      expect(fetch.calls).toHaveLength(2);
      expect((await call).created).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    try {
      const fetch = scriptedFetch([json(503, {}), json(503, {}), json(201, {})]);
      const call = new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch }).referrals.track({ order: ORDER });
      await vi.advanceTimersByTimeAsync(499);
      expect(fetch.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetch.calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(999);
      expect(fetch.calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetch.calls).toHaveLength(3);
      expect((await call).created).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up on a Retry-After beyond a minute instead of hanging', async () => {
    const fetch = scriptedFetch([json(429, {}, { 'retry-after': '3600' })]);
    const error = await rejection(api(fetch).referrals.track({ order: ORDER }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(fetch.calls).toHaveLength(1);
  });

  it('rejects rate_limited / server_error once maxRetries is spent', async () => {
    const limited = scriptedFetch([json(429, {})]);
    const error = await rejection(api(limited, { maxRetries: 2 }).referrals.track({ order: ORDER }));
    expect(limited.calls).toHaveLength(3);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true });
    const failing = scriptedFetch([json(500, { error: 'boom' })]);
    const serverError = await rejection(api(failing, { maxRetries: 0 }).referrals.track({ order: ORDER }));
    expect(failing.calls).toHaveLength(1);
    expect(serverError).toMatchObject({ code: 'server_error', status: 500, problems: ['boom'] });
  });

  it('retries network errors, then rejects with code network', async () => {
    const down = scriptedFetch([new TypeError('fetch failed')]);
    const error = await rejection(api(down, { maxRetries: 1 }).referrals.track({ order: ORDER }));
    expect(down.calls).toHaveLength(2);
    expect(error).toMatchObject({ code: 'network', status: 0, retryable: true });
    expect(error.message).toBe('POST /api/referrals/track failed after 2 attempt(s): fetch failed');
  });

  it('times out an attempt that never answers', async () => {
    const never = (async (_url: string, init: RequestInit) =>
      new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as never;
    const error = await rejection(
      new BuyapowaApi({ market: MARKET, authToken: TOKEN, fetch: never, maxRetries: 0, timeout: 20 }).referrals.track({ order: ORDER }),
    );
    expect(error.code).toBe('network');
    expect(error.message).toContain('no answer within 20 ms');
  });

  it('maps 401, 404 and 422 without retrying, and keeps the token out of the error', async () => {
    for (const [status, code] of [
      [401, 'unauthorized'],
      [404, 'not_found'],
      [422, 'unprocessable'],
    ] as const) {
      const fetch = scriptedFetch([json(status, { problems: [`bad token ${TOKEN}`] })]);
      const error = await rejection(api(fetch).referrals.track({ order: ORDER }));
      expect(fetch.calls).toHaveLength(1);
      expect(error).toMatchObject({ code, status, retryable: false, problems: ['bad token [auth_token]'] });
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error.body)).not.toContain(TOKEN);
    }
  });

  it('reads a plain-text 422 body as one problem', async () => {
    const fetch = scriptedFetch([new Response('Where a CSV is required, an XLS file was uploaded', { status: 422 })]);
    const error = await rejection(api(fetch).referrals.track({ order: ORDER }));
    expect(error.problems).toEqual(['Where a CSV is required, an XLS file was uploaded']);
    expect(error.message).toBe('POST /api/referrals/track answered 422 (unprocessable): Where a CSV is required, an XLS file was uploaded');
  });
});
