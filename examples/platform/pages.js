// HTML of the dev platform: the campaign page, its test variants, Open Graph tags and the
// dashboard. Written with the `html` tagged template, which escapes every value; markup that
// is meant as markup is an `html` template itself or marked `raw()`. The pages' scripts are
// static files (no inline script or style, so the pages run under a strict CSP).
import { html, raw, text } from '../html.js';
import { campaignWords, pickLocale, SCRIPT_TEXTS, TEXTS } from './texts.js';

export { esc } from '../html.js';

/** @typedef {import('../html.js').SafeHtml} SafeHtml */
/** Dashboard rows and state entries: read field by field, each shown through `html`. */
/** @typedef {Record<string, any>} Loose */

const dataAttributes = (/** @type {Record<string, unknown>} */ data) =>
  Object.entries(data)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => html` data-${raw(key)}="${value}"`);

/**
 * A page with the platform's stylesheet and, when given, one deferred script.
 *
 * @param {{ title: string, lang?: string, css?: string, script?: string, body: SafeHtml, bodyData?: Record<string, unknown> }} options
 */
function page({ title, lang = 'en', css = '/static/campaign.css', script, body, bodyData = {} }) {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${css}">
${script && html`<script src="${script}" defer></script>\n`}</head>
<body${dataAttributes(bodyData)}>
${body}
</body>
</html>
`;
}

/**
 * The campaign page (docs/protocol.md §1) in the requested locale (en, fr or de; otherwise the
 * market's). `referral` is the decrypted share-link metadata, `signup` an auto sign-up payload
 * from `bp_e`, `friend` the `bp_l=false` variant.
 *
 * @param {{ marketId: string, market: import('./platform').MarketConfig, slug: string, campaign: import('./platform').CampaignConfig, locale: string,
 *   referral: Loose | null, signup: Loose | null, friend: boolean, forwarded: Record<string, string>, bpENote: string }} options
 */
export function campaignPage({ marketId, market, slug, campaign, locale, referral, signup, friend, forwarded, bpENote }) {
  const served = pickLocale(locale, market.locale);
  const t = TEXTS[/** @type {keyof typeof TEXTS} */ (served)];
  const words = campaignWords(campaign, served);
  const referrerName = referral ? referral.first_name || referral.email : '';
  const referred = referral && html`<p id="referred" class="banner">${t.referredBy} <strong>${referrerName}</strong>.</p>`;
  const friendSection =
    friend &&
    html`<section id="friend" class="card">
  <h2>${t.giftTitle}</h2>
  <p>${words.friendOffer}.</p>
  ${
    referral && referral.voucher_code
      ? html`<p>${t.useCode} <code id="friend-code">${referral.voucher_code}</code></p>`
      : html`<p>${t.followLink}</p>`
  }
</section>`;
  const signupSection =
    !friend &&
    html`<section id="signup" class="card">
  <h2>${t.getLinkTitle}</h2>
  <form id="signup-form" novalidate>
    <label>${t.fullName} <input id="name" name="name" autocomplete="name" required value="${signup && signup.name}"></label>
    <label>${t.email} <input id="email" name="email" type="email" autocomplete="email" required value="${signup && signup.email}"></label>
    <label class="check"><input id="marketing" name="marketing_opt_in" type="checkbox"> ${t.marketingOptIn}</label>
    <button type="submit">${t.getLink}</button>
  </form>
  <p id="form-error" class="error" hidden></p>
</section>
<section id="dashboard" class="card" hidden>
  <h2>${t.hi} <span id="who"></span></h2>
  <p>${t.shareWithFriends}</p>
  <p class="share"><input id="share-url" readonly aria-label="${t.shareLinkLabel}"> <button id="copy" type="button">${t.copy}</button></p>
  <p id="copied" class="muted" hidden>${t.copied}</p>
  <ol class="steps">
    <li>${t.stepShare}</li>
    <li>${t.stepFriendGets.replace('{offer}', words.friendGets)}</li>
    <li>${t.stepReward}</li>
  </ol>
  <h3>${t.yourReferrals}</h3>
  <p>${t.referredSoFar} <strong id="count">0</strong>. ${t.rewardFollows}</p>
</section>`;
  const keys = Object.keys(forwarded);
  const scriptTexts = Object.fromEntries(SCRIPT_TEXTS.map((key) => ['text-' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), t[key]]));
  return page({
    title: words.title,
    lang: served,
    script: campaign.script || '/static/campaign.js',
    bodyData: {
      campaign: slug,
      market: marketId,
      locale: served,
      variant: friend ? 'friend' : 'referrer',
      state: friend ? 'friend' : 'signup',
      'auto-signup': signup && String(signup.auto) === 'true' ? 'true' : '',
      ...scriptTexts,
    },
    body: html`<main id="app">
<header>
  <p class="brand">${market.name}</p>
  <h1>${words.title}</h1>
  <p>${words.description}</p>
</header>
${referred}
<p id="notice" class="notice" hidden></p>
${friendSection}
${signupSection}
<footer class="muted">Market ${marketId} · campaign ${slug} · locale ${served}${keys.length > 0 && html` · forwarded ${keys.join(', ')}`}${
      bpENote && html` · bp_e: ${bpENote}`
    }</footer>
</main>`,
  });
}

/** The page of an unknown market or campaign: it tells the SDK with an `error` message. */
export function errorPage(/** @type {{ code: string, message: string }} */ { code, message }) {
  return page({
    title: 'Campaign unavailable',
    script: '/static/campaign.js',
    bodyData: { 'error-code': code, 'error-message': message },
    body: html`<main id="app"><h1>Campaign unavailable</h1><p>${message}</p></main>`,
  });
}

/** A plain 404 page. */
export function notFoundPage(/** @type {string} */ message, title = 'Not found') {
  return page({ title, body: html`<main id="app"><h1>${title}</h1><p>${message}</p></main>` });
}

/** Test slug `never-ready`: loads, shows something, never answers the handshake. */
export function neverReadyPage() {
  return page({
    title: 'Never ready',
    body: html`<main id="app"><h1>This page never answers</h1><p>Test campaign <code>never-ready</code>: it loads but never posts <code>ready</code>.</p></main>`,
  });
}

/** Test slug `refused`: served with headers that forbid framing. */
export function refusedPage() {
  return page({
    title: 'Refused',
    body: html`<main id="app"><h1>Framing refused</h1><p>Test campaign <code>refused</code>: X-Frame-Options DENY and frame-ancestors 'none'.</p></main>`,
  });
}

/**
 * Open Graph tags for share previews.
 *
 * @param {{ campaign: import('./platform').CampaignConfig, market: import('./platform').MarketConfig, url: string, image: string }} options
 */
export function ogPage({ campaign, market, url, image }) {
  return html`<!doctype html>
<html lang="${market.locale || 'en'}">
<head>
<meta charset="utf-8">
<title>${campaign.title}</title>
<meta property="og:type" content="website">
<meta property="og:site_name" content="${market.name}">
<meta property="og:title" content="${campaign.title}">
<meta property="og:description" content="${campaign.description}">
<meta property="og:url" content="${url}">
<meta property="og:image" content="${image}">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta name="twitter:card" content="summary_large_image">
</head>
<body><h1>${campaign.title}</h1><p>${campaign.description}</p></body>
</html>
`;
}

// ---- The dashboard ----------------------------------------------------------------------------

const time = (/** @type {unknown} */ ms) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');
const clock = (/** @type {unknown} */ ms) => time(ms).slice(11);

/** Badge tones: success green, failure red, everywhere; neutral grey; a warning amber. */
const badge = (/** @type {string} */ label, /** @type {string} */ tone) => html`<span class="badge ${tone}">${label}</span>`;
/** @type {Record<string, string>} */
const SIGNATURE_TONES = { valid: 'ok', invalid: 'fail', absent: 'neutral' };
/** @type {Record<string, string>} */
const LOGIN_TONES = { signed_in: 'ok', signed_up: 'ok', prefill: 'neutral', invalid: 'fail', invalid_signature: 'fail' };
const toneOf = (/** @type {Record<string, string>} */ tones, /** @type {unknown} */ value) => (typeof value === 'string' && Object.hasOwn(tones, value) ? tones[value] : 'neutral');

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
    ['credited', state.conversions.filter((c) => c.attribution && c.attribution.referrer).length, 'Referrers credited', 'orders credited to the friend who referred'],
  ];
  return html`<section id="funnel" aria-label="Referral funnel">
<ol class="funnel">${steps.map(
    ([id, count, label, hint]) => html`<li id="funnel-${id}"><span class="figure">${count}</span> <span class="label">${label}</span><span class="hint">${hint}</span></li>`,
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
    line = [html`<strong>${visit.referrer.name}</strong>'s link`, html`visited ${clock(visit.at)}`, html`<span class="muted">no credited order yet: buy on the shop</span>`];
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
  const duplicates = state.duplicates.map((d) => [time(d.received_at), html`<code>${d.market}</code>`, d.order_number, badge(d.reason, 'warn'), transportCell(d)]);
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
  const logins = state.logins.map((l) => [time(l.at), html`<code>${l.market}</code>`, l.email || '', badge(l.status, toneOf(LOGIN_TONES, l.status)), l.reason || '']);
  // Server API calls (examples/platform/api.js): no credentials are ever recorded.
  const api = apiCalls.map((c) => [time(c.at), html`<code>${c.market || '?'}</code>`, `${text(c.method)} ${text(c.path)}`, badge(String(c.status), c.status < 300 ? 'ok' : 'fail'), c.rows ?? '', c.problems.map(text).join('; ')]);
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
