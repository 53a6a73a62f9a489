// Renders every generated Liquid file with liquidjs (patched like Shopify, see helpers.ts) and
// hostile store data, then checks the HTML as a browser parses it.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { builtPixel, HOSTILE, orderStatusCheckout, scriptBodies, SECRET, shopifyLiquid } from './helpers';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets } from '../../src/shopify';
import { sign } from '../../src/server';

const OPTIONS = { marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf', legacyOrderStatus: true };
let files: Record<string, string>;
beforeAll(() => {
  files = generateShopifySnippets(OPTIONS);
});

const liquid = shopifyLiquid();
const render = (template: string, context: object) => liquid.parseAndRender(template, context) as Promise<string>;
const parse = (html: string) => new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');

const CUSTOMER = { id: 42, first_name: HOSTILE.first, last_name: HOSTILE.last, email: HOSTILE.email, accepts_marketing: true };
const sectionContext = (over: { secret?: string; customer?: object | null; locale?: string } = {}) => ({
  section: {
    settings: {
      campaign: 'raf',
      locale: over.locale ?? '',
      signing_secret: over.secret ?? SECRET,
      show_page_content: true,
      error_message: 'Oops "<b>bold</b>"',
    },
  },
  customer: over.customer === undefined ? CUSTOMER : over.customer,
  request: { locale: { iso_code: 'pt-BR' } },
  page: { title: 'Refer "<i>" a friend', content: '<p>Tell your friends</p>' },
});

/** Runs the page's inline scripts in this jsdom window with a fake Buyapowa; returns its calls. */
function runPage(html: string) {
  const calls: Array<[string, unknown[]]> = [];
  const Fake = function (this: object, ...args: unknown[]) {
    calls.push(['new', args]);
  } as unknown as { prototype: Record<string, unknown> };
  Fake.prototype.embedReferAFriend = (...args: unknown[]) => calls.push(['embedReferAFriend', args]);
  Fake.prototype.track = (...args: unknown[]) => calls.push(['track', args]);
  document.body.innerHTML = html; // innerHTML never runs scripts: each one is run below, once
  (window as unknown as { Buyapowa: unknown }).Buyapowa = Fake;
  try {
    for (const body of scriptBodies(html)) new Function(body)();
    document.dispatchEvent(new Event('DOMContentLoaded'));
    window.dispatchEvent(new Event('load'));
  } finally {
    delete (window as unknown as { Buyapowa?: unknown }).Buyapowa;
  }
  return calls;
}

describe('every Liquid file', () => {
  it('has no backslash inside a Liquid string literal (Shopify and liquidjs read them differently)', () => {
    for (const [path, text] of Object.entries(files).filter(([p]) => p.endsWith('.liquid')))
      for (const tag of text.match(/\{%-?[\s\S]*?-?%\}/g) || [])
        for (const literal of tag.match(/'[^']*'|"[^"]*"/g) || []) expect(literal, `${path}: ${tag}`).not.toContain('\\');
  });

  it('splices no Liquid value into a <script>: every script is the same text whatever the data', async () => {
    for (const path of ['theme/sections/buyapowa-refer-a-friend.liquid', 'vintage-theme/templates/page.refer-a-friend.liquid']) {
      const hostile = await render(files[path], sectionContext());
      const plain = await render(files[path], sectionContext({ customer: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' } }));
      expect(scriptBodies(hostile)).toEqual(scriptBodies(plain));
      expect(scriptBodies(hostile).join('')).not.toMatch(/\{\{|\{%/);
    }
    const legacy = files['legacy/order-status-additional-scripts.liquid'];
    const hostile = await render(legacy, { first_time_accessed: true, checkout: orderStatusCheckout() });
    const plain = await render(legacy, { first_time_accessed: true, checkout: orderStatusCheckout({ names: ['Ann', 'Lee'], email: 'a@b.co', codes: ['A'] }) });
    expect(scriptBodies(hostile)).toEqual(scriptBodies(plain));
  });

  it('keeps checkout and first_time_accessed out of theme files', () => {
    for (const [path, text] of Object.entries(files).filter(([p]) => p.startsWith('theme/') || p.startsWith('vintage-theme/')))
      expect(text, path).not.toMatch(/first_time_accessed|checkout\./);
  });
});

describe('theme snippet', () => {
  it('loads embedding.min.js from the market domain with its options, and waits for the cookie banner', async () => {
    const html = await render(files['theme/snippets/buyapowa-referral.liquid'], {});
    const script = parse(html).querySelector('script[src]') as HTMLScriptElement;
    expect(script.getAttribute('src')).toBe('https://bp.shop.com/embedding.min.js');
    expect(script.defer).toBe(true);
    expect({ ...script.dataset }).toEqual({ url: 'https://bp.shop.com', market: 'demo', consent: 'shopify' });
  });

  it('stores at once with consent "granted"', async () => {
    const snippet = generateShopifySnippets({ ...OPTIONS, consent: 'granted' })['theme/snippets/buyapowa-referral.liquid'];
    const script = parse(await render(snippet, {})).querySelector('script[src]') as HTMLScriptElement;
    expect(script.dataset.consent).toBeUndefined();
    expect(snippet).not.toContain('customerPrivacy');
  });
});

describe.each([
  ['OS 2.0 section', 'theme/sections/buyapowa-refer-a-friend.liquid'],
  ['vintage page template', 'vintage-theme/templates/page.refer-a-friend.liquid'],
])('%s', (_, path) => {
  // The vintage template takes its settings from assign lines the merchant edits.
  const template = (secret = SECRET) => files[path].replace("assign bp_secret = ''", `assign bp_secret = '${secret}'`);

  it('signs a logged-in customer in Liquid; the signature verifies, escapes survive, nothing is injected', async () => {
    const html = await render(template(), sectionContext());
    const doc = parse(html);
    const box = doc.getElementById('bp_div')!;
    const name = `${HOSTILE.first} ${HOSTILE.last}`;
    expect({ ...box.dataset }).toEqual({
      bpUrl: 'https://bp.shop.com',
      bpMarket: 'demo',
      bpCampaign: 'raf',
      bpLocale: 'pt-BR',
      bpName: name,
      bpEmail: HOSTILE.email,
      bpOptIn: 'true',
      bpSignedKeys: 'name, email',
      bpSignature: sign({ name, email: HOSTILE.email, signed_keys: 'name, email' }, SECRET),
    });
    expect(doc.querySelectorAll('img, i, b').length).toBe(0);
    expect(doc.querySelectorAll('script').length).toBe(1);
    expect(html).not.toContain(SECRET);
    expect(doc.getElementById('bp_error')!.hidden).toBe(true);
  });

  it('hands the login fields to embedReferAFriend', async () => {
    const calls = runPage(await render(template(), sectionContext({ locale: 'en' })));
    const name = `${HOSTILE.first} ${HOSTILE.last}`;
    expect(calls).toEqual([
      ['new', [{ url: 'https://bp.shop.com', market: 'demo' }, 'bp_div', 'bp_error']],
      [
        'embedReferAFriend',
        [
          {
            campaign: 'raf',
            locale: path.startsWith('theme/') ? 'en' : 'pt-BR', // the vintage template has no locale setting here
            auto: true,
            name,
            email: HOSTILE.email,
            marketing_opt_in: 'true',
            signed_keys: 'name, email',
            signature: sign({ name, email: HOSTILE.email, signed_keys: 'name, email' }, SECRET),
          },
        ],
      ],
    ]);
  });

  it('removes line breaks from names before signing, so the page sends what was signed', async () => {
    const customer = { ...CUSTOMER, first_name: 'Ann\r\nMarie', last_name: ' Lee\n' };
    const box = parse(await render(template(), sectionContext({ customer }))).getElementById('bp_div')!;
    expect(box.dataset.bpName).toBe('AnnMarie Lee');
    expect(box.dataset.bpSignature).toBe(sign({ name: 'AnnMarie Lee', email: HOSTILE.email, signed_keys: 'name, email' }, SECRET));
  });

  it('sends no personal data for a guest, or without a secret', async () => {
    for (const context of [sectionContext({ customer: null }), sectionContext({ secret: '' })]) {
      const html = await render(template(context.section.settings.signing_secret), context);
      const box = parse(html).getElementById('bp_div')!;
      expect(Object.keys(box.dataset).sort()).toEqual(['bpCampaign', 'bpLocale', 'bpMarket', 'bpUrl']);
      expect(html).not.toContain('example.com');
      const [, embed] = runPage(html);
      expect(embed).toEqual(['embedReferAFriend', [{ campaign: 'raf', locale: 'pt-BR' }]]);
    }
  });
});

describe('OS 2.0 JSON template', () => {
  it('uses the section with the campaign and locale as settings', () => {
    const json = JSON.parse(generateShopifySnippets({ ...OPTIONS, locale: 'fr' })['theme/templates/page.refer-a-friend.json']);
    expect(json).toEqual({
      sections: { main: { type: 'buyapowa-refer-a-friend', settings: { campaign: 'raf', locale: 'fr', show_page_content: true } } },
      order: ['main'],
    });
  });

  it('matches the section schema: every setting it sets exists', () => {
    const section = files['theme/sections/buyapowa-refer-a-friend.liquid'];
    const schema = JSON.parse(/\{% schema %\}([\s\S]*)\{% endschema %\}/.exec(section)![1]);
    const ids = schema.settings.map((s: { id?: string }) => s.id).filter(Boolean);
    const json = JSON.parse(generateShopifySnippets({ ...OPTIONS, locale: 'fr' })['theme/templates/page.refer-a-friend.json']);
    for (const key of Object.keys(json.sections.main.settings)) expect(ids).toContain(key);
    expect(schema.settings.find((s: { id?: string }) => s.id === 'campaign').default).toBe('raf');
  });
});

describe('legacy order-status script', () => {
  const legacy = (secret = '') => files['legacy/order-status-additional-scripts.liquid'].replace("assign bp_secret = ''", `assign bp_secret = '${secret}'`);

  it('renders nothing on a reload (first_time_accessed false)', async () => {
    expect((await render(legacy(SECRET), { first_time_accessed: false, checkout: orderStatusCheckout() })).trim()).toBe('');
  });

  it('tracks several discount codes, the billing name and the total from subunits, with hostile data kept inert', async () => {
    const html = await render(legacy(), { first_time_accessed: true, checkout: orderStatusCheckout() });
    const doc = parse(html);
    expect(doc.querySelectorAll('img').length).toBe(0);
    expect(doc.querySelectorAll('script').length).toBe(2);
    const calls = runPage(html);
    expect(calls).toEqual([
      ['new', [{ url: 'https://bp.shop.com', market: 'demo' }]],
      [
        'track',
        [
          {
            customer_name: `${HOSTILE.first}, ${HOSTILE.last}`,
            customer_email: HOSTILE.email,
            order_number: '5210499102',
            marketing_opt_in: true,
            campaign: 'raf',
            order_value: '1134.65',
            voucher_codes: HOSTILE.codes,
          },
        ],
      ],
    ]);
  });

  it('handles a guest checkout, a yen total, no order id yet, and signs in Liquid', async () => {
    const checkout = { ...orderStatusCheckout({ guest: true, names: ['', ''], total: 100000, orderId: null, codes: [] }), currency: 'JPY' };
    checkout.shipping_address = { first_name: 'Ship', last_name: 'To', city: 'Tokyo' };
    const [, [, [conversion]]] = runPage(await render(legacy(SECRET), { first_time_accessed: true, checkout }));
    expect(conversion).toEqual({
      customer_name: 'Ship, To',
      customer_email: HOSTILE.email,
      order_number: '998877',
      marketing_opt_in: true,
      campaign: 'raf',
      order_value: '1000.00',
      signed_keys: 'customer_email, order_number',
      signature: sign({ customer_email: HOSTILE.email, order_number: '998877', signed_keys: 'customer_email, order_number' }, SECRET),
    });
  });

  it('takes the customer name when the billing address has none', async () => {
    const checkout = orderStatusCheckout({ names: ['', ''] });
    const [, [, [conversion]]] = runPage(await render(legacy(), { first_time_accessed: true, checkout }));
    expect((conversion as { customer_name: string }).customer_name).toBe('Account, Holder');
  });
});

describe('custom pixel file', () => {
  it('is one script: the injected config, then the pixel built from the SDK sources', async () => {
    const pixel = files['custom-pixel.js'];
    const { Script } = await import('node:vm');
    expect(() => new Script(pixel)).not.toThrow();
    expect(pixel).toContain('const BUYAPOWA = {"url":"https://bp.shop.com","market":"demo","campaign":"raf"};\n');
    expect(pixel).toContain(builtPixel().trim());
    // It runs in Shopify's sandbox: no DOM, no page cookies, no deprecated sendBeacon.
    expect(builtPixel()).not.toMatch(/<script|document\.cookie|window\.|sendBeacon/);
  });
});
