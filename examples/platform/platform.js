// The dev platform: our local stand-in for Buyapowa's servers (docs/protocol.md).
// It serves the campaign iframe, receives conversions and click beacons, verifies signatures,
// redirects share links with a real bp_e, serves the built SDK like a CDN, and shows a
// dashboard of what arrived. Plain node:http; answers to any Host name.
//
// Routes are one line each in `routes` below: ['METHOD /path/:param', handler], where the
// handler gets { req, res, url, params }.
import { readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  close,
  cookieNames,
  cors,
  createRouter,
  createServer,
  listen,
  MAX_BODY_BYTES,
  parseJson,
  preflight,
  readBody,
  readJson,
  redirect,
  sameOriginPath,
  send,
  sendHtml,
  serveFile,
} from '../http.js';
import { Store } from './store.js';
import { attemptOf, batchError, decide, decideBatch, isBatch, own, shown, signedKeys, transportOf } from './decide.js';
import { campaignPage, dashboardPage, errorPage, neverReadyPage, notFoundPage, ogPage, refusedPage } from './pages.js';
import { createApi } from './api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');
const staticDir = path.join(here, 'static');

// The server helpers come from the build, as a merchant's server would import them.
let server;
try {
  server = await import('../../dist/server.js');
} catch (error) {
  throw new Error(`examples/platform needs the built SDK (dist/server.js): run \`npm run build\` first. (${error.message})`);
}
const { verify, encryptBpE, decryptBpE } = server;

const DEFAULT_MARKETS = JSON.parse(readFileSync(path.join(here, 'markets.json'), 'utf8'));
const CAMPAIGN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors http: https:";
const REFUSED_CSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
// The ESM build's bare imports, for import maps (the SPA example).
const VENDOR = { 'js-cookie.mjs': 'js-cookie/dist/js.cookie.mjs', 'tslib.mjs': 'tslib/tslib.es6.mjs' };
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const DIST_HINT = ' (run `npm run build`)';
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `url` when it is an absolute http(s) URL, else an Error naming `field`. */
export function checkMerchantUrl(url, field = 'merchantUrl') {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    // not a URL: reported below
  }
  if (!parsed || (parsed.protocol != 'http:' && parsed.protocol != 'https:'))
    throw new Error(`"${field}" expected an absolute http(s) URL, like "http://www.shop.localhost:8788/", received ${shown(url)}`);
  return url;
}

/**
 * Starts the dev platform.
 *
 * @param {object} [options]
 * @param {number} [options.port=0] - 0 picks a free port.
 * @param {string} [options.host='127.0.0.1'] - The interface to listen on.
 * @param {string} [options.merchantUrl] - Where share links land (the merchant's landing page).
 * @param {object} [options.markets] - Markets by id; default: markets.json.
 * @param {boolean} [options.verbose=false] - Log a line per request to stdout.
 * @returns {Promise<{url: string, port: number, close(): Promise<void>, state(market?: string): object, reset(): void,
 *   setMerchantUrl(url: string, market?: string): void, createReferrer(r: {market?: string, name: string, email: string}): {code: string, share_path: string}}>}
 */
export async function createPlatform({ port = 0, host = '127.0.0.1', merchantUrl, markets: marketOptions = DEFAULT_MARKETS, verbose = false } = {}) {
  // A Map: market ids such as "__proto__" or "toString" are unknown markets, nothing else.
  const markets = new Map(Object.entries(structuredClone(marketOptions)));
  let landing = merchantUrl ? checkMerchantUrl(merchantUrl) : '';
  const store = new Store();
  // Scripted answers for POST /track (see POST /__control).
  let script = [];
  let down = false;

  /** The platform's base URL as the client sees it (any Host name). */
  const baseOf = (req) =>
    `${req.headers['x-forwarded-proto'] || 'http'}://${req.headers['x-forwarded-host'] || req.headers.host || `${host}:${boundPort}`}`;
  const campaignOf = (market, slug) => own(market?.campaigns, slug);

  // ---- Routes: one line each -------------------------------------------------------------
  const routes = [
    ['POST /track', track],
    ['OPTIONS /track', ({ req, res }) => preflight(req, res)],
    ['POST /click', click],
    ['OPTIONS /click', ({ req, res }) => preflight(req, res)],
    ['GET /track.gif', pixel],
    ['GET /iaf/:campaign', campaign],
    ['GET /iaf/:campaign/og', og],
    ['POST /iaf/:campaign/session', (ctx) => login(ctx, 'session')],
    ['POST /iaf/:campaign/signup', (ctx) => login(ctx, 'signup')],
    ['GET /r/:code', shareLink],
    ['POST /api/referrers', createReferrerApi],
    ['GET /api/state', ({ res, url }) => send(res, 200, snapshot(url.searchParams.get('market')))],
    ['GET /api/version', ({ res }) => send(res, 200, { version: store.version })],
    ['POST /api/reset', resetApi],
    ['POST /__control', control],
    ['GET /', dashboard],
    ['GET /dashboard', dashboard],
    ['GET /embedding.min.js', ({ req, res }) => serveFile(req, res, dist, 'embedding.min.js', DIST_HINT)],
    // The script tag's chunks, loaded from beside embedding.min.js (dist/chunks/<name>.<hash>.js).
    ['GET /chunks/:file', ({ req, res, params }) => serveFile(req, res, path.join(dist, 'chunks'), params.file, DIST_HINT)],
    ['GET /sdk/*file', ({ req, res, params }) => serveFile(req, res, dist, params.file, DIST_HINT)],
    ['GET /vendor/:file', vendor],
    ['GET /static/:file', ({ req, res, params }) => serveFile(req, res, staticDir, params.file)],
    ['GET /favicon.ico', ({ res }) => send(res, 204, '')],
  ];
  const match = createRouter(routes);
  // The guide's server APIs (examples/platform/api.js) route themselves under /api/… and /__control/api.
  const api = createApi({ markets, store: () => store, findOrCreateReferrer, baseOf });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://platform.invalid');
    if (api.handles(url.pathname)) return api.handle(req, res, url);
    const found = match(req.method, url.pathname);
    if (found?.handler) return found.handler({ req, res, url, params: found.params });
    if (found?.allowed) return send(res, 405, { status: 'method_not_allowed', allowed: found.allowed }, { ...cors(req), Allow: found.allowed.join(', ') });
    return send(res, 404, { status: 'not_found', path: url.pathname });
  }

  const httpServer = createServer('platform', (req, res) => {
    const started = Date.now();
    if (verbose) res.on('finish', () => console.log(`${req.method} ${req.headers.host || ''}${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    return handle(req, res);
  });

  function dashboard({ req, res }) {
    return sendHtml(res, 200, dashboardPage({ state: store, markets, merchantUrl: landing, base: baseOf(req), apiCalls: api.calls() }), { 'Content-Security-Policy': DASHBOARD_CSP });
  }

  function vendor({ req, res, params }) {
    const file = own(VENDOR, params.file);
    if (!file) return send(res, 404, { status: 'not_found' });
    return serveFile(req, res, path.join(root, 'node_modules', path.dirname(file)), path.basename(file));
  }

  // ---- The campaign iframe (protocol §1) -------------------------------------------------

  function campaign({ res, url, params }) {
    const q = url.searchParams;
    const slug = params.campaign;
    if (slug == 'never-ready') return sendHtml(res, 200, neverReadyPage(), { 'Content-Security-Policy': CAMPAIGN_CSP });
    if (slug == 'refused') return sendHtml(res, 200, refusedPage(), { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': REFUSED_CSP });
    const marketId = q.get('market') || '';
    const market = markets.get(marketId);
    const headers = { 'Content-Security-Policy': CAMPAIGN_CSP };
    if (!market) return sendHtml(res, 404, errorPage({ code: 'market_not_found', message: `There is no market "${marketId}" on this platform.` }), headers);
    const details = campaignOf(market, slug);
    if (!details) return sendHtml(res, 404, errorPage({ code: 'campaign_not_found', message: `Market "${marketId}" has no campaign "${slug}".` }), headers);

    // What the SDK forwarded: bp_e (a share-link landing or an auto sign-up link), bp_l, …
    const forwarded = {};
    for (const [key, value] of q) if (key.startsWith('bp_')) forwarded[key] = value;
    let referral = null;
    let signup = null;
    let bpENote = '';
    if (forwarded.bp_e) {
      try {
        const value = decryptBpE(forwarded.bp_e, market.authToken);
        if (isReferralMetadata(value)) referral = value;
        else if (value && typeof value == 'object' && typeof value.email == 'string') signup = value;
        else bpENote = 'decrypted, but holds neither referral metadata nor sign-up details';
      } catch {
        bpENote = "does not decrypt with this market's auth token";
      }
    }
    const page = campaignPage({
      marketId,
      market,
      slug,
      campaign: details,
      locale: q.get('locale') || '',
      referral,
      signup,
      friend: forwarded.bp_l == 'false',
      forwarded,
      bpENote,
    });
    return sendHtml(res, 200, page, headers);
  }

  function og({ req, res, url, params }) {
    const slug = params.campaign;
    const marketId = url.searchParams.get('market');
    const entry = marketId ? [marketId, markets.get(marketId)] : [...markets].find(([, market]) => campaignOf(market, slug));
    const details = entry && campaignOf(entry[1], slug);
    if (!details) return sendHtml(res, 404, notFoundPage('No such campaign.'));
    const base = baseOf(req);
    return sendHtml(res, 200, ogPage({ campaign: details, market: entry[1], url: `${base}/iaf/${encodeURIComponent(slug)}/og`, image: `${base}/static/og.png` }));
  }

  /** POST /iaf/:campaign/session (seamless login, protocol §1.3) and /signup (the form). */
  async function login({ req, res, url, params }, kind) {
    const slug = params.campaign;
    const marketId = url.searchParams.get('market') || '';
    const market = markets.get(marketId);
    if (!market) return send(res, 404, { status: 'unknown_market' });
    if (!campaignOf(market, slug)) return send(res, 404, { status: 'unknown_campaign' });
    const body = await readJson(req);
    if (!body.ok) return send(res, 400, { status: 'invalid', errors: [body.error] });
    const fields = body.value && typeof body.value == 'object' ? body.value : {};
    const errors = [];
    if (typeof fields.name != 'string' || !fields.name.trim()) errors.push(`"name" expected the person's full name, received ${shown(fields.name)}`);
    if (typeof fields.email != 'string' || !EMAIL.test(fields.email.trim())) errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
    const note = (status, reason) =>
      store.record('logins', { at: Date.now(), market: marketId, campaign: slug, kind, email: typeof fields.email == 'string' ? fields.email : '', status, reason });
    const refuse = (reason) => {
      note('invalid_signature', reason);
      return send(res, 401, { status: 'invalid_signature', reason });
    };
    if (errors.length) {
      note('invalid', errors.join('; '));
      return send(res, 400, { status: 'invalid', errors });
    }
    const signedIn = () => {
      const referrer = findOrCreateReferrer(marketId, fields);
      return { status: 'signed_in', name: referrer.name, email: referrer.email, share_url: `${baseOf(req)}/r/${referrer.code}`, referral_count: referrer.referral_count };
    };
    if (kind == 'signup') {
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
    if (typeof fields.signature != 'string' || !safeVerify(fields, market.secret)) return refuse('the signature does not match the signed fields and the market secret');
    const keys = signedKeys(fields.signed_keys);
    if (!keys.includes('name') || !keys.includes('email')) return refuse('signed_keys must include name and email');
    if (fields.auto !== true && fields.auto !== 'true') {
      note('prefill', 'auto is not true: the form is pre-filled');
      return send(res, 200, prefill);
    }
    note('signed_in');
    return send(res, 200, signedIn());
  }

  function safeVerify(fields, secret) {
    try {
      return verify(fields, secret) === true;
    } catch {
      return false;
    }
  }

  // ---- Referrers, share links, vouchers (protocol §3) ----------------------------------

  function findOrCreateReferrer(marketId, { name, email, marketing_opt_in, client_data }) {
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
      client_data: client_data && typeof client_data == 'object' ? client_data : undefined,
      created_at: Date.now(),
      referral_count: 0,
      vouchers: [],
    });
  }

  async function createReferrerApi({ req, res }) {
    const body = await readJson(req);
    const fields = body.ok && body.value && typeof body.value == 'object' ? body.value : {};
    const errors = [];
    if (!markets.has(fields.market)) errors.push(`"market" expected one of ${[...markets.keys()].join(', ')}, received ${shown(fields.market)}`);
    if (typeof fields.name != 'string' || !fields.name.trim()) errors.push(`"name" expected a full name, received ${shown(fields.name)}`);
    if (typeof fields.email != 'string' || !EMAIL.test(fields.email.trim())) errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
    if (!body.ok) errors.unshift(body.error);
    if (errors.length) return send(res, 400, { status: 'invalid', errors });
    const referrer = findOrCreateReferrer(fields.market, fields);
    return send(res, 200, { code: referrer.code, share_url: `${baseOf(req)}/r/${referrer.code}`, name: referrer.name, email: referrer.email });
  }

  /** GET /r/:code: a fresh friend voucher, then 302 to the merchant's landing with bp_e. */
  function shareLink({ res, params }) {
    const code = params.code;
    const referrer = store.referrersByCode.get(code);
    if (!referrer) {
      store.record('visits', { at: Date.now(), code, referrer: null, voucher_code: null, location: null });
      return sendHtml(res, 404, notFoundPage('This share link does not exist (any more).', 'Unknown link'));
    }
    const market = markets.get(referrer.market);
    const target = market.merchantUrl || landing;
    if (!target)
      return send(res, 503, { status: 'no_merchant_url', message: 'The platform does not know the merchant landing page: start it with --merchant URL, or call setMerchantUrl(url).' });
    const voucher = 'BPFRND' + randomBytes(5).toString('hex').toUpperCase();
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

  /** Who a bp_e points at: the decrypted metadata, and the referrer on file when known. */
  function referralOf(marketId, tokens) {
    const market = markets.get(marketId);
    const bpE = tokens && typeof tokens.bp_e == 'string' ? tokens.bp_e : '';
    if (!bpE || !market) return { note: bpE ? '' : 'no bp_e token' };
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
      : { email: metadata.email, name: [metadata.first_name, metadata.last_name].filter((part) => typeof part == 'string' && part).join(' '), code: null };
    return { referrer, known, voucher_code: typeof metadata.voucher_code == 'string' ? metadata.voucher_code : null };
  }

  // ---- Conversions (protocol §2) ---------------------------------------------------------

  async function track({ req, res }) {
    const body = await readBody(req);
    const parsed = parseJson(body.text);
    const event = parsed.ok && parsed.value && typeof parsed.value == 'object' ? parsed.value : null;
    // A well-formed batch is one delivery per event, as if each had arrived alone.
    const batch = isBatch(event) && !batchError(event) ? event.events : null;
    const deliveries = (batch || [event]).map((item) =>
      store.record('deliveries', {
        at: Date.now(),
        event_id: typeof item?.event_id == 'string' ? item.event_id : null,
        attempt: item && item.attempt !== undefined ? attemptOf(item.attempt) : null,
        transport: item ? transportOf(item.transport) : null,
        ...(batch ? { batch: batch.length } : {}),
        outcome: '',
      }),
    );
    const settle = (outcome) => deliveries.forEach((delivery) => (delivery.outcome = outcome));

    // Test control: scripted answers before normal handling, for the whole request.
    const next = down ? 'drop' : script.shift();
    if (next !== undefined) {
      if (next == 'drop') {
        settle(down ? 'down' : 'dropped');
        req.socket.destroy();
        return;
      }
      const spec = typeof next == 'number' ? { status: next } : next;
      settle('scripted ' + spec.status);
      const headers = cors(req);
      if (spec.retryAfter != null) headers['Retry-After'] = String(spec.retryAfter);
      return send(res, spec.status, spec.body ?? { status: 'scripted', code: spec.status }, headers);
    }

    const [delivery] = deliveries;
    if (body.tooLarge) return rejectUnread(req, res, delivery, 'too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    if (!parsed.ok) return rejectUnread(req, res, delivery, 'malformed', parsed.error);
    if (isBatch(event)) return trackBatch(req, res, deliveries, event);
    const decision = apply(req, delivery, decide(event, worldOf(randomUUID())));
    return send(res, decision.status, decision.body, cors(req));
  }

  /** A batch (protocol §2.4): each event decided and recorded in order; one 400 when malformed. */
  function trackBatch(req, res, deliveries, event) {
    const batch = decideBatch(event, worldOf(randomUUID));
    if (batch.status != 200) return rejectUnread(req, res, deliveries[0], 'invalid', batch.body.errors[0]);
    batch.decisions.forEach((decision, index) => apply(req, deliveries[index], decision));
    return send(res, 200, batch.body, cors(req));
  }

  /** A body that could not be read as an event (or a batch): 400, recorded with the reason. */
  function rejectUnread(req, res, delivery, reason, error) {
    store.record('rejected', { received_at: Date.now(), path: '/track', status: 400, reason, errors: [error], event_id: null });
    delivery.outcome = 'rejected 400';
    return send(res, 400, { status: 'invalid', errors: [error] }, cors(req));
  }

  /** What decide() reads: the markets, the signature check, the store's dedupe, the time. */
  function worldOf(newId) {
    return { markets, verify, duplicateOf: (market, orderNumber, eventId) => store.duplicateOf(market, orderNumber, eventId), now: Date.now(), newId };
  }

  /** Records what was decided (with attribution for a new conversion). */
  function apply(req, delivery, decision) {
    const { list, entry } = decision.record;
    if (list == 'conversions') Object.assign(entry, { attribution: attribute(entry), origin: req.headers.origin || null, cookies: cookieNames(req) });
    delivery.outcome = list == 'conversions' ? 'created' : list == 'duplicates' ? 'duplicate ' + entry.reason : 'rejected ' + decision.status;
    store.record(list, entry);
    return decision;
  }

  /** GET /track.gif: the <noscript> pixel. Always a 1×1 GIF, whatever happened. */
  function pixel({ req, res, url }) {
    const q = url.searchParams;
    const fields = {};
    for (const key of new Set(q.keys())) {
      if (key == 'v' || key == 'market' || key == 'event_id') continue;
      const values = q.getAll(key);
      const name = key.replace(/\[\]$/, '');
      // voucher_codes: repeated (voucher_codes=A&voucher_codes=B) or comma-separated.
      fields[name] = name == 'voucher_codes' ? values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) : values[values.length - 1];
    }
    const delivery = store.record('deliveries', { at: Date.now(), event_id: q.get('event_id'), attempt: 1, transport: 'pixel', outcome: '' });
    const event = { v: Number(q.get('v')), type: 'conversion', event_id: q.get('event_id') || undefined, market: q.get('market'), conversion: fields, transport: 'pixel', attempt: 1 };
    apply(req, delivery, decide(event, worldOf(randomUUID())));
    res.writeHead(200, { 'Content-Type': 'image/gif', 'Content-Length': GIF.length, 'Cache-Control': 'no-store', ...cors(req) });
    res.end(req.method == 'HEAD' ? undefined : GIF);
  }

  /** Credits a referrer: the landing's bp_e first, then a voucher code issued by a share link. */
  function attribute(conversion) {
    const { fields, market } = conversion;
    const email = fields.customer_email.toLowerCase();
    const credit = (attribution, referrerRecord) => {
      if (attribution.referrer.email.toLowerCase() == email)
        return { referrer: null, via: null, note: `not credited: ${attribution.referrer.email} referred themselves` };
      if (referrerRecord) {
        referrerRecord.referral_count++;
        attribution.referrer.referral_count = referrerRecord.referral_count;
      }
      return attribution;
    };
    const notes = [];
    const tokens = conversion.referral?.tokens;
    if (tokens?.bp_e) {
      const found = referralOf(market, tokens);
      if (found.referrer) return credit({ referrer: found.referrer, via: 'landing', voucher_code: found.voucher_code }, found.known);
      notes.push(found.note);
    }
    const codes = [fields.voucher_code ?? [], fields.voucher_codes ?? []].flat().map((code) => String(code).trim().toUpperCase()).filter(Boolean);
    for (const code of codes) {
      const voucher = store.vouchers.get(code);
      if (voucher && voucher.market == market) {
        const referrer = store.referrersByCode.get(voucher.referrer);
        return credit({ referrer: who(referrer), via: 'voucher_code', voucher_code: code }, referrer);
      }
    }
    if (codes.length) notes.push(`no share link issued ${codes.join(', ')}`);
    return { referrer: null, via: null, note: notes.filter(Boolean).join('; ') || 'no referral token and no known voucher code' };
  }

  // ---- Click beacons (protocol §3.3) -----------------------------------------------------

  async function click({ req, res }) {
    const body = await readBody(req);
    const parsed = parseJson(body.text);
    const event = parsed.ok ? parsed.value : null;
    if (!event || typeof event != 'object' || event.type !== 'click' || typeof event.market != 'string') {
      store.record('rejected', { received_at: Date.now(), path: '/click', status: 400, reason: 'invalid', errors: [parsed.ok ? 'expected a click event' : parsed.error] });
      return send(res, 400, { status: 'invalid' }, cors(req));
    }
    if (!markets.has(event.market)) {
      store.record('rejected', { received_at: Date.now(), path: '/click', status: 404, reason: 'unknown_market', market: event.market });
      return send(res, 404, { status: 'unknown_market' }, cors(req));
    }
    const eventId = typeof event.event_id == 'string' ? event.event_id : null;
    if (!(eventId && store.clicks.some((c) => c.event_id == eventId))) {
      const tokens = stringEntries(event.tokens);
      const found = referralOf(event.market, tokens);
      store.record('clicks', {
        received_at: Date.now(),
        market: event.market,
        event_id: eventId,
        tokens,
        captured_at: typeof event.captured_at == 'number' ? event.captured_at : undefined,
        page: typeof event.page == 'string' ? event.page : undefined,
        referrer: found.referrer || null,
        voucher_code: found.voucher_code || null,
        note: found.note || null,
        origin: req.headers.origin || null,
        cookies: cookieNames(req),
      });
    }
    return send(res, 204, '', cors(req));
  }

  // ---- Test control, state ---------------------------------------------------------------

  async function control({ req, res }) {
    const body = await readJson(req);
    const value = body.ok ? body.value : null;
    if (!value || typeof value != 'object' || !('track' in value))
      return send(res, 400, { status: 'invalid', errors: ['expected { track: [500, {status: 429, retryAfter: 2}, "drop", …] } or { track: "down" } or { track: null }'] });
    const answers = value.track;
    const isAnswer = (s) => s === 'drop' || Number.isInteger(s) || (s && typeof s == 'object' && Number.isInteger(s.status));
    if (answers === 'down') {
      down = true;
      script = [];
    } else if (answers === null || answers === 'up') {
      down = false;
      script = [];
    } else if (Array.isArray(answers) && answers.every(isAnswer)) {
      down = false;
      script = answers.slice();
    } else return send(res, 400, { status: 'invalid', errors: [`"track" expected an array of statuses, {status, retryAfter}, "drop"; or "down"; received ${shown(answers)}`] });
    return send(res, 200, { status: 'ok', down, pending: script.length });
  }

  /** POST /api/reset[?then=/path]: forgets everything; `then` redirects, on this origin only. */
  function resetApi({ res, url }) {
    reset();
    const then = url.searchParams.get('then');
    if (then === null) return send(res, 200, { status: 'reset' });
    const target = sameOriginPath(then);
    if (!target) return send(res, 400, { status: 'invalid', errors: [`"then" expected a path on this platform, like "/dashboard", received ${shown(then)}`] });
    return redirect(res, 303, target);
  }

  function reset() {
    store.clear();
    api.reset();
    script = [];
    down = false;
  }

  function snapshot(marketId) {
    const lists = store.snapshot(marketId || undefined);
    return {
      version: lists.version,
      merchant_url: landing || null,
      control: { down, pending: script.length },
      ...lists,
      referrers: lists.referrers.map((r) => ({ ...r, share_path: '/r/' + r.code })),
    };
  }

  const boundPort = await listen(httpServer, port, host);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl == '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${boundPort}`,
    port: boundPort,
    close: () => close(httpServer),
    state: (marketId) => snapshot(marketId),
    reset,
    /** Signs someone up as a referrer (test seeding); the share link is `<market domain>/r/<code>`. */
    createReferrer({ market = 'demo', name, email }) {
      if (!markets.has(market)) throw new Error(`createReferrer: "market" expected one of ${[...markets.keys()].join(', ')}, received ${shown(market)}`);
      const referrer = findOrCreateReferrer(market, { name, email });
      return { code: referrer.code, share_path: '/r/' + referrer.code };
    },
    setMerchantUrl(url, marketId) {
      checkMerchantUrl(url, 'url');
      if (marketId === undefined) landing = url;
      else if (markets.has(marketId)) markets.get(marketId).merchantUrl = url;
      else throw new Error(`setMerchantUrl: "market" expected one of ${[...markets.keys()].join(', ')}, received ${shown(marketId)}`);
    },
  };
}

// ---- Helpers --------------------------------------------------------------------------------

const isReferralMetadata = (value) =>
  !!value && typeof value == 'object' && typeof value.email == 'string' && ('first_name' in value || 'voucher_code' in value || 'referral_count' in value);

const who = (r) => ({ code: r.code, name: r.name, email: r.email });

/** A share-link code, like referme.to/abc123o. */
const newCode = () => randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');

/** An object's string-valued entries only (click tokens). */
function stringEntries(value) {
  const out = {};
  if (value && typeof value == 'object') for (const [key, entry] of Object.entries(value)) if (typeof entry == 'string') out[key] = entry;
  return out;
}

/** Appends name=value (already URL-escaped) to a URL, keeping its fragment. */
function withParam(url, name, escaped) {
  const hashAt = url.indexOf('#');
  const head = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  return head + (head.includes('?') ? '&' : '?') + name + '=' + escaped + hash;
}
