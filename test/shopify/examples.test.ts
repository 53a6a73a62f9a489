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
  'examples/shopify is out of date; regenerate it with: npm run build && node bin/buyapowa-shopify.js --market-domain bp.acme-outdoors.com --market acme-outdoors --campaign refer-a-friend --locale en --relay https://relay.acme-outdoors.com/buyapowa --out examples/shopify';

describe('examples/shopify', () => {
  const files = generateShopifySnippets({
    marketDomain: 'bp.acme-outdoors.com',
    market: 'acme-outdoors',
    campaign: 'refer-a-friend',
    locale: 'en',
    relay: 'https://relay.acme-outdoors.com/buyapowa',
  });
  const onDisk = readdirSync(DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(DIR.length + 1)
        .split('\\')
        .join('/'),
    )
    .filter((p) => p !== 'README.md' && p !== 'WEBHOOK.md')
    .sort();

  it('holds exactly the generated files', () => {
    expect(onDisk, REGENERATE).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(files))('%s is what the generator writes', (path) => {
    expect(readFileSync(join(DIR, path), 'utf8'), REGENERATE).toBe(files[path]);
  });

  // A real account: the pixel is a check that sends nothing (the orders webhook records orders).
  it('custom-pixel.js is a script that can send nothing', () => {
    const example = readFileSync(join(DIR, 'custom-pixel.js'), 'utf8');
    expect(() => new Script(example)).not.toThrow();
    expect(example).not.toMatch(/\bfetch\b|sendBeacon|XMLHttpRequest|\bImage\b|WebSocket/);
  });
});
