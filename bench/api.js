#!/usr/bin/env node
// The server API client's batch figures (issue 12), printed beside the CSV library alone:
//   1. rows per second of a 100,000-row trackBatch (checks + CSV + multipart) with an injected
//      fetch that reads every upload, beside csv-stringify writing the same rows alone;
//   2. the same batch over HTTP to the dev platform (which parses and stores every row);
//   3. peak heap growth while a 1,000,000-row trackBatch streams from a generator.
// It only prints figures (and writes bench/results/api-latest.json); nothing passes or fails on a timing.
//
//   node --expose-gc bench/api.js [--rows=100000] [--peak-rows=1000000] [--no-http]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';

if (typeof globalThis.gc !== 'function') {
  // Peak heap needs a clean baseline: re-run with --expose-gc.
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? true]),
);
const ROWS = Number(args.rows) || 100_000;
const PEAK_ROWS = Number(args['peak-rows']) || 1_000_000;
const ROWS_PER_REQUEST = 5000;
const MB = 1024 * 1024;

let sdk;
try {
  sdk = await import('../dist/api.js');
} catch (error) {
  console.error(`bench/api: dist/api.js is missing (${error.message}); run \`npm run build\` first.`);
  process.exit(1);
}
const { BuyapowaApi } = sdk;

function* orders(count) {
  for (let i = 0; i < count; i++) {
    yield {
      referrer_email: `referrer${i % 997}@example.com`,
      full_name: i % 10 === 0 ? `Zoë "Z", Smith ${i}` : `Jane Smith ${i}`,
      email_address: `buyer${i}@example.com`,
      marketing_opt_in: i % 2 ? 'true' : 'false',
      order_value: `${(i % 500) + 1}.99`,
      order_number: `ORDER-${i}`,
      order_timestamp: String(1_700_000_000 + i),
      client_data: { membership_number: `M-${i}` },
      locale: 'en',
    };
  }
}

/** A fetch that reads the whole upload, as a server would, and answers 201. */
function readingFetch(onUpload) {
  return async (_url, init) => {
    const csv = await init.body.get('csv').text();
    onUpload(csv.length);
    return new Response('{"status":"created"}', { status: 201, headers: { 'content-type': 'application/json' } });
  };
}

const rate = (rows, ms) => Math.round(rows / (ms / 1000));

// 3. (measured first) Peak heap growth over a 1,000,000-row batch from a generator. First, because
// V8 raises its collection threshold after a large live heap (the dev platform's store in phase 2).
globalThis.gc();
const baseline = process.memoryUsage().heapUsed;
let peak = baseline;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peak) peak = used;
};
const sampler = setInterval(sample, 5);
const peakApi = new BuyapowaApi({ market: 'bench', authToken: 'bench-token', baseUrl: 'http://bench.invalid', fetch: readingFetch(sample) });
let started = performance.now();
const big = await peakApi.referrals.trackBatch(orders(PEAK_ROWS), { rowsPerRequest: ROWS_PER_REQUEST, onProgress: sample });
const peakMs = performance.now() - started;
clearInterval(sampler);
sample();

// 1. trackBatch in process vs csv-stringify alone (same rows, same chunking, arrays in heading order).
let bytes = 0;
const api = new BuyapowaApi({ market: 'bench', authToken: 'bench-token', baseUrl: 'http://bench.invalid', fetch: readingFetch((n) => (bytes += n)) });
await api.referrals.trackBatch(orders(10_000)); // warm-up
bytes = 0;
started = performance.now();
await api.referrals.trackBatch(orders(ROWS), { rowsPerRequest: ROWS_PER_REQUEST });
const clientMs = performance.now() - started;
const clientBytes = bytes;

const HEADINGS = [
  'ReferrerEmail',
  'VoucherCode',
  'FullName',
  'EmailAddress',
  'MarketingOptIn',
  'OrderValue',
  'OrderNumber',
  'OrderTimestamp',
  'RewardCategory',
  'ClientData_membership_number',
  'Locale',
];
const toCells = (o) => [
  o.referrer_email,
  '',
  o.full_name,
  o.email_address,
  o.marketing_opt_in,
  o.order_value,
  o.order_number,
  o.order_timestamp,
  '',
  o.client_data.membership_number,
  o.locale,
];
const csvAlone = () => {
  let chunk = [];
  let written = 0;
  for (const o of orders(ROWS)) {
    chunk.push(toCells(o));
    if (chunk.length < ROWS_PER_REQUEST) continue;
    written += stringify([HEADINGS, ...chunk]).length;
    chunk = [];
  }
  if (chunk.length) written += stringify([HEADINGS, ...chunk]).length;
  return written;
};
csvAlone(); // warm-up
started = performance.now();
const libraryBytes = csvAlone();
const libraryMs = performance.now() - started;

// 2. Over HTTP to the dev platform.
let http = null;
if (!args['no-http']) {
  const { createPlatform } = await import('../examples/platform/platform.js');
  const platform = await createPlatform({ port: 0 });
  try {
    const markets = (await import('../examples/platform/markets.json', { with: { type: 'json' } })).default;
    const overHttp = new BuyapowaApi({ market: 'demo', authToken: markets.demo.authToken, baseUrl: platform.url });
    started = performance.now();
    const result = await overHttp.referrals.trackBatch(orders(ROWS), { rowsPerRequest: ROWS_PER_REQUEST });
    const ms = performance.now() - started;
    http = {
      rows: result.rows,
      chunks: result.chunks.length,
      created: result.chunks.filter((c) => c.created).length,
      ms: Math.round(ms),
      rowsPerSecond: rate(ROWS, ms),
    };
  } finally {
    await platform.close();
  }
}

const result = {
  date: new Date().toISOString(),
  node: process.version,
  rowsPerRequest: ROWS_PER_REQUEST,
  trackBatch: { rows: ROWS, ms: Math.round(clientMs), rowsPerSecond: rate(ROWS, clientMs), csvBytes: clientBytes },
  csvStringifyAlone: { rows: ROWS, ms: Math.round(libraryMs), rowsPerSecond: rate(ROWS, libraryMs), csvBytes: libraryBytes },
  clientOverLibrary: Math.round((clientMs / libraryMs) * 100) / 100,
  overHttpToDevPlatform: http,
  peakHeap: {
    rows: big.rows,
    chunks: big.chunks.length,
    growthMB: Math.round(((peak - baseline) / MB) * 10) / 10,
    ms: Math.round(peakMs),
    rowsPerSecond: rate(PEAK_ROWS, peakMs),
  },
};

console.log(`\nbuyapowa-sdk/api batch figures, ${result.date.slice(0, 10)}, Node ${process.version}, ${ROWS_PER_REQUEST} rows per request\n`);
console.log('| measured | rows | ms | rows/s | note |');
console.log('| --- | --- | --- | --- | --- |');
console.log(
  `| \`api.referrals.trackBatch\`, injected fetch reading each upload | ${ROWS} | ${result.trackBatch.ms} | ${result.trackBatch.rowsPerSecond} | checks + CSV + FormData; ${result.clientOverLibrary}× the time of csv-stringify alone |`,
);
console.log(
  `| csv-stringify/sync alone, same rows and chunks | ${ROWS} | ${result.csvStringifyAlone.ms} | ${result.csvStringifyAlone.rowsPerSecond} | the library underneath |`,
);
if (http)
  console.log(
    `| \`trackBatch\` over HTTP to the dev platform | ${ROWS} | ${http.ms} | ${http.rowsPerSecond} | ${http.chunks} uploads, ${http.created} answered 201; includes the platform's parsing and storing |`,
  );
console.log(
  `| peak heap growth, \`trackBatch\` of a generator | ${result.peakHeap.rows} | ${result.peakHeap.ms} | ${result.peakHeap.rowsPerSecond} | **${result.peakHeap.growthMB} MB** above the baseline after gc (${result.peakHeap.chunks} chunks) |`,
);

mkdirSync(ROOT + 'bench/results', { recursive: true });
writeFileSync(ROOT + 'bench/results/api-latest.json', JSON.stringify(result, null, 2) + '\n');
console.log('\nwritten: bench/results/api-latest.json');
