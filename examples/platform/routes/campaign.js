// The campaign iframe (protocol §1): the page, its Open Graph tags, seamless login and sign-up.
import { readJson, send, sendHtml } from '../../http.js';
import { shown, signedKeys } from '../decide.js';
import { campaignPage, errorPage, neverReadyPage, notFoundPage, ogPage, refusedPage } from '../pages.js';
import { decryptBpE, verify } from '../sdk.js';
import { campaignOf, EMAIL, isReferralMetadata } from '../shared.js';
import { findOrCreateReferrer } from './referrers.js';

/** @typedef {import('../shared.js').PlatformContext} PlatformContext */
/** @typedef {import('../../http.js').RouteContext} RouteContext */

const CAMPAIGN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors http: https:";
const REFUSED_CSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";

/**
 * GET /iaf/:campaign: the campaign page, or one of the failure-test slugs.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function campaign({ markets }, { res, url, params }) {
  const q = url.searchParams;
  const slug = params.campaign;
  if (slug === 'never-ready') return sendHtml(res, 200, neverReadyPage(), { 'Content-Security-Policy': CAMPAIGN_CSP });
  if (slug === 'refused') return sendHtml(res, 200, refusedPage(), { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': REFUSED_CSP });
  const marketId = q.get('market') || '';
  const market = markets.get(marketId);
  const headers = { 'Content-Security-Policy': CAMPAIGN_CSP };
  if (!market) return sendHtml(res, 404, errorPage({ code: 'market_not_found', message: `There is no market "${marketId}" on this platform.` }), headers);
  const details = campaignOf(market, slug);
  if (!details) return sendHtml(res, 404, errorPage({ code: 'campaign_not_found', message: `Market "${marketId}" has no campaign "${slug}".` }), headers);

  // What the SDK forwarded: bp_e (a share-link landing or an auto sign-up link), bp_l, …
  /** @type {Record<string, string>} */
  const forwarded = {};
  for (const [key, value] of q) if (key.startsWith('bp_')) forwarded[key] = value;
  const { referral, signup, bpENote } = landingOf(forwarded.bp_e, market.authToken);
  const page = campaignPage({
    marketId,
    market,
    slug,
    campaign: details,
    locale: q.get('locale') || '',
    referral,
    signup,
    friend: forwarded.bp_l === 'false',
    forwarded,
    bpENote,
  });
  return sendHtml(res, 200, page, headers);
}

/**
 * What a forwarded bp_e holds: referral metadata, sign-up details, or a note saying why neither.
 *
 * @param {string | undefined} bpE
 * @param {string} authToken
 */
function landingOf(bpE, authToken) {
  /** @type {{ referral: any, signup: any, bpENote: string }} */
  const found = { referral: null, signup: null, bpENote: '' };
  if (!bpE) return found;
  try {
    const value = /** @type {any} */ (decryptBpE(bpE, authToken));
    if (isReferralMetadata(value)) found.referral = value;
    else if (value && typeof value === 'object' && typeof value.email === 'string') found.signup = value;
    else found.bpENote = 'decrypted, but holds neither referral metadata nor sign-up details';
  } catch {
    found.bpENote = "does not decrypt with this market's auth token";
  }
  return found;
}

/**
 * GET /iaf/:campaign/og: Open Graph tags for a campaign (of `market`, else the first market having it).
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function og({ markets, baseOf }, { req, res, url, params }) {
  const slug = params.campaign;
  const marketId = url.searchParams.get('market');
  const entry = marketId ? [marketId, markets.get(marketId)] : [...markets].find(([, market]) => campaignOf(market, slug));
  const market = /** @type {import('../platform').MarketConfig | undefined} */ (entry?.[1]);
  const details = entry && campaignOf(market, slug);
  if (!details || !market) return sendHtml(res, 404, notFoundPage('No such campaign.'));
  const base = baseOf(req);
  return sendHtml(res, 200, ogPage({ campaign: details, market, url: `${base}/iaf/${encodeURIComponent(slug)}/og`, image: `${base}/static/og.png` }));
}

/**
 * POST /iaf/:campaign/session (seamless login, protocol §1.3) and /signup (the form).
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 * @param {'session' | 'signup'} kind
 */
export async function login(p, { req, res, url, params }, kind) {
  const { markets, store, baseOf } = p;
  const slug = params.campaign;
  const marketId = url.searchParams.get('market') || '';
  const market = markets.get(marketId);
  if (!market) return send(res, 404, { status: 'unknown_market' });
  if (!campaignOf(market, slug)) return send(res, 404, { status: 'unknown_campaign' });
  const body = await readJson(req);
  if (!body.ok) return send(res, 400, { status: 'invalid', errors: [body.error] });
  /** @type {import('../shared.js').Loose} */
  const fields = body.value && typeof body.value === 'object' ? body.value : {};
  const errors = [];
  if (typeof fields.name !== 'string' || !fields.name.trim()) errors.push(`"name" expected the person's full name, received ${shown(fields.name)}`);
  if (typeof fields.email !== 'string' || !EMAIL.test(fields.email.trim())) errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
  /** @type {(status: string, reason?: string) => unknown} */
  const note = (status, reason) =>
    store.record('logins', {
      at: Date.now(),
      market: marketId,
      campaign: slug,
      kind,
      email: typeof fields.email === 'string' ? fields.email : '',
      status,
      reason,
    });
  const refuse = (/** @type {string} */ reason) => {
    note('invalid_signature', reason);
    return send(res, 401, { status: 'invalid_signature', reason });
  };
  if (errors.length) {
    note('invalid', errors.join('; '));
    return send(res, 400, { status: 'invalid', errors });
  }
  const signedIn = () => {
    const referrer = findOrCreateReferrer(p, marketId, /** @type {{ name: string, email: string }} */ (fields));
    return {
      status: 'signed_in',
      name: referrer.name,
      email: referrer.email,
      share_url: `${baseOf(req)}/r/${referrer.code}`,
      referral_count: referrer.referral_count,
    };
  };
  if (kind === 'signup') {
    note('signed_up');
    return send(res, 200, signedIn());
  }
  // Seamless login: the signature must verify and cover name and email (the guide's minimum).
  const prefill = { status: 'prefill', name: fields.name, email: fields.email };
  if (fields.signature == null || fields.signature === '') {
    if (market.requireSignature) return refuse('this market requires signed seamless logins');
    note('prefill', 'unsigned: the form is pre-filled, nobody is signed in');
    return send(res, 200, prefill);
  }
  if (typeof fields.signature !== 'string' || !safeVerify(fields, market.secret))
    return refuse('the signature does not match the signed fields and the market secret');
  const keys = signedKeys(fields.signed_keys);
  if (!keys.includes('name') || !keys.includes('email')) return refuse('signed_keys must include name and email');
  if (fields.auto !== true && fields.auto !== 'true') {
    note('prefill', 'auto is not true: the form is pre-filled');
    return send(res, 200, prefill);
  }
  note('signed_in');
  return send(res, 200, signedIn());
}

/**
 * verify() as a boolean: false where it throws.
 *
 * @param {Record<string, any>} fields
 * @param {string} secret
 */
function safeVerify(fields, secret) {
  try {
    return verify(fields, secret) === true;
  } catch {
    return false;
  }
}
