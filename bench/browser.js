// Main-thread cost in Chromium, against the dev platform over HTTP. Every run is a fresh browser
// context (own renderer process, empty storage, cold V8 caches) in one browser session; rounds
// interleave the subjects, so drift of the machine spreads over all of them alike.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { bundle, ROOT, SUBJECTS } from './sizes.js';
import { BENCH_HTML, BENCH_PATH, fillOutbox, instrument, runRestore, runSubject } from './page.js';

/** How each subject is driven in the page. `kind`: see runSubject. */
const DRIVE = {
  track: { kind: 'send', match: '/track', call: 'track(config, conversion) → fetch' },
  snowplow: { kind: 'send', match: '/tp2', call: 'trackStructEvent() → fetch' },
  segment: { kind: 'send', match: '/segment/', call: 'analytics.track() → fetch (after load)' },
  plausible: { kind: 'send', match: '/api/event', call: "track('purchase') → fetch" },
  'script-tag': {
    kind: 'send',
    match: '/track',
    call: 'new Buyapowa(config).track(conversion) → fetch',
    // The guide's script-tag call, made after the file has run.
    after: ';window.benchCall=function(o){return new Buyapowa(window.BENCH_CONFIG).track({order_number:o,customer_email:"jane@shop.example",order_value:42})};',
  },
  embed: { kind: 'iframe', call: 'embedReferAFriend() → iframe in DOM' },
  'iframe-resizer': { kind: 'iframe', call: 'create iframe + iframeResize() → iframe in DOM' },
  capture: { kind: 'sync', call: 'captureReferral() with bp_e in the URL' },
  'js-cookie': { kind: 'sync', call: 'Cookies.set() + Cookies.get()' },
};

const median = (xs) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const quantile = (xs, q) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : null;
};
const summary = (xs) => ({
  median: median(xs),
  p25: quantile(xs, 0.25),
  p75: quantile(xs, 0.75),
  min: quantile(xs, 0),
  max: quantile(xs, 1),
  n: xs.filter((x) => x != null).length,
});

/** A fresh context and page on the bench page, instrumented. */
async function freshPage(browser, stack, query = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error.message || error)));
  await page.addInitScript(instrument);
  await page.goto(stack.merchantUrl + BENCH_PATH + query);
  return { context, page, errors };
}

/** Globals each bundle reads: where to send (all on the dev platform over HTTP). */
function globalsFor(stack) {
  const platformHost = new URL(stack.platformUrl).host;
  return {
    BENCH_CONFIG: { url: stack.platformUrl, market: stack.market },
    BENCH_COLLECTOR: stack.platformUrl,
    BENCH_PLAUSIBLE_ENDPOINT: stack.platformUrl + '/api/event',
    BENCH_IFRAME_SRC: `${stack.platformUrl}/iaf/refer-a-friend?market=${stack.market}`,
    // Stands in for Segment's CDN settings (cdn.segment.com is not reachable here); events go to the platform.
    BENCH_SEGMENT_SETTINGS: { integrations: { 'Segment.io': { apiKey: 'WRITE_KEY', apiHost: platformHost + '/segment', protocol: 'http' } } },
  };
}

/** The classic scripts run in Chromium: the same entries as the size rows, as IIFEs. */
async function scripts() {
  const code = {};
  for (const s of SUBJECTS) {
    if (!DRIVE[s.id]) continue;
    const source = s.file ? readFileSync(ROOT + s.file, 'utf8') : new TextDecoder().decode(await bundle(s.entry, 'iife'));
    code[s.id] = source + (DRIVE[s.id].after || '');
  }
  return code;
}

/**
 * Median of `runs` runs per subject (after `warmup` discarded rounds). Returns per subject the
 * summaries of eval, init, call, the long-task count and the raw runs.
 */
export async function measureMainThread({ browser, stack, runs = 21, warmup = 2, settle = 100, timeout = 5000, only, log = () => {} }) {
  stack.merchant.addPage(BENCH_PATH, BENCH_HTML);
  const code = await scripts();
  if (only) for (const id of Object.keys(code)) if (!only.includes(id)) delete code[id];
  const globals = globalsFor(stack);
  const ids = Object.keys(code);
  const raw = Object.fromEntries(ids.map((id) => [id, []]));
  // A share link's landing: bp_e on every page, so the capture has something to store.
  const query = '?bp_e=' + encodeURIComponent('c/wMvXhE+benchToken==');
  for (let round = 0; round < warmup + runs; round++) {
    // Rotate the order every round.
    const order = ids.map((_, i) => ids[(i + round) % ids.length]);
    for (const id of order) {
      const { context, page, errors } = await freshPage(browser, stack, query);
      try {
        const result = await page.evaluate(runSubject, {
          code: code[id] + `\n//# bench run ${round}`,
          globals,
          kind: DRIVE[id].kind,
          match: DRIVE[id].match,
          order: `BENCH-${id}-${round}-${randomUUID().slice(0, 8)}`,
          settle,
          timeout,
          // The script tag loads its chunks from the platform, as from a CDN.
          base: stack.platformUrl + '/',
        });
        if (errors.length) result.pageErrors = errors.slice(0, 3);
        if (round >= warmup) raw[id].push(result);
      } finally {
        await context.close();
      }
    }
    log(`  main thread: round ${round + 1}/${warmup + runs}${round < warmup ? ' (warm-up)' : ''}`);
  }
  const out = {};
  for (const id of ids) {
    const r = raw[id];
    out[id] = {
      call: DRIVE[id].call,
      evalMs: summary(r.map((x) => x.evalMs)),
      initMs: summary(r.map((x) => x.initMs)),
      callMs: summary(r.map((x) => x.callMs)),
      callSyncMs: summary(r.map((x) => x.callSyncMs)),
      readyMs: r.some((x) => x.readyMs != null) ? summary(r.map((x) => x.readyMs)) : undefined,
      longTasks: r.reduce((n, x) => n + x.longTasks.length, 0),
      longestTaskMs: Math.max(0, ...r.flatMap((x) => x.longTasks)),
      runs: r.length,
      missedCalls: r.filter((x) => DRIVE[id].kind !== 'sync' && x.callMs == null).length,
      request: r.find((x) => x.request)?.request,
      pageErrors: [...new Set(r.flatMap((x) => x.pageErrors || []))].slice(0, 3),
    };
  }
  return out;
}

/** Fresh ids, due now: a stored entry as a later page would find it, unique per run. */
function freshEntries(template, count, tag) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const x = template[i % template.length];
    const id = randomUUID();
    const conversion = { ...x.event.conversion, order_number: `${tag}-${i}-${id.slice(0, 8)}` };
    out.push({ ...x, event: { ...x.event, event_id: id, conversion }, due: 0, wait: false, beaconed: false });
  }
  return out;
}

/**
 * How cost grows with the outbox. For each n: n conversions tracked through the SDK while the
 * platform is down (the cap applies as they are written); then `runs` rounds of page loads, one
 * per n in rotating order, that restore what was kept and flush it to the platform, now up. Also one load with n entries written
 * straight into storage (what the cap must survive when something else wrote the outbox).
 */
export async function measureOutbox({ browser, stack, sizes = [1, 10, 100, 1000], runs = 21, timeout = 15000, direct: tryDirect = true, log = () => {} }) {
  stack.merchant.addPage(BENCH_PATH, BENCH_HTML);
  const track = new TextDecoder().decode(await bundle(SUBJECTS.find((s) => s.id === 'track').entry, 'iife'));
  const scriptTag = readFileSync(ROOT + 'dist/embedding.min.js', 'utf8');
  const globals = globalsFor(stack);
  // 1. Fill through the SDK with the platform down, once per size.
  const fills = [];
  for (const n of sizes) {
    await stack.control({ track: 'down' });
    const { context, page } = await freshPage(browser, stack);
    try {
      const fill = await page.evaluate(fillOutbox, { code: track, globals, n, prefix: `GROW-${n}-` });
      fills.push({ n, ...fill, template: JSON.parse(fill.stored) });
      log(`  outbox ${n}: tracked with the platform down → ${JSON.stringify(fill.counts)}, ${fill.kept} kept`);
    } finally {
      await context.close();
      await stack.control({ track: null });
    }
  }

  // 2. Restore and flush on page load, platform up; the sizes interleaved round by round.
  const restores = fills.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < fills.length; k++) {
      const i = (k + run) % fills.length;
      const { template, n } = fills[i];
      const entries = JSON.stringify(freshEntries(template, template.length, `R${n}-${run}`));
      const { context, page } = await freshPage(browser, stack);
      try {
        const r = await page.evaluate(runRestore, {
          code: scriptTag + `\n//# bench run ${run}`,
          outbox: entries,
          expect: template.length,
          timeout,
          base: stack.platformUrl + '/',
        });
        restores[i].push(r);
      } finally {
        await context.close();
      }
    }
    log(`  outbox: round ${run + 1}/${runs}`);
  }
  const rows = fills.map((fill, i) => {
    const r = restores[i];
    const bytes = Buffer.byteLength(fill.stored);
    return {
      n: fill.n,
      path: 'tracked through the SDK, platform down',
      tracked: fill.n,
      outcomes: fill.counts,
      failedEvents: fill.failedEvents,
      failedReasons: fill.failedReasons,
      kept: fill.kept,
      bytes,
      bytesPerEntry: fill.kept ? Math.round(bytes / fill.kept) : 0,
      evalMs: summary(r.map((x) => x.evalMs)),
      handedMs: summary(r.map((x) => x.handedMs)),
      // Requests to /track in the load, the most seen in a run (a batch carries several conversions).
      requests: Math.max(0, ...r.map((x) => x.requests)),
      confirmedMs: summary(r.map((x) => x.confirmedMs)),
      longTasks: r.reduce((k, x) => k + x.longTasks.length, 0),
      longestTaskMs: Math.max(0, ...r.flatMap((x) => x.longTasks)),
      incomplete: r.filter((x) => x.confirmedMs == null).length,
      leftAfterFlush: Math.max(...r.map((x) => x.left)),
      runs: r.length,
    };
  });
  for (const row of rows)
    log(`  outbox ${row.n}: restore + flush median ${row.handedMs.median?.toFixed(1)} ms to hand over, ${row.confirmedMs.median?.toFixed(1)} ms to confirm`);
  const lastTemplate = fills.at(-1).template;

  if (!tryDirect) return { rows };
  // 3. The largest size written straight into storage, one load.
  const n = Math.max(...sizes);
  // Entries as the SDK wrote them (the last fill), repeated with fresh ids.
  const template = freshEntries(lastTemplate, n, `D${n}`);
  const entries = JSON.stringify(template);
  const { context, page, errors } = await freshPage(browser, stack);
  let direct;
  const started = Date.now();
  try {
    direct = await Promise.race([
      page.evaluate(runRestore, { code: scriptTag, outbox: entries, expect: 100, timeout, base: stack.platformUrl + '/' }),
      new Promise((resolve) => setTimeout(() => resolve(null), timeout + 10000)),
    ]);
  } catch (error) {
    direct = { error: String(error.message || error) };
  } finally {
    await context.close();
  }
  const platformGot = stack.platform.state(stack.market).conversions.filter((c) => String(c.fields.order_number).startsWith(`D${n}-`)).length;
  const directRow = {
    n,
    path: 'written straight into localStorage',
    bytes: Buffer.byteLength(entries),
    result: direct,
    blockedMs: direct && direct.evalMs != null ? direct.evalMs : Date.now() - started,
    finished: !!(direct && direct.confirmedMs != null),
    platformReceived: platformGot,
    pageErrors: [...new Set(errors)].slice(0, 3),
    pageErrorCount: errors.length,
  };
  log(
    `  outbox ${n} written directly: ${directRow.finished ? 'flushed' : 'did not finish'}; page busy ${Math.round(directRow.blockedMs)} ms; platform received ${platformGot}`,
  );
  return { rows, direct: directRow };
}
