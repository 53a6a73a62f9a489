// @vitest-environment node
// examples/shopify holds what the generator writes today for the sample store.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { builtPixel, ROOT } from './helpers';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets } from '../../src/shopify';

const DIR = join(ROOT, 'examples', 'shopify');
const REGENERATE =
  'examples/shopify is out of date; regenerate it with: npm run build && node bin/buyapowa-shopify.js --market-domain bp.acme-outdoors.com --market acme-outdoors --campaign refer-a-friend --locale en --legacy-order-status --out examples/shopify';

describe('examples/shopify', () => {
  const files = generateShopifySnippets({ marketDomain: 'bp.acme-outdoors.com', market: 'acme-outdoors', campaign: 'refer-a-friend', locale: 'en', legacyOrderStatus: true });
  const onDisk = readdirSync(DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(DIR.length + 1).split('\\').join('/'))
    .filter((p) => p != 'README.md' && p != 'WEBHOOK.md')
    .sort();

  it('holds exactly the generated files', () => {
    expect(onDisk, REGENERATE).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(files).filter((p) => p != 'custom-pixel.js'))('%s is what the generator writes', (path) => {
    expect(readFileSync(join(DIR, path), 'utf8'), REGENERATE).toBe(files[path]);
  });

  // The pixel's body is the SDK's conversion code, minified: it changes whenever that code does.
  // Only its header and injected config must match; the body must still be a pixel.
  it('custom-pixel.js has the generated header and config', () => {
    const example = readFileSync(join(DIR, 'custom-pixel.js'), 'utf8');
    const head = (text: string) => text.slice(0, text.indexOf('\n', text.indexOf('const BUYAPOWA')));
    expect(head(example), REGENERATE).toBe(head(files['custom-pixel.js']));
    expect(() => new Script(example)).not.toThrow();
    expect(example).toContain('"shopify-pixel"');
  });
});
