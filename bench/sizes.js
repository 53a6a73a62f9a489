// Bundle sizes, measured the way shared research measured the peers: each entry bundled with
// `esbuild --bundle --minify --format=esm --platform=browser`, then gzip -9 (GNU gzip when the
// machine has it, else zlib at level 9) and brotli quality 11 (zlib.brotliCompressSync).
// The prebuilt files we ship (embedding.min.js, shopify-pixel.js) are measured as shipped.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const entry = (name) => fileURLToPath(new URL(`./entries/${name}.js`, import.meta.url));

/**
 * What is measured. `kind`: `ours` or `peer`. `compare`: the peers our row is set against.
 * `file`: a prebuilt file measured as shipped; otherwise `entry` is bundled.
 */
export const SUBJECTS = [
  {
    id: 'track',
    kind: 'ours',
    label: '`import { track }`',
    job: 'send a conversion',
    entry: entry('ours-track'),
    compare: ['snowplow', 'segment', 'plausible'],
  },
  {
    id: 'embed',
    kind: 'ours',
    label: '`import { embedReferAFriend }`',
    job: 'embed the campaign iframe',
    entry: entry('ours-embed'),
    compare: ['iframe-resizer'],
  },
  {
    id: 'capture',
    kind: 'ours',
    label: '`import { captureReferral }`',
    job: 'remember the referral click',
    entry: entry('ours-capture'),
    compare: ['js-cookie'],
  },
  {
    id: 'script-tag',
    kind: 'ours',
    label: '`dist/embedding.min.js`',
    job: 'script-tag loader (chunks on demand)',
    file: 'dist/embedding.min.js',
    compare: ['snowplow', 'segment', 'iframe-resizer'],
  },
  {
    id: 'pixel',
    kind: 'ours',
    label: '`dist/shopify-pixel.js`',
    job: 'Shopify custom pixel',
    file: 'dist/shopify-pixel.js',
    compare: ['snowplow', 'segment', 'plausible'],
  },
  { id: 'snowplow', kind: 'peer', label: 'Snowplow', pkg: '@snowplow/browser-tracker', job: 'init + one event', entry: entry('snowplow') },
  { id: 'segment', kind: 'peer', label: 'Segment', pkg: '@segment/analytics-next', job: 'load + track, no splitting', entry: entry('segment') },
  { id: 'plausible', kind: 'peer', label: 'Plausible', pkg: '@plausible-analytics/tracker', job: 'init + one event', entry: entry('plausible') },
  { id: 'iframe-resizer', kind: 'peer', label: 'iframe-resizer', pkg: '@iframe-resizer/parent', job: 'one iframe', entry: entry('iframe-resizer') },
  { id: 'js-cookie', kind: 'peer', label: 'js-cookie', pkg: 'js-cookie', job: 'set + get', entry: entry('js-cookie') },
];

/** Bundles an entry as the research did (ESM), or as an IIFE for a classic <script> in Chromium. */
export async function bundle(entryPoint, format = 'esm') {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format,
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return result.outputFiles[0].contents;
}

let gnuGzip;
/** `gzip -9 -c < file | wc -c`, or zlib level 9 without GNU gzip. */
function gzipSize(bytes) {
  if (gnuGzip !== false) {
    try {
      const out = execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 64 << 20 });
      gnuGzip = true;
      return out.length;
    } catch {
      gnuGzip = false;
    }
  }
  return zlib.gzipSync(bytes, { level: 9 }).length;
}

const brotliSize = (bytes) =>
  zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;

/** The installed version of a package (read from its package.json). */
export function versionOf(pkg) {
  // The peers are installed in bench/node_modules (bench/package.json); js-cookie in the root.
  for (const dir of [`${ROOT}bench/node_modules/`, `${ROOT}node_modules/`])
    try {
      return JSON.parse(readFileSync(`${dir}${pkg}/package.json`, 'utf8')).version;
    } catch {
      // not installed here
    }
  return null;
}

/**
 * Measures every subject. Returns rows `{ id, kind, label, job, version, min, gzip, brotli,
 * vs: { peerId: ratio of gzip } }` and the method used.
 */
export async function measureSizes() {
  const rows = [];
  for (const s of SUBJECTS) {
    const bytes = s.file ? readFileSync(ROOT + s.file) : await bundle(s.entry);
    rows.push({
      id: s.id,
      kind: s.kind,
      label: s.label,
      job: s.job,
      package: s.pkg || 'buyapowa-sdk',
      version: s.pkg ? versionOf(s.pkg) : JSON.parse(readFileSync(ROOT + 'package.json', 'utf8')).version,
      measured: s.file ? `${s.file} as shipped` : `esbuild bundle of bench/entries/${s.entry.split('/').pop()}`,
      min: bytes.length,
      gzip: gzipSize(bytes),
      brotli: brotliSize(bytes),
    });
  }
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const s of SUBJECTS) if (s.compare) byId[s.id].vs = Object.fromEntries(s.compare.map((p) => [p, round(byId[s.id].gzip / byId[p].gzip, 2)]));
  return {
    method: {
      bundler: `esbuild ${versionOf('esbuild')} --bundle --minify --format=esm --platform=browser`,
      gzip: gnuGzip ? 'GNU gzip -9' : 'zlib gzip level 9 (no gzip binary)',
      brotli: 'zlib brotliCompressSync, quality 11',
      ratio: 'our gzip size divided by the gzip size of the peer',
    },
    rows,
  };
}

export const round = (x, digits = 1) => (x == null || Number.isNaN(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);
