// What each kind of page fetches from the SDK's host, and how long it takes to be ready, in
// Chromium against the dev platform: the landing page (loader alone, a share link's bp_e), the
// thank-you page (loader + track chunk, the guide's tracking tag) and the refer-a-friend page
// (loader + embed chunk, the guide's embed tag). Bytes are every script the SDK's host served
// while the page did its job, each compressed with gzip -9 as a CDN would serve it.
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';

/** The page budgets of the product brief (gzip -9 bytes). */
export const PAGE_BUDGETS = { landing: 3584, 'thank-you': 7680, 'refer-a-friend': 7680 };

const gzip = (bytes) => {
  try {
    return execFileSync('gzip', ['-9', '-c'], { input: bytes }).length;
  } catch {
    return zlib.gzipSync(bytes, { level: 9 }).length;
  }
};
const median = (xs) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null;
};

/** The three pages, each with a mark (`window.__ready`, ms since navigation start) when its job is done. */
function pages(stack, run) {
  const tag = `<script src="${stack.platformUrl}/embedding.min.js" data-url="${stack.platformUrl}" data-market="${stack.market}"></script>`;
  const config = `{url: "${stack.platformUrl}", market: "${stack.market}"}`;
  return {
    // The loader has captured the referral when the next script runs.
    landing: {
      path: `/bench-landing?bp_e=${encodeURIComponent('c/wMvXhE+benchToken==')}`,
      html: `<!doctype html>${tag}<script>window.__ready = performance.now();</script>`,
    },
    // The platform confirmed the conversion.
    'thank-you': {
      path: '/bench-thanks',
      html: `<!doctype html>${tag}<script>new Buyapowa(${config}).track({ customer_email: "jane@shop.example", order_number: "BENCH-PAGE-${run}-" + Math.random(), order_value: 42 })
        .then(function (r) { window.__ready = performance.now(); window.__status = r.status; });</script>`,
    },
    // The campaign answered the handshake.
    'refer-a-friend': {
      path: '/bench-raf',
      html: `<!doctype html>${tag}<div id="bp_error" hidden>Sorry</div><div id="bp_div"></div><script>
        new Buyapowa(${config}, "bp_div", "bp_error").embedReferAFriend({ campaign: "refer-a-friend" }).ready
          .then(function (r) { window.__ready = performance.now(); window.__status = r.handshake ? 'handshake' : 'no handshake'; });</script>`,
    },
  };
}

/**
 * Loads each kind of page `runs` times (fresh context each, rotating order). Returns per page
 * the scripts the SDK's host served (file, raw and gzip -9 bytes, the most seen in a run), their
 * total, and the load-to-ready summary (ms from navigation start).
 */
export async function measurePages({ browser, stack, runs = 7, timeout = 15000, log = () => {} }) {
  const host = new URL(stack.platformUrl).host;
  const kinds = Object.keys(PAGE_BUDGETS);
  const out = Object.fromEntries(kinds.map((k) => [k, { scripts: {}, readyMs: [], statuses: [] }]));
  for (let run = 0; run < runs; run++) {
    const defs = pages(stack, run);
    for (const kind of kinds.map((_, i) => kinds[(i + run) % kinds.length])) {
      const { path, html } = defs[kind];
      stack.merchant.addPage(path.split('?')[0], html);
      const context = await browser.newContext();
      const page = await context.newPage();
      const bodies = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        // The page's own scripts: the campaign iframe's scripts are the campaign's, not the SDK's.
        if (url.host === host && response.request().resourceType() === 'script' && response.frame() === page.mainFrame())
          bodies.push(
            response.body().then(
              (b) => [url.pathname, b],
              () => null,
            ),
          );
      });
      try {
        await page.goto(stack.merchantUrl + path);
        await page.waitForFunction(() => window.__ready != null, null, { timeout }).catch(() => null);
        await page.waitForLoadState('networkidle');
        const [ready, status] = await page.evaluate(() => [window.__ready ?? null, window.__status ?? null]);
        out[kind].readyMs.push(ready);
        out[kind].statuses.push(status);
        for (const got of await Promise.all(bodies)) {
          if (!got) continue;
          const [file, body] = got;
          out[kind].scripts[file] = { file, bytes: body.length, gzip: gzip(body) };
        }
      } finally {
        await context.close();
      }
    }
    log(`  pages: round ${run + 1}/${runs}`);
  }
  const result = {};
  for (const kind of kinds) {
    const scripts = Object.values(out[kind].scripts);
    result[kind] = {
      scripts,
      gzip: scripts.reduce((n, s) => n + s.gzip, 0),
      budget: PAGE_BUDGETS[kind],
      readyMs: {
        median: median(out[kind].readyMs),
        min: Math.min(...out[kind].readyMs.filter((x) => x != null)),
        max: Math.max(...out[kind].readyMs.filter((x) => x != null)),
        n: out[kind].readyMs.filter((x) => x != null).length,
      },
      statuses: [...new Set(out[kind].statuses)],
      runs,
    };
  }
  return result;
}

/** The page table: bytes per kind of page beside the budget and the peers, and load-to-ready. */
export function pagesTable(pagesResult, sizes, mainThread) {
  const gzipOf = (id) => sizes.rows.find((r) => r.id === id)?.gzip;
  const snowplow = gzipOf('snowplow');
  const header = [
    'page',
    'scripts from the SDK host',
    'gzip -9, B',
    'budget, B',
    '÷ Snowplow (init + one event)',
    '÷ Segment',
    'load → ready, ms (median)',
    'ready means',
  ];
  const means = { landing: 'referral stored', 'thank-you': 'conversion confirmed', 'refer-a-friend': 'campaign handshake' };
  const rows = Object.entries(pagesResult).map(([kind, p]) => [
    kind,
    p.scripts.map((s) => `${s.file.split('/').pop()} ${s.gzip}`).join(' + '),
    String(p.gzip),
    `${p.budget}${p.gzip > p.budget ? ' (over)' : ''}`,
    snowplow ? (p.gzip / snowplow).toFixed(2) : '—',
    gzipOf('segment') ? (p.gzip / gzipOf('segment')).toFixed(2) : '—',
    p.readyMs.median == null ? '—' : p.readyMs.median.toFixed(1),
    `${means[kind]} (${p.statuses.join(', ')}, ${p.readyMs.n} of ${p.runs})`,
  ]);
  // The landing page's own cost: the loader's eval + init beside Snowplow's, from the main-thread runs.
  const tag = mainThread && mainThread['script-tag'];
  const peer = mainThread && mainThread.snowplow;
  const landingCost = tag && peer ? { oursMs: tag.initMs.median, snowplowMs: peer.initMs.median, ratio: tag.initMs.median / peer.initMs.median } : null;
  return { header, rows, landingCost };
}
