// @vitest-environment node
// What a browser downloads must never hold the `./server` code (secrets, signing, AES) or the
// `./shopify` generator (Liquid templates, INSTALL.md, the CLI's options). Checked two ways:
// - esbuild metafiles: every module that a merchant's bundler would pull in, for the script-tag
//   entry (src/script-tag.ts, built into dist/embedding.min.js), the whole `.` entry and each of
//   its exports alone, in src/ and in dist/; and for the Shopify pixel, which may share the
//   browser modules (conversion, protocol, referral, env) but nothing of the generator;
// - text markers in the built files as shipped (dist/embedding.min.js, dist/shopify-pixel.js).
// Each detector is first shown to catch the server and generator entries.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules of `buyapowa-sdk/server` and its dependencies. */
const SERVER = /(^|\/)(src|dist)\/server(\.[jt]s|\/)|node_modules\/@noble\/|node_modules\/canonicalize\//;
/**
 * Modules of the `buyapowa-sdk/shopify` generator: its entry, the Liquid and INSTALL.md writers,
 * option validation, the embedded pixel source (virtual:shopify-pixel) and the test-only liquidjs.
 * Not the pixel's own modules (src/shopify/pixel.ts, pixel-core.ts).
 */
const GENERATOR =
  /(^|\/)(src\/shopify\.ts|dist\/shopify\.js|(src|dist)\/shopify\/(install|liquid|options|pixel-source)\.[jt]s|dist\/_virtual\/)|virtual:shopify-pixel|node_modules\/liquidjs\//;
/** Any Shopify module at all: none belongs in a storefront bundle. */
const ANY_SHOPIFY = /(^|\/)(src|dist)\/shopify[./]|virtual:shopify-pixel|node_modules\/@shopify\//;

/** Strings that only server or generator code contains; they survive minification. */
const SERVER_MARKERS = [/encryptBpE:/, /decryptBpE:/, /does not decrypt with this auth token/, /1779033703|0x6a09e667/i];
const GENERATOR_MARKERS = [/buyapowa-shopify/, /theme-check-disable/, /INSTALL\.md/, /\{%-/];

// rollup resolves `virtual:shopify-pixel` (the built pixel as a string); esbuild gets a stand-in
// that keeps the name in the metafile.
const virtualPixel: Plugin = {
  name: 'virtual-shopify-pixel',
  setup(b) {
    // The pixel's source, and the loader's build-time tables (the chunks' files, the shared bindings).
    b.onResolve({ filter: /^virtual:(shopify-pixel|bp-chunks|bp-shared)$/ }, (args) => ({ path: args.path, namespace: 'virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'virtual' }, (args) => ({
      contents: args.path === 'virtual:shopify-pixel' ? 'export default "/* pixel */";' : 'export default {};',
      loader: 'js',
    }));
  },
};

interface Bundle {
  inputs: string[];
  text: string;
}

/** Bundles like a merchant's bundler (ESM, browser, minified): the modules pulled in and the code. */
async function bundle(entry: string | { stdin: string }, nodeEnv = 'production'): Promise<Bundle> {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [join(ROOT, entry)] } : { stdin: { contents: entry.stdin, resolveDir: ROOT, loader: 'ts' } }),
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    // The server entry reaches the API client, whose CSV stream loads node:stream/web lazily.
    external: ['node:*'],
    logLevel: 'silent',
    define: { __VERSION__: '"test"', __EMBED_WORDING__: 'false', 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
    plugins: [virtualPixel],
  });
  return { inputs: Object.keys(result.metafile!.inputs), text: result.outputFiles[0].text };
}

const matching = (inputs: string[], pattern: RegExp) => inputs.filter((file) => pattern.test(file));
const markersIn = (text: string, markers: RegExp[]) => markers.filter((m) => m.test(text)).map(String);

function built(file: string): string {
  const path = join(ROOT, file);
  if (!existsSync(path)) throw new Error(`${file} is missing: run "npm run build" before this test (npm test does)`);
  return readFileSync(path, 'utf8');
}

/** The runtime exports of the `.` entry (types have none). */
let exportsOfIndex: string[] = [];
beforeAll(async () => {
  exportsOfIndex = Object.keys(await import('../src/index')).sort();
});

describe('the detectors catch what they look for', () => {
  test('the server entry: its modules, @noble, canonicalize and its markers', async () => {
    const { inputs, text } = await bundle('src/server.ts');
    expect(matching(inputs, /(^|\/)src\/server\//).length).toBeGreaterThanOrEqual(3);
    expect(matching(inputs, /node_modules\/@noble\//).length).toBeGreaterThan(0);
    expect(matching(inputs, /node_modules\/canonicalize\//).length).toBeGreaterThan(0);
    expect(markersIn(text, SERVER_MARKERS)).toEqual(SERVER_MARKERS.map(String));
  });

  test('the built server entry (dist/server.js)', async () => {
    built('dist/server.js');
    const { inputs, text } = await bundle('dist/server.js');
    expect(matching(inputs, /(^|\/)dist\/server(\.js|\/)/).length).toBeGreaterThanOrEqual(4);
    expect(matching(inputs, SERVER).length).toBeGreaterThan(matching(inputs, /(^|\/)dist\/server/).length);
    expect(markersIn(text, SERVER_MARKERS)).toEqual(SERVER_MARKERS.map(String));
  });

  test('the generator entry: each generator module and its markers', async () => {
    const { inputs, text } = await bundle('src/shopify.ts');
    for (const module of [
      'src/shopify.ts',
      'src/shopify/install.ts',
      'src/shopify/liquid.ts',
      'src/shopify/options.ts',
      'src/shopify/pixel-source.ts',
      'virtual:shopify-pixel',
    ])
      expect(matching(inputs, GENERATOR), module).toContainEqual(expect.stringContaining(module));
    expect(markersIn(text, GENERATOR_MARKERS)).toEqual(GENERATOR_MARKERS.map(String));
  });

  test('the built generator entry (dist/shopify.js)', async () => {
    built('dist/shopify.js');
    const { inputs, text } = await bundle('dist/shopify.js');
    expect(matching(inputs, GENERATOR).length).toBeGreaterThanOrEqual(5);
    expect(markersIn(text, GENERATOR_MARKERS)).toEqual(GENERATOR_MARKERS.map(String));
  });

  test('the pixel is told apart from the generator: its modules are not flagged', () => {
    expect(GENERATOR.test('src/shopify/pixel-core.ts')).toBe(false);
    expect(GENERATOR.test('src/shopify/pixel.ts')).toBe(false);
    expect(GENERATOR.test('src/shopify/pixel-source.ts')).toBe(true);
  });
});

describe('browser bundles built from src/', () => {
  test('the `.` entry exports something to check', () => {
    expect(exportsOfIndex).toContain('track');
    expect(exportsOfIndex).toContain('embedReferAFriend');
    expect(exportsOfIndex).toContain('captureReferral');
  });

  test.each([
    ['the script tag (src/script-tag.ts → dist/embedding.min.js)', 'src/script-tag.ts'],
    ['the whole `.` entry (src/index.ts)', 'src/index.ts'],
  ])('%s holds no server and no Shopify module', async (_, entry) => {
    const { inputs, text } = await bundle(entry);
    expect(matching(inputs, /(^|\/)src\//).length).toBeGreaterThan(5); // the check sees real modules
    expect(matching(inputs, SERVER)).toEqual([]);
    expect(matching(inputs, ANY_SHOPIFY)).toEqual([]);
    expect(markersIn(text, [...SERVER_MARKERS, ...GENERATOR_MARKERS])).toEqual([]);
  });

  test('each export of `.` alone holds no server and no Shopify module', async () => {
    for (const name of exportsOfIndex) {
      const { inputs } = await bundle({ stdin: `import { ${name} } from './src/index';\nglobalThis.kept = ${name};` });
      expect(matching(inputs, /(^|\/)src\//).length, name).toBeGreaterThan(1);
      expect(matching(inputs, SERVER), name).toEqual([]);
      expect(matching(inputs, ANY_SHOPIFY), name).toEqual([]);
    }
  });

  test('the Shopify pixel shares browser modules but holds no generator and no server module', async () => {
    const { inputs, text } = await bundle('src/shopify/pixel.ts');
    expect(inputs).toContainEqual(expect.stringMatching(/src\/shopify\/pixel-core\.ts$/));
    expect(inputs).toContainEqual(expect.stringMatching(/src\/core\/protocol\.ts$/));
    expect(matching(inputs, GENERATOR)).toEqual([]);
    expect(matching(inputs, SERVER)).toEqual([]);
    expect(markersIn(text, [...SERVER_MARKERS, ...GENERATOR_MARKERS])).toEqual([]);
  });
});

/**
 * Browser-only code of the outbox: the page-hide beacon pass (its module, its transport and its
 * mark) and the page events. The Shopify pixel runs in a sandbox with no page to hide.
 */
const BROWSER_ONLY = /(^|\/)src\/browser\//;
const BROWSER_ONLY_MARKERS = [/"beacon"/, /beaconed/, /sendBeacon/, /visibilitychange/, /pagehide/];

/** Texts of the development-only messages (src/core/messages.ts) and of the embed's advice. */
const DEV_MARKERS = [/expected/, /received/, /integration guide/, /third-party/, /does not answer/];

describe('messages in development builds only', () => {
  test.each(['track', 'embedReferAFriend', 'captureReferral', 'Buyapowa'])(
    'import { %s } from dist/index.js: none in production, all in development',
    async (name) => {
      built('dist/index.js');
      const entry = { stdin: `import { ${name} } from './dist/index.js';\nglobalThis.kept = ${name};` };
      const production = await bundle(entry, 'production');
      expect(markersIn(production.text, DEV_MARKERS)).toEqual([]);
      expect(production.text).toContain('docs/errors.md#');
      const development = await bundle(entry, 'development');
      expect(markersIn(development.text, DEV_MARKERS).length).toBeGreaterThanOrEqual(2);
    },
  );

  test('dist/index.js and dist/index.cjs leave process.env.NODE_ENV to the bundler', () => {
    expect(built('dist/core/problems.js')).toContain('process.env.NODE_ENV');
    expect(built('dist/index.cjs')).toContain('process.env.NODE_ENV');
  });

  test.each(['dist/embedding.min.js', 'dist/shopify-pixel.js', 'dist/element.min.js', 'dist/server.worker.js', 'dist/api.worker.js'])(
    '%s, run as shipped, has no process.env.NODE_ENV',
    (file) => {
      expect(built(file)).not.toContain('process.env.NODE_ENV');
    },
  );

  test('the script tag: the loader, the track and embed chunks keep short messages (a docs link); the explain chunks the full ones', () => {
    const chunk = (name: string) => built('dist/chunks/' + readdirSync(join(ROOT, 'dist/chunks')).find((f) => f.startsWith(name + '.') && f.endsWith('.js'))!);
    expect(built('dist/embedding.min.js')).toContain('docs/errors.md#');
    // No "expected … received …" text in the loader: the explain chunk words its problems (issue 20).
    expect(markersIn(built('dist/embedding.min.js'), DEV_MARKERS)).toEqual([]);
    expect(chunk('explain')).toMatch(/" expected \$\{/);
    expect(chunk('explain')).toContain('your market id');
    expect(chunk('explain')).toContain('an object like { attribution: "first" } whose fields can be read');
    expect(chunk('explain')).not.toContain('docs/errors.md#');
    // The track chunk, on every thank-you page, is short too; the explain chunk words a
    // conversion's problems with the texts of src/core/messages.ts.
    expect(markersIn(chunk('track'), DEV_MARKERS)).toEqual([]);
    expect(chunk('explain')).toMatch(/placeholder/);
    // The embed chunk, on every refer-a-friend page, is short too: the embed-explain chunk words
    // its refusals, failures, missing handshake and advice (src/browser/embed-wording.ts).
    expect(chunk('embed')).toContain('docs/errors.md#');
    expect(markersIn(chunk('embed'), DEV_MARKERS)).toEqual([]);
    expect(chunk('embed')).not.toMatch(/without auto-height or seamless login|is not on this page's site/);
    expect(chunk('embed-explain')).toContain('an element on this page, or its id');
    expect(chunk('embed-explain')).toMatch(/" expected \$\{/);
    expect(chunk('embed-explain')).toMatch(/without auto-height or seamless login/);
    expect(chunk('embed-explain')).toMatch(/is not on this page's site/);
    // Pinned by the embed chunk, which loads it, not by the loader's table.
    expect(chunk('embed')).toMatch(/chunks\/embed-explain\.[\w-]+\.js","sha256-/);
    expect(built('dist/embedding.min.js')).not.toContain('embed-explain');
  });
});

describe('the Shopify pixel carries no browser-only code', () => {
  test('the detectors see the beacon pass and the page events in the browser outbox', async () => {
    const { inputs, text } = await bundle({ stdin: `import { track } from './src/index';\nglobalThis.kept = track;` });
    expect(inputs).toContainEqual(expect.stringMatching(/src\/browser\/outbox-beacon\.ts$/));
    expect(markersIn(text, BROWSER_ONLY_MARKERS)).toEqual(BROWSER_ONLY_MARKERS.map(String));
  });

  test('src/shopify/pixel.ts: no browser module, no beacon pass, no page events', async () => {
    const { inputs, text } = await bundle('src/shopify/pixel.ts');
    expect(inputs).toContainEqual(expect.stringMatching(/src\/core\/outbox-core\.ts$/));
    expect(matching(inputs, BROWSER_ONLY)).toEqual([]);
    expect(markersIn(text, BROWSER_ONLY_MARKERS)).toEqual([]);
  });

  test('dist/shopify-pixel.js as shipped', () => {
    expect(markersIn(built('dist/shopify-pixel.js'), BROWSER_ONLY_MARKERS)).toEqual([]);
  });
});

describe('the built files', () => {
  test('each export of dist/index.js alone, as a merchant imports it, holds no server and no Shopify module', async () => {
    built('dist/index.js');
    for (const name of exportsOfIndex) {
      const { inputs, text } = await bundle({ stdin: `import { ${name} } from './dist/index.js';\nglobalThis.kept = ${name};` });
      expect(matching(inputs, /(^|\/)dist\//).length, name).toBeGreaterThan(1);
      expect(matching(inputs, SERVER), name).toEqual([]);
      expect(matching(inputs, ANY_SHOPIFY), name).toEqual([]);
      expect(markersIn(text, [...SERVER_MARKERS, ...GENERATOR_MARKERS]), name).toEqual([]);
    }
  });

  test.each(['dist/embedding.min.js', 'dist/shopify-pixel.js'])('%s as shipped holds no server or generator code', (file) => {
    const text = built(file);
    expect(text.length).toBeGreaterThan(1000);
    expect(markersIn(text, [...SERVER_MARKERS, ...GENERATOR_MARKERS])).toEqual([]);
  });
});
