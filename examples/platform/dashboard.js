// The dev platform's dashboard: the referral funnel, the latest loop, then a table per kind of
// record. Written with the `html` tagged template, which escapes every value (see pages.js).
import { html, raw, text } from '../html.js';
import { page } from './pages.js';

/** @typedef {import('../html.js').SafeHtml} SafeHtml */
/** Dashboard rows and state entries: read field by field, each shown through `html`. */
/** @typedef {Record<string, any>} Loose */

const time = (/** @type {unknown} */ ms) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');
const clock = (/** @type {unknown} */ ms) => time(ms).slice(11);

/** Badge tones: success green, failure red, everywhere; neutral grey; a warning amber. */
const badge = (/** @type {string} */ label, /** @type {string} */ tone) => html`<span class="badge ${tone}">${label}</span>`;
/** @type {Record<string, string>} */
const SIGNATURE_TONES = { valid: 'ok', invalid: 'fail', absent: 'neutral' };
/** @type {Record<string, string>} */
const LOGIN_TONES = { signed_in: 'ok', signed_up: 'ok', prefill: 'neutral', invalid: 'fail', invalid_signature: 'fail' };
const toneOf = (/** @type {Record<string, string>} */ tones, /** @type {unknown} */ value) =>
  typeof value === 'string' && Object.hasOwn(tones, value) ? tones[value] : 'neutral';

/**
 * A titled table with its row count, or `empty` when there are no rows.
 *
 * @param {string} id
 * @param {string} title
 * @param {string} empty
 * @param {string[]} headings
 * @param {unknown[][]} rows
 */
function table(id, title, empty, headings, rows) {
  return html`<section id="${id}">
<h2>${title} <span class="count">${rows.length}</span></h2>
${
  rows.length
    ? html`<div class="table-wrap"><table><thead><tr>${headings.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell}</td>`)}</tr>\n`)}</tbody></table></div>`
    : html`<p class="muted">${empty}</p>`
}
</section>`;
}

/** Every field of an object, one per line. */
function fields(/** @type {unknown} */ object) {
  if (!object || typeof object !== 'object') return text(object);
  return html`<dl>${Object.entries(object).map(([key, value]) => html`<dt>${key}</dt><dd>${text(value)}</dd>`)}</dl>`;
}

/** Who a conversion credits, and how. */
function attribution(/** @type {Loose | null | undefined} */ a) {
  if (!a || !a.referrer) return html`${badge('not credited', 'neutral')}${a && a.note && html`<br><span class="muted">${a.note}</span>`}`;
  return html`${a.referrer.name || a.referrer.email}<br><span class="muted">${a.referrer.email}</span><br>${badge(
    a.via === 'landing' ? 'via landing' : 'via voucher code',
    'ok',
  )}${a.voucher_code && html` <code>${a.voucher_code}</code>`}`;
}

const transportCell = (/** @type {Loose} */ t) => html`${t.transport} #${t.attempt ?? 1}<br><code class="small">${t.event_id || ''}</code>`;

/** The four steps of the referral loop, counted. */
function funnel(/** @type {import('./store.js').Store} */ state) {
  const steps = [
    ['visits', state.visits.filter((v) => v.referrer).length, 'Share-link visits', 'friends who followed a share link'],
    ['landings', state.clicks.length, 'Landings', 'referral landings the SDK reported on the shop'],
    ['conversions', state.conversions.length, 'Conversions', 'orders the platform accepted'],
    [
      'credited',
      state.conversions.filter((c) => c.attribution && c.attribution.referrer).length,
      'Referrers credited',
      'orders credited to the friend who referred',
    ],
  ];
  return html`<section id="funnel" aria-label="Referral funnel">
<ol class="funnel">${steps.map(
    ([id, count, label, hint]) =>
      html`<li id="funnel-${id}"><span class="figure">${count}</span> <span class="label">${label}</span><span class="hint">${hint}</span></li>`,
  )}</ol>
</section>`;
}

/** The latest referral loop in one line: link → visit → landing → order → credit. */
function latestLoop(/** @type {import('./store.js').Store} */ state) {
  const credited = [...state.conversions].reverse().find((c) => c.attribution && c.attribution.referrer);
  let line;
  if (credited) {
    const a = credited.attribution;
    const voucher = a.voucher_code;
    const visit = voucher && state.visits.find((v) => v.voucher_code === voucher);
    const landing = voucher && state.clicks.find((c) => c.voucher_code === voucher);
    line = [
      html`<strong>${a.referrer.name || a.referrer.email}</strong>'s link`,
      visit ? html`visited ${clock(visit.at)}` : html`<span class="muted">visit not seen</span>`,
      landing ? html`landed ${clock(landing.received_at)}` : html`<span class="muted">landing not reported</span>`,
      html`order <code>${credited.fields.order_number}</code> ${clock(credited.received_at)}`,
      badge(a.via === 'landing' ? 'credited via landing' : 'credited via voucher code', 'ok'),
    ];
  } else if (state.visits.some((v) => v.referrer)) {
    const visit = /** @type {Loose} */ ([...state.visits].reverse().find((v) => v.referrer));
    line = [
      html`<strong>${visit.referrer.name}</strong>'s link`,
      html`visited ${clock(visit.at)}`,
      html`<span class="muted">no credited order yet: buy on the shop</span>`,
    ];
  } else {
    line = [html`<span class="muted">No referral loop yet: sign up in the campaign, follow your share link, then buy.</span>`];
  }
  return html`<p id="latest-loop" class="loop"><span class="loop-title">Latest loop</span> ${line.map((step, i) => html`${i > 0 && raw(' → ')}<span class="step">${step}</span>`)}</p>`;
}

/**
 * The dashboard of everything that arrived. `base` is the platform's URL as the browser sees it.
 *
 * @param {{ state: import('./store.js').Store, markets: Map<string, import('./platform').MarketConfig>, merchantUrl: string, base: string,
 *   apiCalls?: import('./api/control.js').Call[] }} options
 */
export function dashboardPage({ state, markets, merchantUrl, base, apiCalls = [] }) {
  const marketRows = [...markets].map(([id, m]) => [
    html`<code>${id}</code><br>${m.name}`,
    m.requireSignature ? badge('required', 'neutral') : badge('optional', 'neutral'),
    Object.keys(m.campaigns).map((slug, i) => html`${i > 0 && raw('<br>')}<a href="/iaf/${encodeURIComponent(slug)}/og">${slug}</a>`),
    m.merchantUrl || merchantUrl || '(none: start with --merchant URL)',
  ]);
  const conversions = state.conversions.map((c) => [
    time(c.received_at),
    html`<code>${c.market}</code>`,
    fields(c.fields),
    html`${badge(c.signature, toneOf(SIGNATURE_TONES, c.signature))}${c.warnings.length > 0 && html`<br><span class="muted">${c.warnings.join('; ')}</span>`}`,
    attribution(c.attribution),
    transportCell(c),
  ]);
  const duplicates = state.duplicates.map((d) => [
    time(d.received_at),
    html`<code>${d.market}</code>`,
    d.order_number,
    badge(d.reason, 'warn'),
    transportCell(d),
  ]);
  const rejected = state.rejected.map((r) => [
    time(r.received_at),
    `${text(r.path)} → ${text(r.status)}`,
    html`${badge(r.reason, 'fail')}${Array.isArray(r.errors) && html`<br>${r.errors.map(text).join('; ')}`}`,
    r.signature ? badge(r.signature, toneOf(SIGNATURE_TONES, r.signature)) : '',
    fields(r.fields),
  ]);
  const visits = state.visits.map((v) => [
    time(v.at),
    html`<code>${v.code}</code>`,
    v.referrer ? `${v.referrer.name} <${v.referrer.email}>` : '(unknown link)',
    v.voucher_code ? html`<code>${v.voucher_code}</code>` : '',
    v.location || '',
  ]);
  const clicks = state.clicks.map((c) => [
    time(c.received_at),
    html`<code>${c.market}</code>`,
    c.page || '',
    c.referrer ? html`${c.referrer.name || c.referrer.email}<br><span class="muted">${c.referrer.email}</span>` : c.note || 'no referral token',
    c.voucher_code ? html`<code>${c.voucher_code}</code>` : '',
    Object.keys(c.tokens || {}).join(', '),
  ]);
  const referrers = state.referrers.map((r) => {
    const link = base + '/r/' + r.code;
    return [r.name, r.email, html`<code>${r.market}</code>`, html`<a href="${link}">${link}</a>`, r.referral_count, r.vouchers.join(', ')];
  });
  const logins = state.logins.map((l) => [
    time(l.at),
    html`<code>${l.market}</code>`,
    l.email || '',
    badge(l.status, toneOf(LOGIN_TONES, l.status)),
    l.reason || '',
  ]);
  // Server API calls (examples/platform/api.js): no credentials are ever recorded.
  const api = apiCalls.map((c) => [
    time(c.at),
    html`<code>${c.market || '?'}</code>`,
    `${text(c.method)} ${text(c.path)}`,
    badge(String(c.status), c.status < 300 ? 'ok' : 'fail'),
    c.rows ?? '',
    c.problems.map(text).join('; '),
  ]);
  return page({
    title: 'Buyapowa dev platform',
    css: '/static/dashboard.css',
    script: '/static/dashboard.js',
    bodyData: { version: state.version },
    body: html`<header>
<h1>Buyapowa dev platform</h1>
<p>What the SDK sent, as the platform saw it. This page reloads when something arrives.
<form method="post" action="/api/reset?then=/dashboard" class="inline"><button type="submit">Reset everything</button></form></p>
</header>
${funnel(state)}
${latestLoop(state)}
${table('conversions', 'Conversions', 'No conversion yet.', ['received', 'market', 'fields', 'signature', 'attribution', 'transport'], conversions)}
${table('visits', 'Share-link visits', 'No share link followed yet.', ['at', 'link', 'referrer', 'friend voucher', 'sent to'], visits)}
${table('clicks', 'Referral landings (click beacons)', 'No landing reported yet.', ['received', 'market', 'page', 'referred by', 'friend voucher', 'tokens'], clicks)}
${table('referrers', 'Referrers', 'Nobody has signed up yet.', ['name', 'email', 'market', 'share link', 'credited', 'vouchers issued'], referrers)}
${table('duplicates', 'Duplicates turned away', 'None.', ['received', 'market', 'order', 'reason', 'transport'], duplicates)}
${table('rejected', 'Rejected requests', 'None.', ['received', 'request', 'reason', 'signature', 'fields'], rejected)}
${table('logins', 'Seamless logins', 'None.', ['at', 'market', 'email', 'result', 'reason'], logins)}
${table('api-calls', 'Server API calls', 'No API call yet.', ['at', 'market', 'request', 'status', 'rows', 'problems'], api)}
${table('markets', 'Markets', '', ['market', 'signing', 'campaigns', 'merchant landing'], marketRows)}`,
  });
}
