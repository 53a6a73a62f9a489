// HTML of the dev platform: the campaign page, its test variants, Open Graph tags and the
// dashboard. Every value is HTML-escaped here, on the server; the pages' scripts are static
// files (no inline script or style, so the pages run under a strict CSP).

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const attrs = (data) =>
  Object.entries(data)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => ` data-${key}="${esc(value)}"`)
    .join('');

function page({ title, lang = 'en', css = '/static/campaign.css', script, body, bodyData = {} }) {
  return `<!doctype html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${css}">
${script ? `<script src="${script}" defer></script>\n` : ''}</head>
<body${attrs(bodyData)}>
${body}
</body>
</html>
`;
}

/**
 * The campaign page (docs/protocol.md §1). `referral` is the decrypted share-link metadata,
 * `signup` an auto sign-up payload from `bp_e`, `friend` the `bp_l=false` variant.
 */
export function campaignPage({ marketId, market, slug, campaign, locale, referral, signup, friend, forwarded, bpENote }) {
  const referrerName = referral ? referral.first_name || referral.email : '';
  const referred = referral
    ? `<p id="referred" class="banner">You were referred by <strong>${esc(referrerName)}</strong>.</p>`
    : '';
  const friendSection = friend
    ? `<section id="friend" class="card">
  <h2>A gift from your friend</h2>
  <p>${esc(campaign.friendOffer)}.</p>
  ${
    referral && referral.voucher_code
      ? `<p>Use this code at checkout: <code id="friend-code">${esc(referral.voucher_code)}</code></p>`
      : `<p>Follow your friend's share link to receive your code.</p>`
  }
</section>`
    : '';
  const signupSection = friend
    ? ''
    : `<section id="signup" class="card">
  <h2>Get your share link</h2>
  <form id="signup-form" novalidate>
    <label>Full name <input id="name" name="name" autocomplete="name" required value="${esc(signup && signup.name)}"></label>
    <label>Email <input id="email" name="email" type="email" autocomplete="email" required value="${esc(signup && signup.email)}"></label>
    <label class="check"><input id="marketing" name="marketing_opt_in" type="checkbox"> Send me offers by email</label>
    <button type="submit">Get my link</button>
  </form>
  <p id="form-error" class="error" hidden></p>
</section>
<section id="dashboard" class="card" hidden>
  <h2>Hi <span id="who"></span></h2>
  <p>Share your link with friends:</p>
  <p class="share"><input id="share-url" readonly aria-label="Your share link"> <button id="copy" type="button">Copy</button></p>
  <p id="copied" class="muted" hidden>Copied.</p>
  <ol class="steps">
    <li>Share your link with a friend.</li>
    <li>Your friend gets ${esc(campaign.friendOffer)}.</li>
    <li>You get a reward when they buy.</li>
  </ol>
  <h3>Your referrals</h3>
  <p>Friends referred so far: <strong id="count">0</strong>. Each friend who buys appears on your dashboard, and your reward follows by email.</p>
</section>`;
  const keys = Object.keys(forwarded);
  return page({
    title: campaign.title,
    lang: locale || market.locale || 'en',
    script: campaign.script || '/static/campaign.js',
    bodyData: {
      campaign: slug,
      market: marketId,
      variant: friend ? 'friend' : 'referrer',
      state: friend ? 'friend' : 'signup',
      'auto-signup': signup && String(signup.auto) === 'true' ? 'true' : '',
    },
    body: `<main id="app">
<header>
  <p class="brand">${esc(market.name)}</p>
  <h1>${esc(campaign.title)}</h1>
  <p>${esc(campaign.description)}</p>
</header>
${referred}
<p id="notice" class="notice" hidden></p>
${friendSection}
${signupSection}
<footer class="muted">Market ${esc(marketId)} · campaign ${esc(slug)} · locale ${esc(locale || market.locale || 'en')}${
      keys.length ? ` · forwarded ${esc(keys.join(', '))}` : ''
    }${bpENote ? ` · bp_e: ${esc(bpENote)}` : ''}</footer>
</main>`,
  });
}

/** The page of an unknown market or campaign: it tells the SDK with an `error` message. */
export function errorPage({ code, message }) {
  return page({
    title: 'Campaign unavailable',
    script: '/static/campaign.js',
    bodyData: { 'error-code': code, 'error-message': message },
    body: `<main id="app"><h1>Campaign unavailable</h1><p>${esc(message)}</p></main>`,
  });
}

/** Test slug `never-ready`: loads, shows something, never answers the handshake. */
export function neverReadyPage() {
  return page({
    title: 'Never ready',
    body: '<main id="app"><h1>This page never answers</h1><p>Test campaign <code>never-ready</code>: it loads but never posts <code>ready</code>.</p></main>',
  });
}

/** Test slug `refused`: served with headers that forbid framing. */
export function refusedPage() {
  return page({
    title: 'Refused',
    body: '<main id="app"><h1>Framing refused</h1><p>Test campaign <code>refused</code>: X-Frame-Options DENY and frame-ancestors \'none\'.</p></main>',
  });
}

/** Open Graph tags for share previews. */
export function ogPage({ campaign, market, url, image }) {
  return `<!doctype html>
<html lang="${esc(market.locale || 'en')}">
<head>
<meta charset="utf-8">
<title>${esc(campaign.title)}</title>
<meta property="og:type" content="website">
<meta property="og:site_name" content="${esc(market.name)}">
<meta property="og:title" content="${esc(campaign.title)}">
<meta property="og:description" content="${esc(campaign.description)}">
<meta property="og:url" content="${esc(url)}">
<meta property="og:image" content="${esc(image)}">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta name="twitter:card" content="summary_large_image">
</head>
<body><h1>${esc(campaign.title)}</h1><p>${esc(campaign.description)}</p></body>
</html>
`;
}

const time = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');

function table(id, title, empty, headings, rows) {
  return `<section id="${id}">
<h2>${esc(title)} <span class="count">${rows.length}</span></h2>
${
  rows.length
    ? `<table><thead><tr>${headings.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`
    : `<p class="muted">${esc(empty)}</p>`
}
</section>`;
}

/** Every field of an object, escaped, one per line. */
function fields(object) {
  if (!object) return '';
  return `<dl>${Object.entries(object)
    .map(([key, value]) => `<dt>${esc(key)}</dt><dd>${esc(typeof value == 'string' ? value : JSON.stringify(value))}</dd>`)
    .join('')}</dl>`;
}

const badge = (text, kind = text) => `<span class="badge ${esc(kind)}">${esc(text)}</span>`;

function attribution(a) {
  if (!a || !a.referrer) return badge('none') + (a && a.note ? `<br><span class="muted">${esc(a.note)}</span>` : '');
  return `${esc(a.referrer.name || a.referrer.email)}<br><span class="muted">${esc(a.referrer.email)}</span><br>${badge(
    a.via == 'landing' ? 'via landing' : 'via voucher code',
    'credited',
  )}${a.voucher_code ? ` <code>${esc(a.voucher_code)}</code>` : ''}`;
}

/** The dashboard of everything that arrived. `base` is the platform's URL as the browser sees it. */
export function dashboardPage({ state, markets, merchantUrl, base }) {
  const marketRows = Object.entries(markets).map(([id, m]) => [
    `<code>${esc(id)}</code><br>${esc(m.name)}`,
    m.requireSignature ? badge('required', 'valid') : badge('optional', 'absent'),
    Object.keys(m.campaigns)
      .map((slug) => `<a href="/iaf/${esc(encodeURIComponent(slug))}/og">${esc(slug)}</a>`)
      .join('<br>'),
    esc(m.merchantUrl || merchantUrl || '(none: start with --merchant URL)'),
  ]);
  const conversions = state.conversions.map((c) => [
    esc(time(c.received_at)),
    `<code>${esc(c.market)}</code>`,
    fields(c.fields),
    badge(c.signature) + (c.warnings.length ? `<br><span class="muted">${esc(c.warnings.join('; '))}</span>` : ''),
    attribution(c.attribution),
    `${esc(c.transport)} #${esc(c.attempt ?? 1)}<br><code class="small">${esc(c.event_id || '')}</code>`,
  ]);
  const duplicates = state.duplicates.map((d) => [
    esc(time(d.received_at)),
    `<code>${esc(d.market)}</code>`,
    esc(d.order_number),
    badge(d.reason, 'duplicate'),
    `${esc(d.transport)} #${esc(d.attempt ?? 1)}<br><code class="small">${esc(d.event_id || '')}</code>`,
  ]);
  const rejected = state.rejected.map((r) => [
    esc(time(r.received_at)),
    `${esc(r.path)} → ${esc(r.status)}`,
    badge(r.reason, 'invalid') + (r.errors ? `<br>${esc(r.errors.join('; '))}` : ''),
    r.signature ? badge(r.signature) : '',
    fields(r.fields),
  ]);
  const visits = state.visits.map((v) => [
    esc(time(v.at)),
    `<code>${esc(v.code)}</code>`,
    esc(v.referrer ? `${v.referrer.name} <${v.referrer.email}>` : '(unknown link)'),
    v.voucher_code ? `<code>${esc(v.voucher_code)}</code>` : '',
    esc(v.location || ''),
  ]);
  const clicks = state.clicks.map((c) => [
    esc(time(c.received_at)),
    `<code>${esc(c.market)}</code>`,
    esc(c.page || ''),
    c.referrer ? `${esc(c.referrer.name || c.referrer.email)}<br><span class="muted">${esc(c.referrer.email)}</span>` : esc(c.note || 'no referral token'),
    c.voucher_code ? `<code>${esc(c.voucher_code)}</code>` : '',
    esc(Object.keys(c.tokens || {}).join(', ')),
  ]);
  const referrers = state.referrers.map((r) => [
    esc(r.name),
    esc(r.email),
    `<code>${esc(r.market)}</code>`,
    `<a href="${esc(base + '/r/' + r.code)}">${esc(base + '/r/' + r.code)}</a>`,
    esc(r.referral_count),
    esc(r.vouchers.join(', ')),
  ]);
  const logins = state.logins.map((l) => [esc(time(l.at)), `<code>${esc(l.market)}</code>`, esc(l.email || ''), badge(l.status, l.status == 'signed_in' ? 'valid' : l.status == 'prefill' ? 'absent' : 'invalid'), esc(l.reason || '')]);
  return page({
    title: 'Buyapowa dev platform',
    css: '/static/dashboard.css',
    script: '/static/dashboard.js',
    bodyData: { version: state.version },
    body: `<header>
<h1>Buyapowa dev platform</h1>
<p>What the SDK sent, as the platform saw it. This page reloads when something arrives.
<form method="post" action="/api/reset?then=/dashboard" class="inline"><button type="submit">Reset everything</button></form></p>
</header>
${table('markets', 'Markets', '', ['market', 'signing', 'campaigns', 'merchant landing'], marketRows)}
${table('conversions', 'Conversions', 'No conversion yet.', ['received', 'market', 'fields', 'signature', 'attribution', 'transport'], conversions)}
${table('duplicates', 'Duplicates turned away', 'None.', ['received', 'market', 'order', 'reason', 'transport'], duplicates)}
${table('rejected', 'Rejected requests', 'None.', ['received', 'request', 'reason', 'signature', 'fields'], rejected)}
${table('visits', 'Share-link visits', 'No share link followed yet.', ['at', 'link', 'referrer', 'friend voucher', 'sent to'], visits)}
${table('clicks', 'Referral landings (click beacons)', 'No landing reported yet.', ['received', 'market', 'page', 'referred by', 'friend voucher', 'tokens'], clicks)}
${table('referrers', 'Referrers', 'Nobody has signed up yet.', ['name', 'email', 'market', 'share link', 'credited', 'vouchers issued'], referrers)}
${table('logins', 'Seamless logins', 'None.', ['at', 'market', 'email', 'result', 'reason'], logins)}`,
  });
}
