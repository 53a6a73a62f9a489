// Test control and state: scripted answers for POST /track, reset, the JSON state, the dashboard.
import path from 'node:path';
import { readJson, redirect, sameOriginPath, send, sendHtml, serveFile } from '../../http.js';
import { own, shown } from '../decide.js';
import { dashboardPage } from '../dashboard.js';

/** @typedef {import('../shared.js').PlatformContext} PlatformContext */
/** @typedef {import('../../http.js').RouteContext} RouteContext */

const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
// The ESM build's bare imports, for import maps (the SPA example).
const VENDOR = { 'js-cookie.mjs': 'js-cookie/dist/js.cookie.mjs', 'tslib.mjs': 'tslib/tslib.es6.mjs' };

/**
 * POST /__control: scripts the next answers of POST /track, or takes it down and up.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export async function control({ control }, { req, res }) {
  const body = await readJson(req);
  /** @type {any} */
  const value = body.ok ? body.value : null;
  if (!value || typeof value !== 'object' || !('track' in value))
    return send(res, 400, {
      status: 'invalid',
      errors: ['expected { track: [500, {status: 429, retryAfter: 2}, "drop", …] } or { track: "down" } or { track: null }'],
    });
  const answers = value.track;
  const isAnswer = (/** @type {any} */ s) => s === 'drop' || Number.isInteger(s) || (s && typeof s === 'object' && Number.isInteger(s.status));
  if (answers === 'down') {
    control.down = true;
    control.script = [];
  } else if (answers === null || answers === 'up') {
    control.down = false;
    control.script = [];
  } else if (Array.isArray(answers) && answers.every(isAnswer)) {
    control.down = false;
    control.script = answers.slice();
  } else
    return send(res, 400, {
      status: 'invalid',
      errors: [`"track" expected an array of statuses, {status, retryAfter}, "drop"; or "down"; received ${shown(answers)}`],
    });
  return send(res, 200, { status: 'ok', down: control.down, pending: control.script.length });
}

/**
 * Forgets everything: what arrived, the API's state and the scripted answers.
 *
 * @param {PlatformContext} p
 */
export function reset({ store, api, control }) {
  store.clear();
  api.reset();
  control.script = [];
  control.down = false;
}

/**
 * POST /api/reset[?then=/path]: forgets everything; `then` redirects, on this origin only.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function resetApi(p, { res, url }) {
  reset(p);
  const then = url.searchParams.get('then');
  if (then === null) return send(res, 200, { status: 'reset' });
  const target = sameOriginPath(then);
  if (!target) return send(res, 400, { status: 'invalid', errors: [`"then" expected a path on this platform, like "/dashboard", received ${shown(then)}`] });
  return redirect(res, 303, target);
}

/**
 * What GET /api/state answers: the lists (optionally one market's), the control state, share paths.
 *
 * @param {PlatformContext} p
 * @param {string | null | undefined} marketId
 * @returns {import('../platform').PlatformState}
 */
export function snapshot({ store, landing, control }, marketId) {
  const { version, ...lists } = store.snapshot(marketId || undefined);
  return {
    version,
    merchant_url: landing || null,
    control: { down: control.down, pending: control.script.length },
    ...lists,
    referrers: lists.referrers.map((/** @type {any} */ r) => ({ ...r, share_path: '/r/' + r.code })),
  };
}

/**
 * GET / and /dashboard: what arrived, as a page.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function dashboard({ store, markets, landing, baseOf, api }, { req, res }) {
  const page = dashboardPage({ state: store, markets, merchantUrl: landing, base: baseOf(req), apiCalls: api.calls() });
  return sendHtml(res, 200, page, { 'Content-Security-Policy': DASHBOARD_CSP });
}

/**
 * GET /vendor/:file: the ESM build's bare imports, from node_modules.
 *
 * @param {string} root - The repository's root.
 * @param {RouteContext} route
 */
export function vendor(root, { req, res, params }) {
  const file = own(VENDOR, params.file);
  if (!file) return send(res, 404, { status: 'not_found' });
  return serveFile(req, res, path.join(root, 'node_modules', path.dirname(file)), path.basename(file));
}
