// Shared by the Shopify tests: the built pixel, a liquidjs engine patched to behave like
// Shopify's Liquid where research/shopify.md §6 found differences, and hostile store data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid, Tag, type TagToken, type TopLevelToken, type Liquid as LiquidType } from 'liquidjs';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The minified custom pixel built by `npm run build` (what `virtual:shopify-pixel` resolves to). */
export function builtPixel(): string {
  const file = join(ROOT, 'dist', 'shopify-pixel.js');
  if (!existsSync(file)) throw new Error('dist/shopify-pixel.js is missing: run "npm run build" before the Shopify tests');
  return readFileSync(file, 'utf8');
}

/** Formats subunits (cents) the way a shop with format "{{amount}}" does: 1,134.65. */
const withSeparators = (cents: number) => (Math.trunc(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * liquidjs set up like Shopify's Liquid, for the tags and filters the generated files use:
 * - Shopify's money filters, which liquidjs lacks (§6), take subunits;
 * - `json` escapes `<`, `>`, `&`, U+2028/9 and renders nil as `null` (§6.1, §6.3);
 * - `divided_by` truncates for an integer divisor (§6.2);
 * - `{% schema %}` renders nothing;
 * - unknown filters throw (`strictFilters`), as theme-check's `UnknownFilter` would report.
 * String-literal escapes (§6.4) are not patched: a test asserts the files contain none.
 */
export function shopifyLiquid(): LiquidType {
  const engine = new Liquid({ strictFilters: true, ownPropertyOnly: true });
  engine.registerFilter('money', (cents: number) => '$' + withSeparators(cents));
  engine.registerFilter('money_with_currency', (cents: number) => '$' + withSeparators(cents) + ' USD');
  engine.registerFilter('money_without_currency', (cents: number) => withSeparators(cents));
  engine.registerFilter('money_amount', (cents: number) => (Math.trunc(cents) / 100).toFixed(2));
  engine.registerFilter('json', (value: unknown) =>
    JSON.stringify(value === undefined ? null : value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')),
  );
  engine.registerFilter('divided_by', (a: number, b: number) => (Number.isInteger(b) ? Math.floor(a / b) : a / b));
  engine.registerTag(
    'schema',
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], liquid: LiquidType) {
        super(token, remain, liquid);
        while (remain.length) {
          const next = remain.shift()!;
          if ((next as TagToken).name === 'endschema') return;
        }
        throw new Error('{% schema %} without {% endschema %}');
      }
      *render() {}
    },
  );
  return engine;
}

/** Names, emails and codes meant to break quoting, HTML and JS. */
export const HOSTILE = {
  first: `Zoë "</script><img src=x onerror="window.__pwned=1">`,
  last: `O'Brien \\ مريم 😀`,
  email: `o'brien+</script>"@example.com`,
  codes: ['FRIEND10', `X"</script><img src=y onerror="window.__pwned=2">`, 'مرحبا😀'],
};

/** A secret used by the signature tests (the guide's example secret). */
export const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';

/** Shopify's `checkout` object on the order status page, as a plain object (a drop in Shopify). */
export function orderStatusCheckout(
  over: { guest?: boolean; names?: [string, string]; email?: string; codes?: string[]; total?: number; orderId?: number | null } = {},
) {
  const [first, last] = over.names || [HOSTILE.first, HOSTILE.last];
  const address = { first_name: first, last_name: last, city: 'Lisboa' };
  return {
    id: 998877,
    order_id: over.orderId === undefined ? 5210499102 : over.orderId,
    order_number: 1001,
    order_name: '#1001',
    email: over.email ?? HOSTILE.email,
    total_price: over.total ?? 113465,
    currency: 'EUR',
    buyer_accepts_marketing: true,
    billing_address: address,
    shipping_address: address,
    customer: over.guest ? null : { id: 42, first_name: 'Account', last_name: 'Holder', email: 'account@example.com' },
    discount_applications: [
      ...(over.codes || HOSTILE.codes).map((code) => ({ type: 'discount_code', title: code, value: 10, value_type: 'percentage' })),
      { type: 'automatic', title: 'Summer sale', value: 5, value_type: 'fixed_amount' },
      { type: 'manual', title: 'Staff', value: 1, value_type: 'fixed_amount' },
    ],
  };
}

/** The `<script>` bodies of an HTML string, in order. */
export const scriptBodies = (html: string): string[] => Array.from(html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g), (m) => m[1]);
