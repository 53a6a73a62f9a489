// @vitest-environment node
// The guide's segmentation endpoints: Basic auth, customer (custom field) and friend (email) checks.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSegmentationHandler } from '../../src/server';

afterEach(() => vi.restoreAllMocks());

const AUTH = { username: 'buyapowa', password: 's3cret:with colon' };
const get = (query: string, authorization: string | null = 'Basic ' + btoa(AUTH.username + ':' + AUTH.password)) =>
  new Request('https://www.shop.test/api/customer' + query, { headers: authorization === null ? {} : { authorization } });

const members = new Set(['ABCD']);
const customers = new Set(['known@shop.test']);
const handler = createSegmentationHandler({
  auth: AUTH,
  customer: async ({ membership_number }) => members.has(membership_number),
  friend: async (email) => customers.has(email),
});

describe('createSegmentationHandler', () => {
  it('answers 401 with WWW-Authenticate without the right Basic credentials', async () => {
    for (const authorization of [null, 'Basic ' + btoa('buyapowa:wrong'), 'Basic ' + btoa('buyapowa:s3cret:with colo'), 'Basic !!!', 'Digest x']) {
      const response = await handler(get('?membership_number=ABCD', authorization));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="Buyapowa segmentation", charset="UTF-8"');
    }
  });

  it('customer: 200 when the sign-up is allowed, 404 when not', async () => {
    expect((await handler(get('?membership_number=ABCD'))).status).toBe(200);
    expect((await handler(get('?membership_number=NOPE'))).status).toBe(404);
  });

  it('friend: 200 when the person already exists (not eligible), 404 when eligible', async () => {
    expect((await handler(get('?email=known%40shop.test'))).status).toBe(200);
    expect((await handler(get('?email=new%40shop.test'))).status).toBe(404);
  });

  it('answers 400 without a query, 405 for a POST, 500 when a check throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await handler(get(''))).status).toBe(400);
    const post = new Request('https://www.shop.test/api/customer?email=a', {
      method: 'POST',
      headers: { authorization: 'Basic ' + btoa(AUTH.username + ':' + AUTH.password) },
    });
    expect((await handler(post)).status).toBe(405);
    const failing = createSegmentationHandler({ auth: AUTH, friend: () => Promise.reject(new Error('db down')) });
    expect((await failing(get('?email=a%40b.co'))).status).toBe(500);
    expect((await failing(get('?membership_number=1'))).status).toBe(501);
  });

  it('logs a check that threw through the logger option', async () => {
    const logger = { error: vi.fn(), warn: vi.fn() };
    const error = vi.spyOn(console, 'error');
    const throwing = createSegmentationHandler({
      auth: AUTH,
      friend: () => {
        throw new Error('db down');
      },
      logger,
    });
    expect((await throwing(get('?email=a%40b.test'))).status).toBe(500);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('the friend check threw'), expect.objectContaining({ message: 'db down' }));
    expect(error).not.toHaveBeenCalled();
  });

  it('refuses to start without credentials or a check', () => {
    expect(() => createSegmentationHandler({ customer: () => true } as never)).toThrow(/"auth" expected HTTP Basic credentials/);
    expect(() => createSegmentationHandler({ auth: { username: 'a', password: '' } })).toThrow(
      /"auth.password" expected a non-empty string[\s\S]*"customer" or "friend"/,
    );
  });
});
