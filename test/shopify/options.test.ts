// @vitest-environment node
// generateShopifySnippets validates every option before generating anything.
import { describe, expect, it, vi } from 'vitest';
import { builtPixel } from './helpers';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets, validateShopifyOptions, type ShopifySnippetOptions } from '../../src/shopify';
import { BuyapowaError } from '../../src/core/errors';

const GOOD: ShopifySnippetOptions = { marketDomain: 'bp.shop.com', market: 'demo', campaign: 'refer-a-friend' };

describe('validateShopifyOptions', () => {
  it.each([['bp.shop.com'], ['BP.Shop.COM'], ['bp.shop.co.uk'], ['localhost:4000'], ['bp.shop.test:8443'], ['xn--bcher-kva.example']])(
    'accepts the market domain %s',
    (marketDomain) => {
      expect(validateShopifyOptions({ ...GOOD, marketDomain })).toEqual([]);
    },
  );

  it.each([
    ['https://bp.shop.com', 'without "https://"'],
    ['//bp.shop.com', 'without "https://"'],
    ['bp.shop.com/track', 'or a path'],
    ['bp shop.com', undefined],
    ['shop', undefined],
    ['bp.shop.com:0', undefined],
    ['bp.shop.com:70000', undefined],
    ['-bp.shop.com', undefined],
    ['bp..shop.com', undefined],
    ['10.0.0.1', undefined],
    ['bp.shop.com"><script>', undefined],
    ['', 'cookie subdomain'],
  ])('rejects the market domain %j', (marketDomain, hint) => {
    const [problem, ...more] = validateShopifyOptions({ ...GOOD, marketDomain });
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ option: 'marketDomain', expected: 'a host name like "bp.your-shop.com"', received: marketDomain });
    if (hint) expect(problem.hint).toContain(hint);
  });

  it.each([
    ['market', ''],
    ['market', 'my market'],
    ['market', "m'; alert(1); '"],
    ['campaign', '-raf'],
    ['campaign', 'raf</script>'],
    ['campaign', 42],
    ['campaign', undefined],
  ])('rejects %s %j', (option, value) => {
    const problems = validateShopifyOptions({ ...GOOD, [option]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ option, received: value });
    expect(problems[0].expected).toMatch(/letters, digits/);
  });

  it('checks the optional ones and reports unknown options', () => {
    const problems = validateShopifyOptions({
      ...GOOD,
      locale: 'english please',
      legacyOrderStatus: 'yes' as never,
      consent: 'always' as never,
      scheme: 'ftp' as never,
      campain: 'typo',
    } as ShopifySnippetOptions);
    expect(problems.map((p) => [p.option, p.expected, p.received])).toEqual([
      ['campain', expect.stringContaining('no such option'), 'typo'],
      ['locale', 'a language code like "en" or "pt-BR"', 'english please'],
      ['legacyOrderStatus', 'true or false', 'yes'],
      ['consent', '"shopify" or "granted"', 'always'],
      ['scheme', '"https" or "http"', 'ftp'],
    ]);
  });

  it('accepts locales like en, pt-BR and zh-Hant-TW', () => {
    for (const locale of ['en', 'pt-BR', 'pt_BR', 'zh-Hant-TW']) expect(validateShopifyOptions({ ...GOOD, locale })).toEqual([]);
  });
});

describe('generateShopifySnippets', () => {
  it('throws one BuyapowaError listing every problem, naming each option with what was expected and received', () => {
    let error: unknown;
    try {
      generateShopifySnippets({ marketDomain: 'https://bp.shop.com/', market: '', campaign: 'a b' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuyapowaError);
    expect((error as BuyapowaError).code).toBe('invalid_config');
    expect((error as BuyapowaError).problems).toEqual([
      'generateShopifySnippets: "marketDomain" expected a host name like "bp.your-shop.com", received "https://bp.shop.com/". Give the host name alone, without "https://" or a path.',
      'generateShopifySnippets: "market" expected your market id: letters, digits, ".", "_" or "-", starting with a letter or digit, received "". Ask your client services manager for your market id.',
      'generateShopifySnippets: "campaign" expected your campaign slug: letters, digits, ".", "_" or "-", starting with a letter or digit, received "a b".',
    ]);
  });

  it('throws for a missing options object', () => {
    expect(() => generateShopifySnippets(undefined as never)).toThrow(/"options" expected an object/);
  });

  it('writes the six files, and the legacy script only when asked', () => {
    expect(Object.keys(generateShopifySnippets(GOOD)).sort()).toEqual([
      'INSTALL.md',
      'custom-pixel.js',
      'theme/sections/buyapowa-refer-a-friend.liquid',
      'theme/snippets/buyapowa-referral.liquid',
      'theme/templates/page.refer-a-friend.json',
      'vintage-theme/templates/page.refer-a-friend.liquid',
    ]);
    expect(Object.keys(generateShopifySnippets({ ...GOOD, legacyOrderStatus: true }))).toContain('legacy/order-status-additional-scripts.liquid');
  });

  it('normalises the host name and uses https unless told http', () => {
    const files = generateShopifySnippets({ ...GOOD, marketDomain: ' BP.Shop.com ' });
    expect(files['theme/snippets/buyapowa-referral.liquid']).toContain('src="https://bp.shop.com/embedding.min.js"');
    expect(files['custom-pixel.js']).toContain('"url":"https://bp.shop.com"');
    const dev = generateShopifySnippets({ ...GOOD, marketDomain: 'bp.shop.test:4000', scheme: 'http' });
    expect(dev['custom-pixel.js']).toContain('"url":"http://bp.shop.test:4000"');
  });

  it('is deterministic: the same options give the same files', () => {
    expect(generateShopifySnippets(GOOD)).toEqual(generateShopifySnippets({ ...GOOD }));
  });

  it('writes INSTALL.md with the dates, the market and each file path', () => {
    const files = generateShopifySnippets({ ...GOOD, legacyOrderStatus: true });
    const install = files['INSTALL.md'];
    for (const text of ['2025-08-28', '2026-08-26', '2026-10-01', '2027-03-01', 'Settings > Customer events', 'Edit code', '`demo`', 'bp.shop.com'])
      expect(install).toContain(text);
    for (const path of Object.keys(files).filter((p) => p !== 'INSTALL.md')) expect(install).toContain('`' + path + '`');
    expect(generateShopifySnippets(GOOD)['INSTALL.md']).not.toContain('Additional scripts box still');
  });
});
