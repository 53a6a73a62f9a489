#!/usr/bin/env node
// npm run sri: the Subresource Integrity value of the built loader (dist/embedding.min.js), for
// `<script integrity="…" crossorigin="anonymous">`. The loader pins its chunks itself: their
// sha384 values are written into it at build time (rollup.config.mjs), so pinning the loader
// pins everything it loads. Run `npm run build` first.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const integrity = (file) =>
  'sha384-' +
  createHash('sha384')
    .update(readFileSync(new URL(file, dist)))
    .digest('base64');

if (!existsSync(new URL('embedding.min.js', dist))) {
  console.error('dist/embedding.min.js is missing: run `npm run build` first.');
  process.exit(1);
}
console.log(`embedding.min.js  ${integrity('embedding.min.js')}`);
for (const file of readdirSync(new URL('chunks/', dist))
  .filter((name) => name.endsWith('.js'))
  .sort())
  console.log(`chunks/${file}  ${integrity('chunks/' + file)}  (pinned by the loader)`);
