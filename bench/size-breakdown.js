#!/usr/bin/env node
// npm run size:why: where the bytes of each npm import go, and what each would weigh
// without the help it gives developers. Builds with esbuild like size-limit does (minify,
// gzip -9), from dist/ (run `npm run build` first). Prints figures; passes or fails nothing.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const gzip = (code) => gzipSync(code, { level: 9 }).length;

async function bundle(name, stubs = {}) {
  const result = await build({
    stdin: { contents: `import { ${name} } from './dist/index.js'; console.log(${name});`, resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    plugins: [
      {
        name: 'stub',
        setup: (b) =>
          b.onLoad({ filter: /dist[\\/](\w+[\\/])?[\w-]+\.js$/ }, (a) => {
            const module = a.path.match(/([\w-]+)\.js$/)[1];
            return module in stubs ? { contents: stubs[module], loader: 'js' } : undefined;
          }),
      },
    ],
  });
  const code = result.outputFiles[0].text;
  return { code, inputs: Object.values(result.metafile.outputs)[0].inputs };
}

for (const name of ['track', 'embedReferAFriend', 'captureReferral']) {
  const { code, inputs } = await bundle(name);
  console.log(`\nimport { ${name} }: ${code.length} B minified, ${gzip(code)} B gzip`);
  for (const [file, { bytesInOutput }] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
    if (bytesInOutput > 20) console.log(`  ${file.replace(/^dist\//, '').padEnd(22)} ${String(bytesInOutput).padStart(5)} B minified`);
}

// The same imports with the developer help swapped for no-ops: no config checks, no conversion
// checks or normalising, no console lines. What is left is the work alone.
const noHelp = {
  config:
    "export const resolveConfig = (c) => ({ ...c, base: c.url, origin: c.url, sendTo: c.relay || c.url }), checkTrackUrl = () => false, endpointOf = (c) => c.trackUrl || c.sendTo + '/track', marketOfUrl = () => undefined, MARKET_IN_URL = '';",
  conversion:
    'export const checkConversion = (c) => ({ fields: c, errors: [], warnings: [] }), checkFields = (c) => ({ fields: c, errors: [], warnings: [] });',
  log: 'export const log = () => {}; export const enableDebug = () => {};',
};
console.log('\nWithout config checks, conversion checks and console lines:');
for (const name of ['track', 'embedReferAFriend', 'captureReferral']) console.log(`  import { ${name} }: ${gzip((await bundle(name, noHelp)).code)} B gzip`);

// The script tag: the loader (all a landing page fetches) and each chunk, per module, bundled by
// esbuild from src/ as the rollup build does (js-cookie → src/loader/cookies.ts in the loader;
// in a chunk, the modules the loader shares are imported from it, so they are left out here).
const SHARED = /src\/(browser\/(config|consent|consent-state|log|page|storage|stored-referral)|core\/(env|errors)|loader\/(pending|registry))\.ts$/;
async function scriptTagPart(entry, { chunk }) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: chunk ? 'esm' : 'iife',
    write: false,
    metafile: true,
    define: { __VERSION__: '"0.0.0"', __EMBED_WORDING__: String(/embed(-explain)?-chunk\.ts$/.test(entry)) },
    plugins: [
      {
        name: 'script-tag',
        setup(b) {
          b.onResolve({ filter: /^virtual:bp-/ }, (a) => ({ path: a.path, namespace: 'virtual' }));
          b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: 'export default {}', loader: 'js' }));
          if (!chunk) b.onResolve({ filter: /^js-cookie$/ }, () => ({ path: new URL('../src/loader/cookies.ts', import.meta.url).pathname }));
          if (chunk)
            b.onResolve({ filter: /^\./ }, (a) => (SHARED.test(path.resolve(a.resolveDir, a.path) + '.ts') ? { path: a.path, external: true } : undefined));
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  console.log(
    `\n${entry}${chunk ? ' (chunk; shared modules come from the loader)' : ' (the loader)'}: ${code.length} B minified, ${gzip(code)} B gzip (esbuild; the shipped file is built by rollup + terser)`,
  );
  for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs).sort(
    (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
  ))
    if (bytesInOutput > 20) console.log(`  ${file.replace(/^src\//, '').padEnd(40)} ${String(bytesInOutput).padStart(5)} B minified`);
}
await scriptTagPart('src/script-tag.ts', { chunk: false });
await scriptTagPart('src/loader/track-chunk.ts', { chunk: true });
await scriptTagPart('src/loader/embed-chunk.ts', { chunk: true });

// The floor of a landing page: what it must run (referral capture with the click beacon, consent,
// and loading a chunk), built alone from src/ with production messages. None of what issue 20
// also puts in the loader is in it: the Buyapowa class, the queue of calls made before the loader
// arrived, the data-* options, the consent platforms' hook, the explain hook, and the bindings the
// loader shares with its chunks. It is the least a loader doing this job weighs as written today.
const floor = await build({
  stdin: {
    contents: `import { capture, clearReferral, getReferral } from './src/browser/attribution';
      import { getConsent, setConsent } from './src/browser/consent';
      import { loadChunk, setBase } from './src/loader/registry';
      import { readCalls } from './src/loader/pending';
      setBase(document.currentScript);
      window.Buyapowa = Object.assign(() => loadChunk('track', ''), { setConsent, getConsent, captureReferral: capture, getReferral, clearReferral });
      capture({ ...document.currentScript?.dataset });
      setTimeout(() => readCalls() && loadChunk('track', ''), 0);`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'iife',
  write: false,
  define: { __VERSION__: '"0.0.0"', __EMBED_WORDING__: 'false', 'process.env.NODE_ENV': '"production"' },
  plugins: [
    {
      name: 'chunk-table',
      setup(b) {
        // The loader's table of the four chunks it pins, as built (file and SRI hash each).
        const hash = (name) => createHash('sha256').update(name).digest('base64');
        const table = Object.fromEntries(
          ['track', 'embed', 'consent', 'explain'].map((name) => [name, [`chunks/${name}.${hash(name).slice(0, 8)}.js`, 'sha256-' + hash(name)]]),
        );
        b.onResolve({ filter: /^virtual:bp-/ }, (a) => ({ path: a.path, namespace: 'virtual' }));
        b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: `export default ${JSON.stringify(table)}`, loader: 'js' }));
      },
    },
  ],
});
console.log(
  `\nThe floor of a landing page (referral capture, consent and the chunk registry alone; no Buyapowa class, queue, data-* options or shared bindings): ${gzip(floor.outputFiles[0].text)} B gzip`,
);
