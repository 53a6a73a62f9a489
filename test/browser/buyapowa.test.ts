import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answerWith, config, freshSdk } from '../helpers';

beforeEach(() => {
  document.body.innerHTML = '<div id="host"></div><div id="oops" style="display:none"></div>';
  history.replaceState(null, '', '/?bp_e=tok');
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

describe('the Buyapowa class', () => {
  it('takes the container and error container as the guide shows', async () => {
    const { sdk } = await freshSdk();
    const buyapowa = new sdk.Buyapowa(config, 'host', 'oops');
    expect(buyapowa.config).toMatchObject({ ...config, container: 'host', errorContainer: 'oops' });
    buyapowa.embedReferAFriend({ campaign: 'c' });
    expect(document.querySelector('#host iframe')).not.toBeNull();
  });

  it('captures the referral and flushes the outbox of its market when constructed', async () => {
    const { sdk, beacon } = await freshSdk();
    new sdk.Buyapowa(config);
    expect(sdk.getReferral()!.t).toEqual({ bp_e: 'tok' });
    expect(beacon).toHaveBeenCalledWith('https://bp.shop.com/click', expect.any(String));
  });

  it('delegates track to the free function', async () => {
    const { sdk } = await freshSdk();
    const fetch = answerWith(201);
    await expect(new sdk.Buyapowa(config).track({ order_number: 'O1', customer_email: 'a@b.co' })).resolves.toMatchObject({ status: 'delivered' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('never throws on construction, even with a bad config', async () => {
    const { sdk } = await freshSdk();
    const buyapowa = new sdk.Buyapowa(null as never);
    await expect(buyapowa.track({ order_number: 'O1', customer_email: 'a@b.co' })).rejects.toMatchObject({ code: 'invalid_config' });
  });
});

describe('the Buyapowa class, with the guide snippet left as it is', () => {
  it('logs one [Buyapowa] line per problem, without a stack trace, saying a placeholder was left in', async () => {
    const { sdk } = await freshSdk();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const buyapowa = new sdk.Buyapowa({ url: 'https://{{market_domain}}', market: '{{market}}' });
    const tracked = buyapowa.track({ customer_email: '<email_address>', order_number: '<unique_identifier>' });
    await expect(tracked).rejects.toMatchObject({ code: 'invalid_config' });
    buyapowa.captureReferral();
    const lines = error.mock.calls.map((call) => call.map(String).join(' ').trim());
    expect(lines).toEqual([
      '[Buyapowa] new Buyapowa: "url" expected your market domain, like "https://bp.your-website.com", received "https://{{market_domain}}" (a placeholder from the integration guide was left in)',
      '[Buyapowa] new Buyapowa: "market" expected your market id, received "{{market}}" (a placeholder from the integration guide was left in)',
    ]);
    for (const line of lines) expect(line).not.toMatch(/\n\s+at /);
  });

  it('reports a url with a path up front, naming the path', async () => {
    const { sdk } = await freshSdk();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    new sdk.Buyapowa({ url: 'https://bp.shop.com/refer', market: 'demo' });
    expect(error.mock.calls.map((call) => String(call[0]))).toEqual([
      '[Buyapowa] new Buyapowa: "url" expected your market domain alone, like "https://bp.your-website.com", received "https://bp.shop.com/refer": remove the path "/refer"',
    ]);
  });

  it('never throws, whatever its arguments, and its captureReferral reads options safely', async () => {
    const { sdk } = await freshSdk();
    const getter = Object.defineProperty({}, 'url', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    for (const config of [getter, trap, Symbol('c'), { url: Symbol('u'), market: Symbol('m') }]) {
      const buyapowa = new sdk.Buyapowa(config as never, Symbol('c') as never, trap as never);
      expect(buyapowa.captureReferral(trap as never)).toBeNull();
      await expect(buyapowa.track(trap as never)).rejects.toBeInstanceOf(sdk.BuyapowaError);
    }
  });
});

describe('the Buyapowa class with the platform URL alone (existing integrations)', () => {
  it.each([
    ['https://acme.co-buying.com/', 'acme'],
    ['https://acme.co-buying.com', 'acme'],
    ['https://ACME-uk.co-buying.net', 'acme-uk'],
    ['//acme.co-buying.com', 'acme'],
    [' acme.co-buying.com/ ', 'acme'],
  ])('%s is market %s', async (url, market) => {
    const { sdk } = await freshSdk();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const buyapowa = new sdk.Buyapowa(url, 'host', 'oops');
    expect(buyapowa.config).toMatchObject({ url, market, container: 'host', errorContainer: 'oops' });
    expect(error).not.toHaveBeenCalled();
    buyapowa.embedReferAFriend({ campaign: 'c' });
    expect(document.querySelector('#host iframe')!.getAttribute('src')).toMatch(new RegExp(`^https://${market}\\.co-buying\\.(com|net)/`));
  });

  it('tracks to the market of the URL', async () => {
    const { sdk } = await freshSdk();
    const fetch = answerWith(201);
    await expect(new sdk.Buyapowa('https://acme.co-buying.com/').track({ order_number: 'O1', customer_email: 'a@b.co' })).resolves.toMatchObject({
      status: 'delivered',
    });
    expect(fetch.mock.calls[0][0]).toBe('https://acme.co-buying.com/track');
    expect(JSON.parse(fetch.mock.calls[0][1].body as string).market).toBe('acme');
  });

  it.each([
    'https://bp.shop.com',
    'https://acme.co-buying.com/refer',
    'https://acme.co-buying.org',
    'https://a.b.co-buying.com',
    'https://{{market}}.co-buying.com',
    '',
  ])('any other URL (%j) is one message naming market, and the calls reject with it', async (url) => {
    const { sdk } = await freshSdk();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const buyapowa = new sdk.Buyapowa(url, 'host');
    expect(error.mock.calls.map((call) => String(call[0]))).toEqual([
      `[Buyapowa] new Buyapowa: "market" expected a URL like "https://{market}.co-buying.com" (or .net), or a config like { url, market }, received ${JSON.stringify(url)}`,
    ]);
    const rejected = buyapowa.track({ order_number: 'O1', customer_email: 'a@b.co' });
    await expect(rejected).rejects.toBeInstanceOf(sdk.BuyapowaError);
    await expect(rejected).rejects.toMatchObject({ code: 'invalid_config' });
  });
});

describe('log', () => {
  it('prints an error as one line per problem, never its stack', async () => {
    const { log } = await import('../../src/browser/log');
    const { BuyapowaError } = await import('../../src/core/errors');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    log('error', 'captureReferral failed', new BuyapowaError('invalid_config', ['a: one', 'a: two']));
    log('error', 'failed', new TypeError('bad'));
    expect(error.mock.calls).toEqual([
      ['[Buyapowa] captureReferral failed: a: one'],
      ['[Buyapowa] captureReferral failed: a: two'],
      ['[Buyapowa] failed: bad'],
    ]);
  });
});
