#!/usr/bin/env node
// npm run size:why: where the bytes of each npm import go, and what each would weigh
// without the help it gives developers. Builds with esbuild like size-limit does (minify,
// gzip -9), from dist/ (run `npm run build` first). Prints figures; passes or fails nothing.
import { build } from 'esbuild';
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
        setup: (b) => b.onLoad({ filter: /dist[\\/][\w-]+\.js$/ }, (a) => {
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
  config: 'export const resolveConfig = (c) => ({ ...c, base: c.url, origin: c.url }), checkTrackUrl = () => false, checkTimeout = () => false;',
  conversion: 'export const checkConversion = (c) => ({ fields: c, errors: [], warnings: [] });',
  log: 'export const log = () => {}; export const enableDebug = () => {};',
};
console.log('\nWithout config checks, conversion checks and console lines:');
for (const name of ['track', 'embedReferAFriend', 'captureReferral'])
  console.log(`  import { ${name} }: ${gzip((await bundle(name, noHelp)).code)} B gzip`);
