// Helpers the platform's route modules share: the context type, referral metadata, share codes.
import { randomBytes } from 'node:crypto';
import { own } from './decide.js';

/**
 * The platform as its route modules see it: created once by createPlatform().
 *
 * @typedef {object} PlatformContext
 * @property {Map<string, import('./platform').MarketConfig>} markets - Markets by id (a Map: "__proto__" is an unknown market).
 * @property {import('./store.js').Store} store - What arrived.
 * @property {string} landing - The merchant landing page of share links ('' when unknown).
 * @property {{ script: import('./platform').ScriptedAnswer[], down: boolean }} control - Scripted answers for POST /track.
 * @property {(req: import('node:http').IncomingMessage) => string} baseOf - The platform's base URL as the client sees it.
 * @property {ReturnType<typeof import('./api.js').createApi>} api - The guide's server APIs (examples/platform/api.js).
 */

/**
 * A route's handler argument.
 *
 * @typedef {object} RouteContext
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {URL} url
 * @property {Record<string, string>} params - The route's `:name` and `*name` segments, decoded.
 */

/** Any parsed JSON object, read field by field after a type check. */
/** @typedef {Record<string, any>} Loose */

export const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A market's campaign by slug (own properties only), or undefined. */
export const campaignOf = (/** @type {import('./platform').MarketConfig | undefined} */ market, /** @type {string} */ slug) => own(market?.campaigns, slug);

/** True when a decrypted bp_e holds the guide's referral metadata (not sign-up details). */
export const isReferralMetadata = (/** @type {any} */ value) =>
  !!value && typeof value === 'object' && typeof value.email === 'string' && ('first_name' in value || 'voucher_code' in value || 'referral_count' in value);

/** A referrer as the state shows who referred: code, name, email. */
export const who = (/** @type {Record<string, any>} */ r) => ({ code: r.code, name: r.name, email: r.email });

/** A share-link code, like referme.to/abc123o. */
export const newCode = () =>
  randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');

/** A friend voucher code, like BPFRND0A1B2C3D4E. */
export const newVoucher = () => 'BPFRND' + randomBytes(5).toString('hex').toUpperCase();

/**
 * An object's string-valued entries only (click tokens).
 *
 * @param {unknown} value
 * @returns {Record<string, string>}
 */
export function stringEntries(value) {
  /** @type {Record<string, string>} */
  const out = {};
  if (value && typeof value === 'object') for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/**
 * Appends name=value (already URL-escaped) to a URL, keeping its fragment.
 *
 * @param {string} url
 * @param {string} name
 * @param {string} escaped
 */
export function withParam(url, name, escaped) {
  const hashAt = url.indexOf('#');
  const head = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  return head + (head.includes('?') ? '&' : '?') + name + '=' + escaped + hash;
}
