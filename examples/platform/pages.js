// HTML of the dev platform: the campaign page, its test variants and Open Graph tags (the
// dashboard is in dashboard.js). Written with the `html` tagged template, which escapes every value; markup that
// is meant as markup is an `html` template itself or marked `raw()`. The pages' scripts are
// static files (no inline script or style, so the pages run under a strict CSP).
import { html, raw } from '../html.js';
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
export function page({ title, lang = 'en', css = '/static/campaign.css', script, body, bodyData = {} }) {
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
  ${referral && referral.voucher_code ? html`<p>${t.useCode} <code id="friend-code">${referral.voucher_code}</code></p>` : html`<p>${t.followLink}</p>`}
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
