// The API's own state, its rate limit and its test control (POST /__control/api).
import { MAX_JSON_BYTES, parseJson, readBuffer, send } from './shared.js';

/** Default rate limit per market: this many requests per window. */
const DEFAULT_RATE_LIMIT = { requests: 100, perSeconds: 1 };
/** How many times a signups download answers 202 before the 200 (scriptable). */
const DEFAULT_SIGNUP_POLLS = 1;

/**
 * A friend registered through the API.
 *
 * @typedef {{ market: string, campaign: string, referrer_code: string, referrer_email: string, email: string, first_name: string,
 *   last_name: string, terms_opt_in: boolean, marketing_opt_in: boolean, voucher_code: string | null, registered_at: number }} Friend
 */
/** A signups upload waiting for its download. */
/** @typedef {{ market: string, slug: string, rows: import('./shared.js').Row[], pollsLeft: number, base: string, invites: boolean, csv?: string }} Job */
/** A scripted answer: a status, a status with Retry-After and problems, or a dropped connection. */
/** @typedef {number | 'drop' | { status: number, retryAfter?: number | string, problems?: string[] }} ScriptedApiAnswer */
/** A call as the dashboard lists it. */
/** @typedef {{ at: number, market: string | null, method?: string, path: string, status: number, rows: number | null, problems: string[], ms?: number }} Call */

/**
 * The API's own state.
 *
 * @typedef {object} ApiState
 * @property {Call[]} calls
 * @property {Friend[]} friends
 * @property {Map<string, Job>} jobs
 * @property {Set<string>} unsubscribed - market + "\n" + lower-case email.
 * @property {{ market: string, at: number }[]} forgotten
 * @property {ScriptedApiAnswer[]} script
 * @property {{ requests: number, perSeconds: number }} rateLimit
 * @property {number} signupPolls
 * @property {Map<string, { start: number, count: number }>} windows - Rate-limit windows per market.
 */

/**
 * The API's state when the platform starts or resets.
 *
 * @returns {ApiState}
 */
export function emptyState() {
  return {
    calls: [],
    friends: [],
    jobs: new Map(),
    unsubscribed: new Set(),
    forgotten: [],
    script: [],
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    signupPolls: DEFAULT_SIGNUP_POLLS,
    windows: new Map(),
  };
}

/**
 * Fixed-window counter per market; returns the seconds to wait, or 0.
 *
 * @param {{ state: ApiState }} ctx
 * @param {string} marketId
 */
export function rateLimited(ctx, marketId) {
  const { requests, perSeconds } = ctx.state.rateLimit;
  if (!requests) return 0;
  const now = Date.now();
  let window = ctx.state.windows.get(marketId);
  if (!window || now - window.start >= perSeconds * 1000) ctx.state.windows.set(marketId, (window = { start: now, count: 0 }));
  window.count++;
  return window.count > requests ? Math.max(1, Math.ceil((window.start + perSeconds * 1000 - now) / 1000)) : 0;
}

/**
 * POST /__control/api: scripted answers, the rate limit and the signups polls.
 *
 * @param {{ state: ApiState }} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export async function control(ctx, req, res) {
  const body = parseJson(await readBuffer(req, MAX_JSON_BYTES));
  const value = body.ok ? body.value : null;
  const usage =
    'expected { answers?: [429, {status: 429, retryAfter: 1}, {status: 422, problems: ["…"]}, 500, "drop", …], rateLimit?: {requests, perSeconds} | null, signupPolls?: number }';
  if (!value || typeof value !== 'object') return send(res, 400, { status: 'invalid', problems: [usage] });
  if ('answers' in value) {
    const ok =
      Array.isArray(value.answers) && value.answers.every((/** @type {any} */ a) => a === 'drop' || Number.isInteger(a) || (a && Number.isInteger(a.status)));
    if (!ok) return send(res, 400, { status: 'invalid', problems: [`"answers" ${usage}`] });
    ctx.state.script = value.answers.slice();
  }
  if ('rateLimit' in value) {
    const r = value.rateLimit;
    if (r !== null && !(r && Number.isInteger(r.requests) && r.requests >= 0 && Number(r.perSeconds) > 0))
      return send(res, 400, { status: 'invalid', problems: [`"rateLimit" ${usage}`] });
    ctx.state.rateLimit = r === null ? { ...DEFAULT_RATE_LIMIT } : { requests: r.requests, perSeconds: Number(r.perSeconds) };
    ctx.state.windows.clear();
  }
  if ('signupPolls' in value) {
    if (!Number.isInteger(value.signupPolls) || value.signupPolls < 0) return send(res, 400, { status: 'invalid', problems: [`"signupPolls" ${usage}`] });
    ctx.state.signupPolls = value.signupPolls;
  }
  return send(res, 200, { status: 'ok', pending: ctx.state.script.length, rateLimit: ctx.state.rateLimit, signupPolls: ctx.state.signupPolls });
}
