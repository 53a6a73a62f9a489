#!/usr/bin/env node
// npm run size:readme: measures the bundles with Size Limit (.size-limit.cjs, after a build) and
// writes the size table of bench/README.md between <!-- sizes:start --> and <!-- sizes:end -->, so the
// sizes have one source. `--check` writes nothing and exits 1 when the table is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const README = new URL('../bench/README.md', import.meta.url);
const START = '<!-- sizes:start -->';
const END = '<!-- sizes:end -->';

/** Size Limit's figures: [{ name, size, sizeLimit, passed }], sizes in bytes. */
function measure() {
  let out;
  try {
    out = execFileSync('npx', ['--no-install', 'size-limit', '--json'], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
  } catch (error) {
    out = error.stdout; // over a limit: Size Limit still prints the figures, and exits 1
  }
  return JSON.parse(out);
}

/** Bytes as Size Limit prints them: 3446 → "3.45 kB". */
const kB = (bytes) => `${+(bytes / 1000).toFixed(2)} kB`;

/** `import { track }` and file paths in code style; the rest as written in .size-limit.cjs. */
const label = (name) => name.replace(/^(import \{[^}]*\}|\S+\.js)/, '`$1`');

export function sizeTable(results) {
  return [
    '| what you load | size (minified, gzip) | limit |',
    '|---|---|---|',
    ...results.map((r) => `| ${label(r.name)} | ${kB(r.size)} | ${kB(r.sizeLimit)} |`),
  ].join('\n');
}

const readme = readFileSync(README, 'utf8');
const [before, rest] = readme.split(START);
if (rest === undefined || !rest.includes(END)) throw new Error(`bench/README.md has no ${START} … ${END} block`);
const after = rest.slice(rest.indexOf(END));
const next = `${before}${START}\n${sizeTable(measure())}\n${after}`;
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('bench/README.md: the size table is stale; run `npm run size:readme`.');
    process.exitCode = 1;
  }
} else if (next !== readme) {
  writeFileSync(README, next);
  console.log('bench/README.md: size table updated.');
} else console.log('bench/README.md: size table already current.');
