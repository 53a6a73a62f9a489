// The dev platform: our local stand-in for Buyapowa's servers (docs/protocol.md).
// It serves the campaign iframe, receives conversions and click beacons, verifies signatures,
// redirects share links with a real bp_e, serves the built SDK like a CDN, and shows a
// dashboard of what arrived. Plain node:http; answers to any Host name.
//
// Routes are one line each in `routes` below: ['METHOD /path/:param', handler], where the
// handler gets { req, res, url, params }. The handlers live in routes/ (one module per area of
// docs/protocol.md), the guide's server APIs in api.js and api/; they share one context, `p`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { close, cors, createRouter, createServer, listen, preflight, send, serveFile } from '../http.js';
import { shown } from './decide.js';
import { Store } from './store.js';
import { createApi } from './api.js';
import './sdk.js'; // fails first, with a hint, when the SDK is not built
import { campaign, login, og } from './routes/campaign.js';
import { click } from './routes/click.js';
import { control, dashboard, reset, resetApi, snapshot, vendor } from './routes/control.js';
import { createReferrerApi, findOrCreateReferrer, shareLink } from './routes/referrers.js';
import { pixel, track } from './routes/track.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');
const staticDir = path.join(here, 'static');

const DEFAULT_MARKETS = JSON.parse(readFileSync(path.join(here, 'markets.json'), 'utf8'));
const DIST_HINT = ' (run `npm run build`)';

/**
 * `url` when it is an absolute http(s) URL, else an Error naming `field`.
 *
 * @param {unknown} url
 * @param {string} [field]
 * @returns {string}
 */
export function checkMerchantUrl(url, field = 'merchantUrl') {
  let parsed = null;
  try {
    parsed = new URL(/** @type {string} */ (url));
  } catch {
    // not a URL: reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new Error(`"${field}" expected an absolute http(s) URL, like "http://www.shop.localhost:8788/", received ${shown(url)}`);
  return /** @type {string} */ (url);
}

/**
 * The route table: one line per route, in match order (a GET route answers HEAD too).
 *
 * @param {import('./shared.js').PlatformContext} p
 * @returns {import('../http.js').Route[]}
 */
function routesOf(p) {
  return [
    ['POST /track', (c) => track(p, c)],
    ['OPTIONS /track', ({ req, res }) => preflight(req, res)],
    ['POST /click', (c) => click(p, c)],
    ['OPTIONS /click', ({ req, res }) => preflight(req, res)],
    ['GET /track.gif', (c) => pixel(p, c)],
    ['GET /iaf/:campaign', (c) => campaign(p, c)],
    ['GET /iaf/:campaign/og', (c) => og(p, c)],
    ['POST /iaf/:campaign/session', (c) => login(p, c, 'session')],
    ['POST /iaf/:campaign/signup', (c) => login(p, c, 'signup')],
    ['GET /r/:code', (c) => shareLink(p, c)],
    ['POST /api/referrers', (c) => createReferrerApi(p, c)],
    ['GET /api/state', ({ res, url }) => send(res, 200, snapshot(p, url.searchParams.get('market')))],
    ['GET /api/version', ({ res }) => send(res, 200, { version: p.store.version })],
    ['POST /api/reset', (c) => resetApi(p, c)],
    ['POST /__control', (c) => control(p, c)],
    ['GET /', (c) => dashboard(p, c)],
    ['GET /dashboard', (c) => dashboard(p, c)],
    ['GET /embedding.min.js', ({ req, res }) => serveFile(req, res, dist, 'embedding.min.js', DIST_HINT)],
    // The script tag's chunks, loaded from beside embedding.min.js (dist/chunks/<name>.<hash>.js).
    ['GET /chunks/:file', ({ req, res, params }) => serveFile(req, res, path.join(dist, 'chunks'), params.file, DIST_HINT)],
    ['GET /sdk/*file', ({ req, res, params }) => serveFile(req, res, dist, params.file, DIST_HINT)],
    ['GET /vendor/:file', (c) => vendor(root, c)],
    ['GET /static/:file', ({ req, res, params }) => serveFile(req, res, staticDir, params.file)],
    ['GET /favicon.ico', ({ res }) => send(res, 204, '')],
  ];
}

/**
 * Starts the dev platform.
 *
 * @param {import('./platform').PlatformOptions} [options]
 * @returns {Promise<import('./platform').Platform>}
 */
export async function createPlatform({ port = 0, host = '127.0.0.1', merchantUrl, markets: marketOptions = DEFAULT_MARKETS, verbose = false } = {}) {
  /** @type {number} */
  let boundPort = 0;
  /** @type {import('./shared.js').PlatformContext} */
  const p = {
    // A Map: market ids such as "__proto__" or "toString" are unknown markets, nothing else.
    markets: new Map(Object.entries(structuredClone(marketOptions))),
    store: new Store(),
    landing: merchantUrl ? checkMerchantUrl(merchantUrl) : '',
    // Scripted answers for POST /track (see POST /__control).
    control: { script: [], down: false },
    /** The platform's base URL as the client sees it (any Host name). */
    baseOf: (req) => `${req.headers['x-forwarded-proto'] || 'http'}://${req.headers['x-forwarded-host'] || req.headers.host || `${host}:${boundPort}`}`,
    // Set just below: the API module needs the context's referrer sign-up.
    api: /** @type {any} */ (null),
  };
  // The guide's server APIs (examples/platform/api.js) route themselves under /api/… and /__control/api.
  p.api = createApi({
    markets: p.markets,
    store: () => p.store,
    findOrCreateReferrer: (market, who) => findOrCreateReferrer(p, market, who),
    baseOf: p.baseOf,
  });
  const match = createRouter(routesOf(p));

  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown} */
  function handle(req, res) {
    const url = new URL(/** @type {string} */ (req.url), 'http://platform.invalid');
    if (p.api.handles(url.pathname)) return p.api.handle(req, res, url);
    const found = match(/** @type {string} */ (req.method), url.pathname);
    if (found && 'handler' in found) return found.handler({ req, res, url, params: found.params });
    if (found?.allowed) return send(res, 405, { status: 'method_not_allowed', allowed: found.allowed }, { ...cors(req), Allow: found.allowed.join(', ') });
    return send(res, 404, { status: 'not_found', path: url.pathname });
  }

  const httpServer = createServer('platform', (req, res) => {
    const started = Date.now();
    if (verbose) res.on('finish', () => console.log(`${req.method} ${req.headers.host || ''}${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    return handle(req, res);
  });

  boundPort = await listen(httpServer, port, host);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${boundPort}`,
    port: boundPort,
    close: () => close(httpServer),
    state: (marketId) => snapshot(p, marketId),
    reset: () => reset(p),
    /** Signs someone up as a referrer (test seeding); the share link is `<market domain>/r/<code>`. */
    createReferrer({ market = 'demo', name, email }) {
      if (!p.markets.has(market)) throw new Error(`createReferrer: "market" expected one of ${[...p.markets.keys()].join(', ')}, received ${shown(market)}`);
      const referrer = findOrCreateReferrer(p, market, { name, email });
      return { code: referrer.code, share_path: '/r/' + referrer.code };
    },
    setMerchantUrl(url, marketId) {
      checkMerchantUrl(url, 'url');
      const market = marketId === undefined ? undefined : p.markets.get(marketId);
      if (marketId === undefined) p.landing = url;
      else if (market) market.merchantUrl = url;
      else throw new Error(`setMerchantUrl: "market" expected one of ${[...p.markets.keys()].join(', ')}, received ${shown(marketId)}`);
    },
  };
}
