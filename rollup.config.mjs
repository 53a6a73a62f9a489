// Builds: the npm entries (ESM with deps external, CJS self-contained), the script-tag IIFE
// (plain + minified, with source maps) and one bundled .d.ts/.d.cts per entry.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! ${pkg.name} v${pkg.version} | MIT */`;
// `process.env.NODE_ENV` stays in the npm builds, for the merchant's bundler to decide (production
// drops the development-only messages, src/core/messages.ts). Builds that run as shipped, with no
// bundler and no `process` (the script tag, the pixel, the fetch-only API), are given `nodeEnv`.
// `__EMBED_WORDING__` is true in the script tag's embed and embed-explain chunks alone (src/browser/embed-wording.ts).
const version = (nodeEnv, embedWording = false) =>
  replace({
    preventAssignment: true,
    values: {
      __VERSION__: JSON.stringify(pkg.version),
      __EMBED_WORDING__: String(embedWording),
      ...(nodeEnv && { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) }),
    },
  });
/**
 * Builds that run as shipped. The loader (on every page), the track chunk (on every thank-you
 * page) and the pixel keep the error code, the field and a link to docs/errors.md: their
 * development-only texts would cost about 600 B gzip on each of those pages. The loader and the
 * track chunk have their problems worded in full by the explain chunk, loaded only then
 * (src/loader/report.ts). The embed chunk, the element, the explain chunk and the server's
 * fetch-only builds keep the full "expected … received …" messages.
 */
const FULL_MESSAGES = 'development';
const SHORT_MESSAGES = 'production';
// Transpiles only (noCheck): npm run typecheck checks the types, once, beside the build.
const ts = () =>
  typescript({
    tsconfig: './tsconfig.build.json',
    include: ['src/**/*.ts', 'src/**/*.tsx'],
    compilerOptions: { noEmit: false, declaration: false, noCheck: true },
  });
const dependencies = Object.keys(pkg.dependencies ?? {});
// Peer dependencies (react) stay external in every build, the CJS one included.
const peers = Object.keys(pkg.peerDependencies ?? {});
const isPeer = (id) => peers.some((d) => id === d || id.startsWith(d + '/'));
const isDependency = (id) => isPeer(id) || dependencies.some((d) => id === d || id.startsWith(d + '/'));
const entries = {
  index: 'src/index.ts',
  server: 'src/server.ts',
  shopify: 'src/shopify.ts',
  api: 'src/api.ts',
  react: 'src/react.ts',
  element: 'src/element.ts',
};
// buyapowa-sdk/react is a client module for Next.js: its built file must start with 'use client'.
// Rollup drops module-level directives from the sources (with a warning), so it is a banner.
const useClient = (chunk) => (chunk.isEntry && chunk.name === 'react' ? "'use client';" : '');
const terserOptions = { format: { comments: /^!/ }, compress: { passes: 2 } };

// ---- The script tag's loader and chunks ----------------------------------------------------

/**
 * The chunks loaded on demand, by name, in build order: a chunk that another loads is built first.
 * The loader's table pins those it loads itself; the others are pinned by the chunk that loads them
 * (PINNED_BY), so the loader, on every page, carries no entry for them.
 */
const CHUNKS = {
  track: 'src/loader/track-chunk.ts',
  'embed-explain': 'src/loader/embed-explain-chunk.ts',
  embed: 'src/loader/embed-chunk.ts',
  consent: 'src/loader/consent-chunk.ts',
  explain: 'src/loader/explain-chunk.ts',
};
/** Chunks loaded by another chunk, not by the loader: name → the chunk that pins it (`virtual:bp-subchunks`). */
const PINNED_BY = { 'embed-explain': 'embed' };
/**
 * SHARED modules a chunk bundles a copy of its own, by chunk: the explain chunk words the loader's
 * problems in full, so it needs development copies of the checks, not the loader's short ones.
 */
const OWN = { explain: ['browser/config', 'browser/log'], 'embed-explain': ['browser/config'] };
/** Chunks built with short messages: their lines are worded by the explain chunk (track) or the embed-explain chunk (embed). */
const SHORT_CHUNKS = ['track', 'embed'];
/**
 * Modules the loader holds whose state or bytes the chunks share: a chunk imports them as
 * externals (`Buyapowa._.<key>`), never a copy of its own. Stateless modules the loader holds only
 * in part (core/fields, core/stored-state) are bundled into the chunks that need more of them.
 * core/problems (how a problem is worded) is never shared: each chunk words its own in full.
 */
const SHARED = [
  'browser/config',
  'browser/consent',
  'browser/consent-state',
  'browser/log',
  'browser/page',
  'browser/session',
  'browser/storage',
  'browser/stored-referral',
  'core/env',
  'core/errors',
  'loader/pending',
  'loader/registry',
];
const SRC = fileURLToPath(new URL('./src/', import.meta.url));
/** `browser/consent-state` → `consent_state`: the module's property of `Buyapowa._`. */
const sharedKey = (module) => module.split('/').pop().replace(/\W/g, '_');
/** The SHARED module an import names (relative, absolute, with or without .ts), else null. */
function sharedModule(id, importer) {
  const file = importer && id.startsWith('.') ? path.resolve(path.dirname(importer), id) : id;
  const module = path.relative(SRC, file).replace(/\.ts$/, '').split(path.sep).join('/');
  return SHARED.includes(module) ? module : null;
}
/**
 * The SRI hash of the chunks. SHA-256 is one of the three every browser must support, and its
 * 44 characters, which do not compress, cost each page with the loader 60 B gzip less than
 * SHA-384's 64 for the three chunks.
 */
const SRI = 'sha256';
/** What the chunk builds found: each chunk's [file, integrity], and the bindings they import, by module. */
const chunkTable = {};
const sharedBindings = {};

/** Records a chunk's file and SRI hash (of the bytes written) and the shared bindings it imports; removes older builds of it. */
function chunkRecord(name) {
  return {
    name: 'chunk-record',
    generateBundle(options, bundle) {
      const chunk = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      for (const [id, names] of Object.entries(chunk.importedBindings)) {
        // Rendered relative to the entry's folder ("pending", "../browser/log").
        const module = sharedModule(path.resolve(path.dirname(chunk.facadeModuleId), id));
        if (!module) this.error(`chunk ${name} imports ${id}, which the loader does not share`);
        sharedBindings[module] = [...new Set([...(sharedBindings[module] || []), ...names])];
      }
      const dir = path.join(options.dir, 'chunks');
      for (const old of safeList(dir)) if (old.startsWith(name + '.') && !chunk.fileName.endsWith('/' + old.replace(/\.map$/, ''))) rmSync(path.join(dir, old));
    },
    writeBundle(options, bundle) {
      const chunk = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      const bytes = readFileSync(path.join(options.dir, chunk.fileName));
      chunkTable[name] = [chunk.fileName, `${SRI}-` + createHash(SRI).update(bytes).digest('base64')];
    },
  };
}
const safeList = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/**
 * The loader's generated modules: `virtual:bp-chunks` (name → [file, SRI hash]) and
 * `virtual:bp-shared` (exactly the bindings the chunks import, by module key). Checks that the
 * loader really holds every shared module.
 */
function loaderModules() {
  return {
    ...virtualModules('loader-modules', {
      'virtual:bp-chunks'() {
        const missing = Object.keys(CHUNKS).filter((name) => !chunkTable[name]);
        if (missing.length) this.error(`the chunks ${missing.join(', ')} must be built before the loader`);
        return `export default ${JSON.stringify(Object.fromEntries(Object.entries(chunkTable).filter(([name]) => !PINNED_BY[name])))};`;
      },
      'virtual:bp-shared'() {
        const modules = Object.entries(sharedBindings);
        const imports = modules.map(
          ([module, names], i) => `import { ${names.map((n) => `${n} as m${i}_${n}`).join(', ')} } from ${JSON.stringify(SRC + module + '.ts')};`,
        );
        const entries = modules.map(([module, names], i) => `${sharedKey(module)}: { ${names.map((n) => `${n}: m${i}_${n}`).join(', ')} }`);
        return `${imports.join('\n')}\nexport default { ${entries.join(', ')} };`;
      },
    }),
    generateBundle(options, bundle) {
      const chunk = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      const held = Object.keys(chunk.modules).map((id) => path.relative(SRC, id).replace(/\.ts$/, '').split(path.sep).join('/'));
      const lost = Object.keys(sharedBindings).filter((module) => !held.includes(module));
      if (lost.length) this.warn(`the loader does not hold ${lost.join(', ')}: the chunks' imports of it come from the loader alone`);
    },
  };
}

/** A chunk's generated module: `virtual:bp-subchunks`, the chunks it loads itself (name → [file, SRI hash]). */
function subchunks(name) {
  return virtualModules('subchunks', {
    'virtual:bp-subchunks'() {
      const own = Object.keys(PINNED_BY).filter((sub) => PINNED_BY[sub] === name);
      const missing = own.filter((sub) => !chunkTable[sub]);
      if (missing.length) this.error(`the chunks ${missing.join(', ')} must be built before ${name}`);
      return `export default ${JSON.stringify(Object.fromEntries(own.map((sub) => [sub, chunkTable[sub]])))};`;
    },
  });
}

/**
 * A plugin that serves generated modules: `modules` maps each name a source imports to the
 * function that writes its code, called as the plugin's `load` hook (so `this.error` works).
 */
function virtualModules(name, modules) {
  const PREFIX = '\0';
  const own = (source) => Object.hasOwn(modules, source);
  return {
    name,
    resolveId: (source) => (own(source) ? PREFIX + source : null),
    load(id) {
      const source = id.startsWith(PREFIX) ? id.slice(PREFIX.length) : '';
      return own(source) ? modules[source].call(this) : null;
    },
  };
}

export default [
  // Shopify custom pixel: built first, the ./shopify entry embeds it as a string.
  {
    input: 'src/shopify/pixel.ts',
    plugins: [version(SHORT_MESSAGES), nodeResolve({ browser: true }), ts()],
    // The pixel runs only in Shopify's sandbox (modern browsers): ES2020 output, and functions
    // that never use `this`, `arguments` or `new` may become arrows.
    output: {
      file: 'dist/shopify-pixel.js',
      format: 'iife',
      plugins: [terser({ ...terserOptions, ecma: 2020, compress: { ...terserOptions.compress, unsafe_arrows: true } })],
    },
  },
  {
    input: entries,
    external: (id) => isDependency(id) || id.startsWith('node:'),
    plugins: [version(), ts(), pixelSource()],
    // One file per module, so bundlers drop whole modules a program does not import.
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js', sourcemap: true, banner: useClient },
  },
  {
    input: entries,
    external: (id) => id.startsWith('node:') || isPeer(id),
    plugins: [version(), nodeResolve(), ts(), pixelSource()],
    onwarn: ignoreDependencyCycles,
    output: {
      dir: 'dist',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'chunks/[name]-[hash].cjs',
      sourcemap: true,
      exports: 'named',
      banner: useClient,
    },
  },
  // The script tag's chunks, built before the loader, which pins each by name, file and SRI hash.
  ...Object.entries(CHUNKS).map(([name, input]) => ({
    input: { [name]: input },
    external: (id, importer) => {
      const module = sharedModule(id, importer);
      return !!module && !(OWN[name] || []).includes(module);
    },
    // What the loader shares has run already: a chunk imports from it only the bindings it uses.
    treeshake: { moduleSideEffects: (id, external) => !external },
    plugins: [
      version(SHORT_CHUNKS.includes(name) ? SHORT_MESSAGES : FULL_MESSAGES, name === 'embed' || name === 'embed-explain'),
      subchunks(name),
      nodeResolve({ browser: true }),
      ts(),
    ],
    output: {
      dir: 'dist',
      format: 'iife',
      entryFileNames: 'chunks/[name].[hash].js',
      sourcemap: true,
      globals: (id) => `Buyapowa._.${sharedKey(sharedModule(id))}`,
      plugins: [terser(terserOptions), chunkRecord(name)],
    },
  })),
  // The loader: window.Buyapowa, referral capture, consent, the queue; the chunks on demand.
  {
    input: 'src/script-tag.ts',
    plugins: [version(SHORT_MESSAGES), loaderModules(), nodeResolve({ browser: true }), ts()],
    output: [
      { file: 'dist/embedding.js', format: 'iife', banner, sourcemap: true },
      // Also written as embedding.min.cjs, the same script for `require('buyapowa-sdk/embedding.min.js')`
      // (a .js file is ESM in this package): a copy of this output, so terser runs once for both.
      { file: 'dist/embedding.min.js', format: 'iife', banner, sourcemap: true, plugins: [terser(terserOptions), copyAs('embedding.min.cjs')] },
    ],
  },
  // <buyapowa-refer-a-friend> for a script tag, beside dist/embedding.min.js: defines the element
  // and nothing else (no global), with its own copy of the embed.
  {
    input: 'element-script',
    plugins: [sideEffectEntry('element-script', 'src/element.ts'), version(FULL_MESSAGES), nodeResolve({ browser: true }), ts()],
    output: { file: 'dist/element.min.js', format: 'iife', banner, sourcemap: true, plugins: [terser(terserOptions)] },
  },
  // The types of `buyapowa-sdk/embedding.min.js`: the global it defines (window.Buyapowa).
  {
    input: 'src/global.ts',
    external: (id) => isDependency(id) || id.startsWith('node:'),
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
    output: [
      { file: 'dist/embedding.d.ts', format: 'es' },
      { file: 'dist/embedding.d.cts', format: 'es' },
    ],
  },
  // buyapowa-sdk/api for fetch-only runtimes (workerd, edge): one file with the CSV libraries'
  // browser builds, which carry their own Buffer; report streaming falls back to whole-body parsing.
  {
    input: { 'api.worker': 'src/api.ts' },
    plugins: [version(FULL_MESSAGES), fetchOnlyCsv(), nodeResolve({ browser: true }), ts()],
    onwarn: ignoreDependencyCycles,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true, sourcemap: true },
  },
  // buyapowa-sdk/server for fetch-only runtimes (Cloudflare Workers without nodejs_compat, edge):
  // the handlers reach the API through the same fetch-only CSV swap as api.worker, in one file.
  {
    input: { 'server.worker': 'src/server.ts' },
    plugins: [version(FULL_MESSAGES), fetchOnlyCsv(), nodeResolve({ browser: true }), ts()],
    onwarn: ignoreDependencyCycles,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true, sourcemap: true },
  },
  ...Object.entries(entries).map(([name, input]) => ({
    input,
    external: (id) => isDependency(id) || id.startsWith('node:'),
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  })),
];

/** Resolves `virtual:shopify-pixel` to the minified pixel built by the first config. */
function pixelSource() {
  return virtualModules('shopify-pixel-source', {
    'virtual:shopify-pixel': () => `export default ${JSON.stringify(readFileSync(new URL('./dist/shopify-pixel.js', import.meta.url), 'utf8'))};`,
  });
}

/** An entry `name` that only imports `file` for its side effects: an IIFE of it defines no global. */
function sideEffectEntry(name, file) {
  return virtualModules('side-effect-entry', { [name]: () => `import ${JSON.stringify(new URL(file, import.meta.url).pathname)};` });
}

/** The last line Rollup adds to a chunk with a source map. */
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=\S+\n$/;

/** Emits the output's one chunk again as `fileName`, without a source map (an output plugin). */
function copyAs(fileName) {
  return {
    name: 'copy-as',
    generateBundle(options, bundle) {
      const [chunk] = Object.values(bundle).filter((file) => file.type === 'chunk');
      this.emitFile({ type: 'asset', fileName, source: chunk.code.replace(SOURCE_MAP_COMMENT, '') });
    },
  };
}

/** Cycles inside a dependency (csv-parse's own modules) are its business, not a build warning. */
function ignoreDependencyCycles(warning, warn) {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && (warning.ids ?? []).every((id) => id.includes('/node_modules/'))) return;
  warn(warning);
}

/** The CSV libraries' self-contained browser builds, and no `csv-parse/stream` (it imports node:stream/web). */
function fetchOnlyCsv() {
  const swaps = { 'csv-parse/sync': 'csv-parse/browser/esm/sync', 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' };
  const noStream = '\0no-csv-parse-stream';
  return {
    name: 'fetch-only-csv',
    async resolveId(source, importer) {
      if (source === 'csv-parse/stream') return noStream;
      if (swaps[source]) return this.resolve(swaps[source], importer, { skipSelf: true });
      return null;
    },
    load: (id) => (id === noStream ? 'export const parse = undefined;' : null),
  };
}
