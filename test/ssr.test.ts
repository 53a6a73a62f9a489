// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

describe('server-side rendering', () => {
  it('imports without a window, doing and throwing nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const sdk = await import('../src/index');
    expect(typeof window).toBe('undefined');
    expect(sdk.captureReferral()).toBeNull();
    expect(sdk.getReferral()).toBeNull();
    expect(() => sdk.clearReferral()).not.toThrow();
    expect(() => sdk.flushConversions()).not.toThrow();
    expect(() => new sdk.Buyapowa({ url: 'https://bp.shop.com', market: 'm' })).not.toThrow();
    await expect(sdk.track({ url: 'https://bp.shop.com', market: 'm' }, { order_number: '1', customer_email: 'a@b.co' })).rejects.toMatchObject({
      code: 'unsupported_environment',
    });
    await expect(sdk.embedReferAFriend({ url: 'https://bp.shop.com', market: 'm' }, { campaign: 'c' }).ready).rejects.toMatchObject({
      code: 'unsupported_environment',
    });
    log.mockRestore();
  });
});
