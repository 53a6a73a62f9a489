// @vitest-environment node
// What a storefront bundles from buyapowa-sdk/react and buyapowa-sdk/element (after npm run
// build): browser modules only, never the server, API or Shopify code, and React left to the app.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules esbuild pulls in for `contents`, bundled like a storefront (ESM, browser, react external). */
async function modulesOf(contents: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    external: ['react'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('storefront bundles of the React and element entries', () => {
  for (const [name, contents] of [
    ['buyapowa-sdk/react', "export { ReferAFriend, BuyapowaProvider, useReferralCapture, useTrack } from './dist/react.js';"],
    ['buyapowa-sdk/element', "import './dist/element.js';"],
  ])
    it(`${name} holds browser and core modules only`, async () => {
      const modules = await modulesOf(contents);
      expect(modules.length).toBeGreaterThan(3);
      expect(modules.filter((m) => /dist\/(server|api|shopify)|node_modules\/(@noble|canonicalize|csv-|liquidjs|react)/.test(m))).toEqual([]);
    });

  it('the element alone does not carry track, the outbox or referral capture', async () => {
    const modules = await modulesOf("import './dist/element.js';");
    expect(modules.filter((m) => /dist\/browser\/(track|outbox|attribution)\.js/.test(m))).toEqual([]);
  });
});
