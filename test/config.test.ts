import { describe, expect, it } from 'vitest';
import { checkTimeout, checkTrackUrl, resolveConfig } from '../src/config';
import { BuyapowaError } from '../src/errors';

const errorOf = (config: unknown, check = checkTrackUrl) => {
  try {
    resolveConfig(config as never, 'track', check);
  } catch (error) {
    return error as BuyapowaError;
  }
  throw new Error('expected an error');
};

describe('resolveConfig', () => {
  it('resolves the market domain URL', () => {
    const c = resolveConfig({ url: 'https://bp.shop.com/', market: ' demo ' }, 'x');
    expect(c).toMatchObject({ origin: 'https://bp.shop.com', base: 'https://bp.shop.com', market: 'demo' });
  });

  it('completes a URL without scheme', () => {
    expect(resolveConfig({ url: 'bp.shop.com', market: 'm' }, 'x').origin).toBe('https://bp.shop.com');
    expect(resolveConfig({ url: '//bp.shop.com/', market: 'm' }, 'x').base).toBe('https://bp.shop.com');
  });

  it('keeps a path prefix', () => {
    expect(resolveConfig({ url: 'https://shop.com/bp/', market: 'm' }, 'x').base).toBe('https://shop.com/bp');
  });

  it('names every problem with what was expected and what arrived', () => {
    const error = errorOf({ url: 'https://{{market_domain}}', market: '{{market}}', timeout: -1, trackUrl: '/track' });
    expect(error).toBeInstanceOf(BuyapowaError);
    expect(error.code).toBe('invalid_config');
    expect(error.problems).toEqual([
      'track: "url" expected your market domain, like "https://bp.your-website.com", received "https://{{market_domain}}"',
      'track: "market" expected your market id, received "{{market}}"',
      'track: "trackUrl" expected an absolute URL, received "/track"',
    ]);
  });

  it('checks an option only for the function that uses it', () => {
    const config = { url: 'https://bp.shop.com', market: 'm', timeout: -1, trackUrl: '/track' };
    expect(errorOf(config, checkTimeout).problems).toEqual(['track: "timeout" expected milliseconds above 0, received -1']);
    expect(() => resolveConfig(config, 'captureReferral')).not.toThrow();
  });

  it('reports a missing config', () => {
    expect(errorOf(undefined).problems).toEqual([
      'track: "url" expected your market domain, like "https://bp.your-website.com", received undefined',
      'track: "market" expected your market id, received undefined',
    ]);
  });

  it('reports a non-string market', () => {
    expect(errorOf({ url: 'https://bp.shop.com', market: 42 }).problems).toEqual(['track: "market" expected your market id, received 42']);
  });
});
