// Builds: the npm entries (ESM with deps external, CJS self-contained), the script-tag IIFE
// (plain + minified, with source maps) and one bundled .d.ts/.d.cts per entry.
import { readFileSync } from 'node:fs';
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
const version = (nodeEnv) =>
  replace({
    preventAssignment: true,
    values: { __VERSION__: JSON.stringify(pkg.version), ...(nodeEnv && { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) }) },
  });
/** The script tag and the pixel keep their full messages. */
const SHIPPED = 'development';
// Transpiles only (noCheck): npm run typecheck checks the types, once, beside the build.
const ts = () =>
  typescript({ tsconfig: './tsconfig.build.json', include: ['src/**/*.ts'], compilerOptions: { noEmit: false, declaration: false, noCheck: true } });
const dependencies = Object.keys(pkg.dependencies ?? {});
const isDependency = (id) => dependencies.some((d) => id === d || id.startsWith(d + '/'));
const entries = { index: 'src/index.ts', server: 'src/server.ts', shopify: 'src/shopify.ts', api: 'src/api.ts' };
const terserOptions = { format: { comments: /^!/ }, compress: { passes: 2 } };

export default [
  // Shopify custom pixel: built first, the ./shopify entry embeds it as a string.
  {
    input: 'src/shopify/pixel.ts',
    plugins: [version(SHIPPED), nodeResolve({ browser: true }), ts()],
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
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js', sourcemap: true },
  },
  {
    input: entries,
    external: (id) => id.startsWith('node:'),
    plugins: [version(), nodeResolve(), ts(), pixelSource()],
    onwarn: ignoreDependencyCycles,
    output: { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
  },
  {
    input: 'src/script-tag.ts',
    plugins: [version(SHIPPED), nodeResolve({ browser: true }), ts()],
    output: [
      { file: 'dist/embedding.js', format: 'iife', banner, sourcemap: true },
      // Also written as embedding.min.cjs, the same script for `require('buyapowa-sdk/embedding.min.js')`
      // (a .js file is ESM in this package): a copy of this output, so terser runs once for both.
      { file: 'dist/embedding.min.js', format: 'iife', banner, sourcemap: true, plugins: [terser(terserOptions), copyAs('embedding.min.cjs')] },
    ],
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
    plugins: [version(SHIPPED), fetchOnlyCsv(), nodeResolve({ browser: true }), ts()],
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
  const id = '\0virtual:shopify-pixel';
  return {
    name: 'shopify-pixel-source',
    resolveId: (source) => (source === 'virtual:shopify-pixel' ? id : null),
    load(source) {
      if (source !== id) return null;
      const code = readFileSync(new URL('./dist/shopify-pixel.js', import.meta.url), 'utf8');
      return `export default ${JSON.stringify(code)};`;
    },
  };
}

/** The last line Rollup adds to a chunk with a source map. */
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=\S+\n$/;

/** Emits the output's one chunk again as `fileName`, without a source map (an output plugin). */
function copyAs(fileName) {
  return {
    name: 'copy-as',
    generateBundle(options, bundle) {
      const [chunk] = Object.values(bundle).filter((file) => file.type == 'chunk');
      this.emitFile({ type: 'asset', fileName, source: chunk.code.replace(SOURCE_MAP_COMMENT, '') });
    },
  };
}

/** Cycles inside a dependency (csv-parse's own modules) are its business, not a build warning. */
function ignoreDependencyCycles(warning, warn) {
  if (warning.code == 'CIRCULAR_DEPENDENCY' && (warning.ids ?? []).every((id) => id.includes('/node_modules/'))) return;
  warn(warning);
}

/** The CSV libraries' self-contained browser builds, and no `csv-parse/stream` (it imports node:stream/web). */
function fetchOnlyCsv() {
  const swaps = { 'csv-parse/sync': 'csv-parse/browser/esm/sync', 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' };
  const noStream = '\0no-csv-parse-stream';
  return {
    name: 'fetch-only-csv',
    async resolveId(source, importer) {
      if (source == 'csv-parse/stream') return noStream;
      if (swaps[source]) return this.resolve(swaps[source], importer, { skipSelf: true });
      return null;
    },
    load: (id) => (id == noStream ? 'export const parse = undefined;' : null),
  };
}
