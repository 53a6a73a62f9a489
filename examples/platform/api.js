// The guide's server APIs on the dev platform ("Referral tracking API" through "General API info"):
// auth_id/auth_token against markets.json, JSON and multipart CSV bodies with the documented
// headings, 201 / "200 with problems" / 422, a 429 rate limit with Retry-After, the signups
// 303 → 202 → 200 download and CSV reports built from what the platform holds.
// platform.js hands over its store and helpers; this module keeps its own API state and routes
// each call to its module in api/ (referrals, signups, users, reports; shared bodies in api/shared.js).
import { control, emptyState, rateLimited } from './api/control.js';
import { confirmReferrals, trackReferrals } from './api/referrals.js';
import { report } from './api/reports.js';
import { drain, send } from './api/shared.js';
import { signupDownload, signupSingle, signupUpload } from './api/signups.js';
import { forget, registerFriends, subscriptions } from './api/users.js';

/** Paths this module answers (the platform's own /api/state, /api/reset… stay with platform.js). */
const PREFIXES = ['/api/referrals/', '/api/signups', '/api/friends/', '/api/reports/', '/api/subscriptions/', '/api/users/'];
export const API_CONTROL_PATH = '/__control/api';

const MAX_LOGGED_CALLS = 200;

/** @typedef {import('./api/shared.js').ApiContext} ApiContext */

/**
 * The guide's APIs for the dev platform.
 *
 * @param {object} platform
 * @param {Map<string, import('./platform').MarketConfig>} platform.markets
 * @param {() => import('./store.js').Store} platform.store - The platform's current store.
 * @param {(market: string, who: {name: string, email: string}) => any} platform.findOrCreateReferrer
 * @param {(req: import('node:http').IncomingMessage) => string} platform.baseOf - The platform's base URL as the client sees it.
 */
export function createApi({ markets, store, findOrCreateReferrer, baseOf }) {
  // One object for the platform's life: reset() refills it, so every module sees the same state.
  const state = emptyState();

  /**
   * Authenticates, applies any scripted answer and the rate limit, then routes the call.
   *
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  async function handle(req, res, url) {
    if (url.pathname === API_CONTROL_PATH) return control({ state }, req, res);
    const started = Date.now();
    /** @type {import('./api/control.js').Call} */
    const call = { at: started, market: null, method: req.method, path: url.pathname, status: 0, rows: null, problems: [] };
    /** @type {ApiContext['answer']} */
    const answer = (status, body, headers = {}) => {
      call.status = status;
      call.ms = Date.now() - started;
      const problems = body && typeof body === 'object' && !Buffer.isBuffer(body) && 'problems' in body ? body.problems : undefined;
      if (Array.isArray(problems)) call.problems = problems.slice(0, 5);
      state.calls.push(call);
      if (state.calls.length > MAX_LOGGED_CALLS) state.calls.shift();
      store().version++; // the dashboard reloads on a new version
      return send(res, status, body, headers);
    };

    const marketId = String(req.headers['auth_id'] || '');
    const market = markets.get(marketId);
    if (!market || !market.authToken || req.headers['auth_token'] !== market.authToken) {
      await drain(req);
      return answer(401, { status: 'unauthorized', problems: ['The wrong auth_id/auth_token combination is given'] });
    }
    call.market = marketId;

    const scripted = state.script.shift();
    if (scripted !== undefined) {
      await drain(req);
      if (scripted === 'drop') return res.destroy();
      const status = typeof scripted === 'number' ? scripted : scripted.status;
      /** @type {Record<string, string>} */
      const retryAfter = typeof scripted === 'object' && scripted.retryAfter !== undefined ? { 'Retry-After': String(scripted.retryAfter) } : {};
      const problems = typeof scripted === 'object' && Array.isArray(scripted.problems) ? scripted.problems : [`Scripted answer ${status}`];
      return answer(status, { status: status === 429 ? 'rate_limited' : 'scripted', problems }, retryAfter);
    }
    const limited = rateLimited({ state }, marketId);
    if (limited) {
      await drain(req);
      return answer(
        429,
        { status: 'rate_limited', problems: [`Rate limit: at most ${state.rateLimit.requests} requests per ${state.rateLimit.perSeconds} s`] },
        { 'Retry-After': String(limited) },
      );
    }

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    /** @type {ApiContext} */
    const ctx = { req, url, marketId, market, call, answer, state, store, findOrCreateReferrer, baseOf };
    const route = `${req.method} ${parts.slice(0, 3).join('/')}`;
    switch (route) {
      case 'POST api/referrals/track':
        return trackReferrals(ctx);
      case 'POST api/referrals/confirmations':
        return confirmReferrals(ctx);
      case 'POST api/signups':
        return signupSingle(ctx);
      case 'POST api/signups/upload':
        return signupUpload(ctx);
      case 'GET api/signups/download':
        return signupDownload(ctx, parts[3]);
      case 'POST api/friends/registrations':
        return registerFriends(ctx);
      case 'POST api/subscriptions/subscribe':
      case 'POST api/subscriptions/unsubscribe':
        return subscriptions(ctx, parts[2] === 'subscribe');
      case 'POST api/users/forget':
        return forget(ctx);
    }
    if (req.method === 'GET' && parts[1] === 'reports' && parts.length === 4) return report(ctx, parts[2], parts[3]);
    await drain(req);
    return answer(404, { status: 'not_found', problems: [`No API at ${req.method} ${url.pathname}`] });
  }

  return {
    /** True for the guide's endpoints and the API control path. */
    handles: (/** @type {string} */ pathname) => pathname === API_CONTROL_PATH || PREFIXES.some((p) => pathname.startsWith(p)),
    handle,
    reset: () => Object.assign(state, emptyState()),
    /** API calls for the dashboard, newest first (no credentials are recorded). */
    calls: () => state.calls.slice().reverse(),
    /** Same as POST /__control/api, for in-process tests. */
    script: (/** @type {any[]} */ answers) => (state.script = answers.slice()),
    /** The API's state (optionally one market's), as a deep copy. */
    snapshot: (/** @type {string | undefined} */ marketId) =>
      structuredClone({
        calls: state.calls.filter((c) => !marketId || c.market === marketId),
        friends: state.friends.filter((f) => !marketId || f.market === marketId),
        unsubscribed: [...state.unsubscribed].filter((k) => !marketId || k.startsWith(marketId + '\n')).map((k) => k.split('\n')[1]),
      }),
  };
}
