#!/usr/bin/env node
// npm run bench: builds (npm script), then measures sizes and main-thread cost against peers,
// and how cost grows with the outbox; prints the tables, writes bench/results/<date>.json and
// latest.json, and rewrites the benchmark block of bench/README.md. It only prints figures; nothing here
// passes or fails on a timing.
//
//   node bench/run.js [--runs=21] [--no-readme] [--only=outbox|pages]
//
// --only=outbox measures and prints the outbox table alone (no peers, nothing written).
// --only=pages measures what each kind of page fetches and its load-to-ready time, beside the
// peers' sizes and the main-thread cost of the script tag and Snowplow (nothing written).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ROOT, measureSizes, versionOf } from './sizes.js';
import { launchChromium, startStack } from './stack.js';
import { measureMainThread, measureOutbox } from './browser.js';
import { measurePages, pagesTable } from './pages.js';
import { machineLine, mainTable, outboxTable, readmeBlock, rewriteReadme, text } from './report.js';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? true]),
);
const runs = Math.max(1, Number(args.runs) || 21);
const warmup = 2;
const settle = 100;
const log = (line) => process.stderr.write(line + '\n');

for (const file of ['dist/index.js', 'dist/embedding.min.js', 'dist/shopify-pixel.js'])
  if (!existsSync(ROOT + file)) {
    console.error(`bench: ${file} is missing; run \`npm run bench\` (it builds first) or \`npm run build\`.`);
    process.exit(1);
  }

function osName() {
  try {
    const pretty = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m);
    if (pretty) return `${pretty[1]} (${os.type()} ${os.release()})`;
  } catch {
    // no /etc/os-release: the kernel's name below
  }
  return `${os.type()} ${os.release()}`;
}

if (args.only === 'outbox') {
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const outbox = await measureOutbox({ browser, stack, runs, log });
    console.log(text(outboxTable({ outbox })));
    for (const r of outbox.rows)
      if (r.incomplete) console.log(`warning: outbox ${r.tracked}: ${r.incomplete} of ${r.runs} loads did not get every conversion confirmed`);
  } finally {
    await browser.close();
    await stack.close();
  }
  process.exit(0);
}

/** Prints the page table, and the landing page's eval + init beside Snowplow's. */
function printPages(pages, sizes, mainThread) {
  const table = pagesTable(pages, sizes, mainThread);
  console.log(text(table));
  const c = table.landingCost;
  if (c)
    console.log(
      `landing page eval + init (script tag alone): ${c.oursMs.toFixed(2)} ms, Snowplow init: ${c.snowplowMs.toFixed(2)} ms, ratio ${c.ratio.toFixed(2)} (medians)`,
    );
}

if (args.only === 'pages') {
  const sizes = await measureSizes();
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const mainThread = await measureMainThread({ browser, stack, runs, warmup, settle, only: ['script-tag', 'snowplow'], log });
    const pages = await measurePages({ browser, stack, runs, log });
    printPages(pages, sizes, mainThread);
  } finally {
    await browser.close();
    await stack.close();
  }
  process.exit(0);
}

log('bench: sizes');
const sizes = await measureSizes();

log('bench: Chromium');
const stack = await startStack();
const browser = await launchChromium();
const chromiumVersion = browser.version();
let mainThread, outbox, pages;
try {
  mainThread = await measureMainThread({ browser, stack, runs, warmup, settle, log });
  log('bench: pages');
  pages = await measurePages({ browser, stack, runs: Math.min(runs, 11), log });
  log('bench: outbox growth');
  outbox = await measureOutbox({ browser, stack, runs, log });
} finally {
  await browser.close();
  await stack.close();
}

// Anything that makes a figure doubtful is said, not hidden.
const warnings = [];
for (const [id, m] of Object.entries(mainThread)) {
  if (m.missedCalls) warnings.push(`${id}: ${m.missedCalls} of ${m.runs} calls sent no request within the timeout`);
  if (m.pageErrors.length) warnings.push(`${id}: page errors: ${m.pageErrors.join(' | ')}`);
}
for (const r of outbox.rows) if (r.incomplete) warnings.push(`outbox ${r.tracked}: ${r.incomplete} of ${r.runs} loads did not get every conversion confirmed`);

const cpus = os.cpus();
const result = {
  date: new Date().toISOString(),
  machine: {
    cpu: (cpus[0] && cpus[0].model.trim()) || 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    arch: os.arch(),
    node: process.version,
    chromium: chromiumVersion,
    playwright: versionOf('playwright-core'),
    esbuild: versionOf('esbuild'),
  },
  settings: { runs, warmup, settle, note: 'one run of the bench on this machine; medians of `runs` runs per figure' },
  sizes,
  mainThread,
  pages,
  outbox,
  warnings,
};

mkdirSync(ROOT + 'bench/results', { recursive: true });
const json = JSON.stringify(result, null, 2) + '\n';
const dated = `bench/results/${result.date.slice(0, 10)}.json`;
writeFileSync(ROOT + dated, json);
writeFileSync(ROOT + 'bench/results/latest.json', json);

console.log(`\nbuyapowa-sdk bench, ${result.date.slice(0, 10)}, one run on ${machineLine(result.machine)}\n`);
console.log(text(mainTable(result)));
console.log(`\nmain thread: medians of ${runs} runs; long tasks summed over them. Sizes in bytes.\n`);
printPages(pages, sizes, mainThread);
console.log('');
console.log(text(outboxTable(result)));
for (const w of warnings) console.log('warning: ' + w);
console.log(`\nwritten: ${dated}, bench/results/latest.json`);

if (!args['no-readme']) {
  rewriteReadme(ROOT + 'bench/README.md', readmeBlock(result));
  console.log('bench/README.md: benchmark section rewritten');
}

// The server API client's batch figures (bench/api.js, its own process for a clean heap baseline).
const { spawnSync } = await import('node:child_process');
spawnSync(process.execPath, ['--expose-gc', ROOT + 'bench/api.js'], { stdio: 'inherit' });

// The relay's cost beside a bare node:http proxy to the same upstream (bench/relay.js).
spawnSync(process.execPath, [ROOT + 'bench/relay.js'], { stdio: 'inherit' });
