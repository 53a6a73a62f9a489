// Referrers, share links and the vouchers they issue (protocol §3).
import { readJson, redirect, send, sendHtml } from '../../http.js';
import { shown } from '../decide.js';
import { notFoundPage } from '../pages.js';
import { decryptBpE, encryptBpE } from '../sdk.js';
import { EMAIL, isReferralMetadata, newCode, newVoucher, who, withParam } from '../shared.js';

/** @typedef {import('../shared.js').PlatformContext} PlatformContext */
/** @typedef {import('../../http.js').RouteContext} RouteContext */

/**
 * The market's referrer with this email, or a new one (signed up now).
 *
 * @param {PlatformContext} p
 * @param {string} marketId
 * @param {{ name: string, email: string, marketing_opt_in?: unknown, client_data?: unknown }} who
 * @returns {any} The stored referrer.
 */
export function findOrCreateReferrer({ store }, marketId, { name, email, marketing_opt_in, client_data }) {
  const known = store.referrerByEmail(marketId, email);
  if (known) return known;
  const words = name.trim().split(/\s+/);
  return store.record('referrers', {
    code: newCode(),
    market: marketId,
    name: name.trim(),
    first_name: words.length > 1 ? words.slice(0, -1).join(' ') : words[0],
    last_name: words.length > 1 ? words[words.length - 1] : '',
    email: email.trim(),
    marketing_opt_in: marketing_opt_in === true || marketing_opt_in === 'true',
    client_data: client_data && typeof client_data === 'object' ? client_data : undefined,
    created_at: Date.now(),
    referral_count: 0,
    vouchers: [],
  });
}

/**
 * POST /api/referrers: signs someone up as a referrer; answers their share URL.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export async function createReferrerApi(p, { req, res }) {
  const { markets, baseOf } = p;
  const body = await readJson(req);
  /** @type {import('../shared.js').Loose} */
  const fields = body.ok && body.value && typeof body.value === 'object' ? body.value : {};
  const errors = [];
  if (!markets.has(fields.market)) errors.push(`"market" expected one of ${[...markets.keys()].join(', ')}, received ${shown(fields.market)}`);
  if (typeof fields.name !== 'string' || !fields.name.trim()) errors.push(`"name" expected a full name, received ${shown(fields.name)}`);
  if (typeof fields.email !== 'string' || !EMAIL.test(fields.email.trim())) errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
  if (!body.ok) errors.unshift(body.error);
  if (errors.length) return send(res, 400, { status: 'invalid', errors });
  const referrer = findOrCreateReferrer(p, fields.market, /** @type {{ name: string, email: string }} */ (fields));
  return send(res, 200, { code: referrer.code, share_url: `${baseOf(req)}/r/${referrer.code}`, name: referrer.name, email: referrer.email });
}

/**
 * GET /r/:code: a fresh friend voucher, then 302 to the merchant's landing with bp_e.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function shareLink(p, { res, params }) {
  const { markets, store } = p;
  const code = params.code;
  const referrer = store.referrersByCode.get(code);
  if (!referrer) {
    store.record('visits', { at: Date.now(), code, referrer: null, voucher_code: null, location: null });
    return sendHtml(res, 404, notFoundPage('This share link does not exist (any more).', 'Unknown link'));
  }
  const market = /** @type {import('../platform').MarketConfig} */ (markets.get(referrer.market));
  const target = market.merchantUrl || p.landing;
  if (!target)
    return send(res, 503, {
      status: 'no_merchant_url',
      message: 'The platform does not know the merchant landing page: start it with --merchant URL, or call setMerchantUrl(url).',
    });
  const voucher = newVoucher();
  store.vouchers.set(voucher, { market: referrer.market, referrer: referrer.code, issued_at: Date.now() });
  referrer.vouchers.push(voucher);
  // The guide's "Referral Metadata" shape.
  const metadata = {
    referral_count: referrer.referral_count,
    email: referrer.email,
    first_name: referrer.first_name,
    last_name: referrer.last_name,
    ...(referrer.client_data ? { client_data: referrer.client_data } : {}),
    voucher_code: voucher,
  };
  const location = withParam(target, 'bp_e', encryptBpE(metadata, market.authToken));
  store.record('visits', { at: Date.now(), code, market: referrer.market, referrer: who(referrer), voucher_code: voucher, location });
  return redirect(res, 302, location);
}

/**
 * Who a bp_e points at: the decrypted metadata, and the referrer on file when known.
 *
 * @param {PlatformContext} p
 * @param {string} marketId
 * @param {Record<string, string> | undefined} tokens
 * @returns {{ note?: string, referrer?: { code: string | null, name: string, email: string }, known?: any, voucher_code?: string | null }}
 */
export function referralOf({ markets, store }, marketId, tokens) {
  const market = markets.get(marketId);
  const bpE = tokens && typeof tokens.bp_e === 'string' ? tokens.bp_e : '';
  if (!bpE || !market) return { note: bpE ? '' : 'no bp_e token' };
  /** @type {any} */
  let metadata;
  try {
    metadata = decryptBpE(bpE, market.authToken);
  } catch {
    return { note: "bp_e does not decrypt with this market's auth token" };
  }
  if (!isReferralMetadata(metadata)) return { note: 'bp_e holds no referral metadata' };
  const known = store.referrerByEmail(marketId, metadata.email);
  const referrer = known
    ? who(known)
    : {
        email: metadata.email,
        name: [metadata.first_name, metadata.last_name].filter((part) => typeof part === 'string' && part).join(' '),
        code: null,
      };
  return { referrer, known, voucher_code: typeof metadata.voucher_code === 'string' ? metadata.voucher_code : null };
}
