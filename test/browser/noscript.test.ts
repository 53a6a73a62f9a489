// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { noscriptPixelUrl } from '../../src/browser/noscript';

describe('noscriptPixelUrl (rendered on the server)', () => {
  it('builds the image URL with every normalised field', () => {
    const url = new URL(
      noscriptPixelUrl(
        { url: 'https://bp.shop.com', market: 'demo' },
        { order_number: 'ORDER123', customer_email: 'john@doe.com', order_value: 12.5, voucher_codes: ['A', 'B'], marketing_opt_in: true },
      ),
    );
    expect(url.origin + url.pathname).toBe('https://bp.shop.com/track.gif');
    expect(url.searchParams.get('v')).toBe('1');
    expect(url.searchParams.get('market')).toBe('demo');
    expect(url.searchParams.get('order_value')).toBe('12.50');
    expect(url.searchParams.get('marketing_opt_in')).toBe('true');
    expect(url.searchParams.getAll('voucher_codes')).toEqual(['A', 'B']);
  });

  it('throws one error naming each problem', () => {
    expect(() => noscriptPixelUrl({ url: 'https://bp.shop.com', market: 'demo' }, { order_number: '1' } as never)).toThrow(
      'noscriptPixelUrl: "customer_email" expected an email address like "jane@example.com", received undefined',
    );
  });
});
