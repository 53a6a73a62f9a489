// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkTimeout, checkTrackUrl, marketOfUrl, resolveConfig } from '../../src/browser/config';
import { BuyapowaError } from '../../src/core/errors';

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

  it('refuses a path up front, saying the path is the problem', () => {
    expect(errorOf({ url: 'https://bp.shop.com/refer', market: 'm' }).problems).toEqual([
      'track: "url" expected your market domain alone, like "https://bp.your-website.com", received "https://bp.shop.com/refer": remove the path "/refer"',
    ]);
    expect(errorOf({ url: 'https://bp.shop.com/?x=1', market: 'm' }).problems[0]).toContain(': remove the query "?x=1"');
    expect(resolveConfig({ url: 'https://bp.shop.com/', market: 'm' }, 'x').base).toBe('https://bp.shop.com');
  });

  it.each([
    ['https://{{market_domain}}', 'demo'],
    ['https://bp.your-website.com', 'demo'],
    ['https://bp.shop.com', 'your-market'],
    ['https://bp.shop.com', '<market>'],
  ])('says a placeholder of the guide was left in (%s, %s): one problem each', (url, market) => {
    const { problems } = errorOf({ url, market });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/received ".*" \(a placeholder from the integration guide was left in\)$/);
  });

  it('reads any value without throwing anything but BuyapowaError', () => {
    const getter = Object.defineProperty({}, 'url', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    for (const config of [
      getter,
      proxy,
      Symbol('s'),
      42,
      'https://bp.shop.com',
      { url: Symbol('u'), market: Symbol('m') },
      { url: 'https://bp.shop.com', market: 'm', timeout: Symbol('t'), trackUrl: Symbol('t') },
    ]) {
      const error = errorOf(config, (c) => checkTrackUrl(c) || checkTimeout(c));
      expect(error).toBeInstanceOf(BuyapowaError);
    }
    expect(errorOf({ url: Symbol('u'), market: 'm' }).problems).toEqual([
      'track: "url" expected your market domain, like "https://bp.your-website.com", received Symbol(u)',
    ]);
    expect(errorOf(proxy).problems[0]).toBe('track: "config" expected an object like { url, market } whose fields can be read, received an object');
  });

  it('names every problem with what was expected and what arrived', () => {
    const error = errorOf({ url: 'https://{{market_domain}}', market: '{{market}}', timeout: -1, trackUrl: '/track' });
    expect(error).toBeInstanceOf(BuyapowaError);
    expect(error.code).toBe('invalid_config');
    expect(error.problems).toEqual([
      'track: "url" expected your market domain, like "https://bp.your-website.com", received "https://{{market_domain}}" (a placeholder from the integration guide was left in)',
      'track: "market" expected your market id, received "{{market}}" (a placeholder from the integration guide was left in)',
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

describe('marketOfUrl', () => {
  it('reads the market from the first label of {market}.co-buying.com or .net', () => {
    expect(
      [
        'https://acme.co-buying.com',
        'https://acme.co-buying.com/',
        'http://acme.co-buying.net',
        'acme.co-buying.com',
        '//Acme.CO-BUYING.com/',
        ' acme.co-buying.com\n',
      ].map(marketOfUrl),
    ).toEqual(Array(6).fill('acme'));
    expect(marketOfUrl('https://my-shop-2.co-buying.net')).toBe('my-shop-2');
  });

  it('finds none elsewhere, with a path, a port, a deeper subdomain or a lookalike domain', () => {
    for (const url of [
      'https://bp.shop.com',
      'https://co-buying.com',
      'https://acme.co-buying.com/x',
      'https://acme.co-buying.com:8443',
      'https://a.b.co-buying.com',
      'https://acme.co-buying.com.evil.com',
      'https://acme-co-buying.com',
      'ftp://acme.co-buying.com',
      'https://acme.co-buying.com?x=1',
      '',
    ])
      expect(marketOfUrl(url)).toBeUndefined();
  });
});
