// @vitest-environment node
// Shopify's own linter (offline, with its bundled Liquid docs) on the generated theme files,
// placed in a minimal theme whose layout renders the snippet as INSTALL.md says.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { check } from '@shopify/theme-check-node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { builtPixel } from './helpers';

vi.mock('../../src/shopify/pixel-source', () => ({ pixelSource: builtPixel() }));

import { generateShopifySnippets } from '../../src/shopify';

const LAYOUT = `<!doctype html>
<html lang="{{ request.locale.iso_code }}">
  <head>
    <title>{{ page_title }}</title>
    {{ content_for_header }}
    {% render 'buyapowa-referral' %}
  </head>
  <body>
    {{ content_for_layout }}
  </body>
</html>
`;

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A theme folder: the scaffold plus the given generated files, under their theme paths. */
function theme(files: Record<string, string>, prefix: string) {
  const root = mkdtempSync(join(tmpdir(), 'bp-theme-'));
  roots.push(root);
  const all: Record<string, string> = {
    'layout/theme.liquid': LAYOUT,
    'config/settings_schema.json': '[]\n',
    'locales/en.default.json': '{}\n',
    'snippets/buyapowa-referral.liquid': files['theme/snippets/buyapowa-referral.liquid'],
  };
  for (const [path, content] of Object.entries(files)) if (path.startsWith(prefix)) all[path.slice(prefix.length)] = content;
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const summary = (offenses: Awaited<ReturnType<typeof check>>) => offenses.map((o) => `${o.check} ${o.uri.split('/').slice(-2).join('/')}: ${o.message}`);

describe.each([
  ['default options', { marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf' }],
  ['locale, consent granted', { marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf', locale: 'pt-BR', consent: 'granted' as const }],
])('theme-check, %s', (_, options) => {
  const files = generateShopifySnippets(options);

  it('reports no offense on the OS 2.0 theme files (snippet, section, JSON template)', async () => {
    const offenses = await check(theme(files, 'theme/'));
    expect(summary(offenses)).toEqual([]);
  });

  it('reports no offense on the vintage theme files (snippet, page template)', async () => {
    const offenses = await check(theme(files, 'vintage-theme/'));
    expect(summary(offenses)).toEqual([]);
  });
});

describe('theme-check itself', () => {
  it('does report a broken generated file, so the zero above means something', async () => {
    const files = generateShopifySnippets({ marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf' });
    files['theme/sections/buyapowa-refer-a-friend.liquid'] = files['theme/sections/buyapowa-refer-a-friend.liquid'].replace('| sha256', '| sha256x');
    files['theme/snippets/buyapowa-referral.liquid'] = files['theme/snippets/buyapowa-referral.liquid'].replace('{% # theme-check-disable RemoteAsset %}', '');
    const checks = (await check(theme(files, 'theme/'))).map((o) => o.check).sort();
    expect(checks).toEqual(['RemoteAsset', 'UnknownFilter']);
  });
});
