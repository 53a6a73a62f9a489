// What runs inside the bench pages. Both functions are serialised by playwright into the page,
// so they use nothing from this module's scope.

/** The bench page on the example merchant: an empty shop page with the guide's containers. */
export const BENCH_PATH = '/bench';
export const BENCH_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bench page</title></head>
<body><main><h1>Bench page</h1><div id="bp_div"></div><div id="bp_error" hidden>The campaign could not be shown.</div></main></body></html>`;

/**
 * Init script, before any page script: timestamps every request handed to the browser (fetch,
 * XMLHttpRequest.send, sendBeacon), records long tasks, and reports navigator.webdriver as false
 * (Plausible ignores automated browsers and would send nothing).
 */
export function instrument() {
  const sent = (window.__bpSent = []);
  const waiters = (window.__bpWaiters = []);
  // Conversions a body carries: a batch (docs/protocol.md §2.4) holds several.
  const BATCH_PREFIX = '{"v":1,"type":"batch"';
  const eventsIn = (body) => (typeof body === 'string' && body.startsWith(BATCH_PREFIX) ? (body.match(/"event_id":/g) || []).length : 1);
  const note = (kind, url, events = 1) => {
    sent.push({ kind, url: String(url), t: performance.now(), events });
    for (const wake of waiters.splice(0)) wake();
  };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    note('fetch', input && input.url ? input.url : input, eventsIn(init && init.body));
    return realFetch.apply(this, arguments);
  };
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__bpUrl = url;
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    note('xhr', this.__bpUrl);
    return send.apply(this, arguments);
  };
  const beacon = navigator.sendBeacon;
  if (beacon)
    navigator.sendBeacon = function (url, body) {
      note('beacon', url, eventsIn(body));
      return beacon.apply(navigator, arguments);
    };
  window.__bpLong = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__bpLong.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser: the figure is left out
  }
  Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false, configurable: true });
}

/**
 * One measured run of one subject, in a fresh page. `code` is a classic script; it is inserted
 * inline, so its parse, compile and top-level run happen synchronously inside `append`.
 *
 * - eval: script inserted → script done (sync init included);
 * - init: → the SDK says it is ready (Segment's load promise), else = eval;
 * - call (after `settle` ms of quiet): `send` → the first request handed to the browser;
 *   (whose URL contains `match`); `iframe` → the MutationObserver sees an iframe in #bp_div; `sync` → the call returns;
 * - long tasks (> 50 ms) that started after the script was inserted.
 */
export async function runSubject({ code, globals, kind, match, order, settle, timeout, base }) {
  Object.assign(window, globals);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // The first request after index `from` whose URL contains `match`.
  const nextRequest = (from) =>
    new Promise((resolve) => {
      const check = () => {
        const hit = window.__bpSent.slice(from).find((r) => r.url.includes(match));
        if (hit) resolve(hit);
        else window.__bpWaiters.push(check);
      };
      check();
      setTimeout(() => resolve(null), timeout);
    });
  const result = {};
  let error = null;
  addEventListener('error', (e) => (error = error || String(e.message)));
  // Each measured step runs in a task of its own (a timer), as page code does: Chromium reports
  // no long task for work done inside a DevTools evaluate call.
  const inTask = (fn) => new Promise((resolve) => setTimeout(() => resolve(fn()), 0));
  const script = document.createElement('script');
  script.textContent = code;
  // An inline copy of the script tag has no URL of its own: data-base says where its chunks are.
  if (base) script.dataset.base = base;
  let t0 = 0;
  await inTask(() => {
    t0 = performance.now();
    document.head.append(script);
    result.evalMs = performance.now() - t0;
  });
  if (window.benchReady) await Promise.race([window.benchReady, sleep(timeout)]);
  result.initMs = performance.now() - t0;
  await sleep(settle);

  if (kind === 'send') {
    const before = window.__bpSent.length;
    const c0 = await inTask(() => {
      const c0 = performance.now();
      window.benchCall(order);
      result.callSyncMs = performance.now() - c0;
      return c0;
    });
    const request = await nextRequest(before);
    result.callMs = request ? request.t - c0 : null;
    result.request = request && { kind: request.kind, url: request.url };
  } else if (kind === 'iframe') {
    const box = document.getElementById('bp_div');
    let seen;
    const inDom = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!box.querySelector('iframe')) return;
        observer.disconnect();
        resolve(performance.now());
      });
      observer.observe(box, { childList: true, subtree: true });
      seen = resolve;
    });
    let handle;
    const c0 = await inTask(() => {
      const c0 = performance.now();
      handle = window.benchCall();
      result.callSyncMs = performance.now() - c0;
      return c0;
    });
    const at = await Promise.race([inDom, sleep(timeout).then(() => null)]);
    seen(null);
    result.callMs = at == null ? null : at - c0;
    if (handle && handle.ready) {
      const ready = await Promise.race([
        handle.ready.then(
          () => performance.now(),
          () => null,
        ),
        sleep(timeout).then(() => null),
      ]);
      result.readyMs = ready == null ? null : ready - c0;
    }
  } else if (kind === 'sync') {
    await inTask(() => {
      const c0 = performance.now();
      window.benchCall(order);
      result.callMs = result.callSyncMs = performance.now() - c0;
    });
  }
  await sleep(settle);
  result.longTasks = window.__bpLong.filter((e) => e.start >= t0 - 1).map((e) => Math.round(e.duration));
  result.error = error;
  return result;
}

/**
 * One restore-and-flush run: `entries` are written to localStorage `bp_outbox:v2` as a previous
 * page left them, then the script-tag build is inserted (its start-up restores the outbox and
 * sends what is due). Measures the time until every kept conversion was handed to the browser
 * and until the platform confirmed them all, what stayed stored, and the long tasks.
 */
export async function runRestore({ code, outbox, expect, timeout, base }) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  localStorage.setItem('bp_outbox:v2', outbox);
  const counts = { delivered: 0, failed: 0, rejected: 0, queued: 0 };
  let lastOutcome = 0;
  for (const status of Object.keys(counts)) addEventListener('buyapowa:' + status, () => (counts[status]++, (lastOutcome = performance.now())));
  let errors = 0;
  addEventListener('error', () => errors++);
  addEventListener('unhandledrejection', () => errors++);
  const script = document.createElement('script');
  script.textContent = code;
  if (base) script.dataset.base = base;
  // In a task of its own: Chromium reports no long task for work inside a DevTools evaluate call.
  const [t0, evalMs] = await new Promise((resolve) =>
    setTimeout(() => {
      const t0 = performance.now();
      document.head.append(script);
      resolve([t0, performance.now() - t0]);
    }, 0),
  );
  const requests = () => window.__bpSent.filter((r) => r.t >= t0 && r.url.endsWith('/track'));
  const eventsSent = () => requests().reduce((sum, r) => sum + r.events, 0);
  const end = t0 + timeout;
  while (performance.now() < end && (counts.delivered + counts.rejected < expect || eventsSent() < expect)) await sleep(5);
  const sent = requests();
  const done = counts.delivered + counts.rejected >= expect;
  // Handed over: the request that carried the last of the `expect` conversions had started.
  let carried = 0;
  const last = sent.find((r) => (carried += r.events) >= expect);
  await sleep(50);
  return {
    evalMs,
    handedMs: last ? last.t - t0 : null,
    confirmedMs: done ? lastOutcome - t0 : null,
    requests: sent.length,
    counts,
    errors,
    left: JSON.parse(localStorage.getItem('bp_outbox:v2') || '[]').length,
    longTasks: window.__bpLong.filter((e) => e.start >= t0 - 1).map((e) => Math.round(e.duration)),
  };
}

/**
 * Tracks `n` conversions with the npm build while the platform drops every connection, so the
 * SDK's own code path fills the outbox. Returns the outcomes and what it stored.
 */
export async function fillOutbox({ code, globals, n, prefix }) {
  Object.assign(window, globals);
  const script = document.createElement('script');
  script.textContent = code;
  document.head.append(script);
  const failedEvents = [];
  addEventListener('buyapowa:failed', (e) => failedEvents.push(e.detail.reason));
  const results = [];
  for (let i = 0; i < n; i++) results.push(window.benchCall(prefix + i));
  const outcomes = await Promise.all(
    results.map((p) =>
      p.then(
        (r) => r.status,
        (e) => 'error: ' + e.message,
      ),
    ),
  );
  const counts = {};
  for (const s of outcomes) counts[s] = (counts[s] || 0) + 1;
  const stored = localStorage.getItem('bp_outbox:v2') || '[]';
  return { counts, failedEvents: failedEvents.length, failedReasons: [...new Set(failedEvents)], stored, kept: JSON.parse(stored).length };
}
