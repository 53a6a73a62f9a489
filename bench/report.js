// Tables from a result (bench/results/*.json): markdown for the README, aligned text for the
// terminal, and the rewrite of the README block between the bench markers.
import { readFileSync, writeFileSync } from 'node:fs';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

const LABELS = { snowplow: 'Snowplow', segment: 'Segment', plausible: 'Plausible', 'iframe-resizer': 'iframe-resizer', 'js-cookie': 'js-cookie' };
const bytes = (n) => (n == null ? '—' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' '));
const ms = (x, digits = 1) => (x == null ? '—' : x.toFixed(digits));

/** What the "call" column measures, per subject. */
const CALLS = {
  track: 'track() → fetch',
  'script-tag': 'track() → fetch',
  snowplow: 'trackStructEvent() → fetch',
  segment: 'analytics.track() → fetch',
  plausible: 'track() → fetch',
  embed: 'embedReferAFriend() → iframe in DOM',
  'iframe-resizer': 'new iframe + iframeResize() → iframe in DOM',
  capture: 'captureReferral() returns',
  'js-cookie': 'set() + get() return',
};

/** The main table: one row per bundle, size and main-thread cost side by side. */
export function mainTable(result) {
  const header = ['bundle', 'job', 'min', 'gzip', 'brotli', 'ours ÷ peer (gzip)', 'eval + init, ms', 'call, ms', 'the call measured', 'long tasks'];
  const rows = result.sizes.rows.map((r) => {
    const m = result.mainThread[r.id];
    const name = r.kind === 'peer' ? `${r.label} ${r.version}` : r.label;
    const vs = r.vs
      ? Object.entries(r.vs)
          .map(([p, x]) => `${x.toFixed(2)}× ${LABELS[p]}`)
          .join(', ')
      : 'peer';
    return [
      name,
      r.job,
      bytes(r.min),
      bytes(r.gzip),
      bytes(r.brotli),
      vs,
      m ? ms(m.initMs.median) : '—',
      m ? ms(m.callMs.median) : '—',
      m ? CALLS[r.id] : r.id === 'pixel' ? "runs in Shopify's sandbox, not measured" : '—',
      m ? `${m.longTasks} in ${m.runs}` : '—',
    ];
  });
  return { header, rows };
}

/** The outbox growth table. */
export function outboxTable(result) {
  const header = [
    'conversions tracked, platform down',
    'kept in outbox',
    'reported failed',
    'bytes stored',
    'restore + hand over, ms',
    'requests',
    'ms per extra conversion',
    'until all confirmed, ms',
    'long tasks',
  ];
  const rows = [];
  let previous = null;
  for (const r of result.outbox.rows) {
    const t = r.handedMs.median;
    const marginal = previous && r.kept > previous.kept ? (t - previous.handedMs.median) / (r.kept - previous.kept) : null;
    rows.push([
      bytes(r.tracked),
      String(r.kept),
      String(r.failedEvents),
      bytes(r.bytes),
      ms(t),
      String(r.requests),
      marginal == null ? '—' : ms(marginal, 2),
      ms(r.confirmedMs.median),
      `${r.longTasks} in ${r.runs} (longest ${r.longestTaskMs} ms)`,
    ]);
    if (r.kept > (previous ? previous.kept : 0)) previous = r;
  }
  const d = result.outbox.direct;
  if (d) {
    const res = d.result;
    rows.push([
      `${bytes(d.n)} written straight into localStorage`,
      res ? String(res.left) : '—',
      res ? String(res.counts.failed) : '—',
      bytes(d.bytes),
      d.finished ? ms(res.handedMs) : `did not finish: page busy ≥ ${Math.round(d.blockedMs / 1000)} s`,
      res ? String(res.requests) : '—',
      '—',
      d.finished ? ms(res.confirmedMs) : `platform received ${d.platformReceived}`,
      res ? `${res.longTasks.length} (longest ${Math.max(0, ...res.longTasks)} ms)` : '—',
    ]);
  }
  return { header, rows };
}

export function markdown({ header, rows }) {
  const line = (cells) => '| ' + cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ') + ' |';
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function text({ header, rows }) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const machineLine = (m) =>
  `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, Chromium ${m.chromium} (headless, Debian package, driven by playwright-core ${m.playwright})`;

/** The README block: tables, date, machine, method and caveat. */
export function readmeBlock(result) {
  const m = result.machine;
  const s = result.settings;
  const direct = result.outbox.direct;
  const capRow = result.outbox.rows.find((r) => r.tracked > 100);
  return `Measured by \`npm run bench\` on ${result.date.slice(0, 10)}, on ${machineLine(m)}.
**These figures come from one run on that machine**; yours will differ, so compare rows with each
other rather than with another machine. The full result is in \`bench/results/latest.json\`.

${markdown(mainTable(result))}

- **Sizes** in bytes. Entries in \`bench/entries/\` are bundled with \`${result.sizes.method.bundler}\`,
  then compressed with ${result.sizes.method.gzip} and brotli quality 11: the method of the peer
  measurements in our research. \`embedding.min.js\` and the pixel are measured as shipped. Our
  entries make one call each, like the peers' (init + one event).
- **Main thread**: medians of ${s.runs} runs in Chromium, after ${s.warmup} warm-up rounds; every run is a
  fresh browser context on the example merchant's page, the subjects interleaved in one browser
  session. The bundle is inserted as an inline classic script (the same entry built as an IIFE).
  *eval + init*: script inserted until it has run, plus, for Segment, until its load promise
  resolves. *call*: after ${s.settle} ms of quiet, from the call until the request is handed to
  the browser (\`fetch\` called), the iframe is in the DOM (MutationObserver), or the call
  returns. The first call on a page includes the first \`localStorage\`/\`document.cookie\` access.
  Requests go to the dev platform over HTTP (peers' collectors point at it too; Segment gets its
  settings inline because its CDN is unreachable here). *long tasks*: tasks over 50 ms
  (PerformanceObserver \`longtask\`) that started after the script was inserted, summed over the runs.

How the outbox grows: conversions tracked with \`track()\` while the platform drops every
connection, then ${s.runs} page loads with the script-tag build that restore the kept conversions
from \`localStorage\` and send them, with the platform up (medians).

${markdown(outboxTable(result))}

- The cap holds on the way in: of ${bytes(capRow ? capRow.tracked : 1000)} conversions tracked, ${capRow ? capRow.kept : '—'} stay in the
  outbox and ${capRow ? capRow.failedEvents : '—'} are reported as \`failed\` ("${capRow ? capRow.failedReasons.join('", "') : ''}").
- *restore + hand over* ends when the request carrying the last pending conversion has started
  (\`fetch\` called); *requests* counts the POSTs to \`/track\` in a load: the due conversions for one
  endpoint go up to 25 per request (a batch, docs/protocol.md §2.4).
- *ms per extra conversion* is the slope between consecutive rows: constant when growth is linear.
${
  direct
    ? `- The last row writes ${bytes(direct.n)} valid entries into \`bp_outbox:v2\` directly (as another writer could).
  ${direct.finished ? `The SDK kept ${direct.result.left} after the flush.` : `The SDK did not recover: the page stayed busy until the bench stopped it after ${Math.round(direct.blockedMs / 1000)} s, and the platform received ${direct.platformReceived} conversions.`}`
    : ''
}
${(result.warnings || []).map((w) => `- Warning from this run: ${w}.`).join('\n')}`;
}

/** Rewrites only what is between the markers. */
export function rewriteReadme(path, block) {
  const readme = readFileSync(path, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  writeFileSync(path, readme.slice(0, a + START.length) + '\n' + block.trim() + '\n' + readme.slice(b));
}
