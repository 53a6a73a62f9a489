// The dev platform: our local stand-in for Buyapowa's servers (brief §9, docs/protocol.md).
// It serves the campaign iframe, receives conversions and click beacons, verifies signatures,
// redirects share links with a real bp_e, serves the built SDK like a CDN, and shows a
// dashboard of what arrived. Plain node:http; answers to any Host name.
import http from 'node:http';
import { readFileSync, promises as fs } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { campaignPage, dashboardPage, errorPage, neverReadyPage, ogPage, refusedPage } from './pages.js';
import { createApi } from './api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');

// The server helpers come from the build, as a merchant's server would import them.
let server;
try {
  server = await import('../../dist/server.js');
} catch (error) {
  throw new Error(`examples/platform needs the built SDK (dist/server.js): run \`npm run build\` first. (${error.message})`);
}
const { verify, encryptBpE, decryptBpE } = server;

const DEFAULT_MARKETS = JSON.parse(readFileSync(path.join(here, 'markets.json'), 'utf8'));
const TEST_SLUGS = new Set(['never-ready', 'refused']);
const MAX_BODY = 64 * 1024;
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};
const CAMPAIGN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors http: https:";
const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
// The ESM build's bare imports, for import maps (the SPA example).
const VENDOR = { '/vendor/js-cookie.mjs': 'js-cookie/dist/js.cookie.mjs', '/vendor/tslib.mjs': 'tslib/tslib.es6.mjs' };
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const OG_IMAGE = solidPng(1200, 630, [0x2b, 0x4c, 0xe0]);

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
export async function createPlatform({ port = 0, host = '127.0.0.1', merchantUrl, markets = DEFAULT_MARKETS, verbose = false } = {}) {
  markets = structuredClone(markets);
  let landing = merchantUrl || '';
  let store = emptyStore();
  // Scripted answers for POST /track (see POST /__control).
  let script = [];
  let down = false;

  const httpServer = http.createServer((req, res) => {
    const started = Date.now();
    if (verbose) res.on('finish', () => console.log(`${req.method} ${req.headers.host || ''}${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    handle(req, res).catch((error) => {
      console.error('[platform]', error);
      if (!res.headersSent) send(res, 500, { status: 'error', message: String(error && error.message) });
      else res.destroy();
    });
  });

  /** The platform's base URL as the client sees it (any Host name). */
  const baseOf = (req) =>
    `${req.headers['x-forwarded-proto'] || 'http'}://${req.headers['x-forwarded-host'] || req.headers.host || `${host}:${boundPort}`}`;
  const changed = () => store.version++;
  // The guide's server APIs (examples/platform/api.js).
  const api = createApi({ markets, store: () => store, changed, findOrCreateReferrer, baseOf });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://platform.invalid');
    const parts = url.pathname.split('/').filter(Boolean).map(safeDecode);
    const method = req.method;
    if (api.handles(url.pathname)) return api.handle(req, res, url);

    if (url.pathname == '/track' || url.pathname == '/click') {
      if (method == 'OPTIONS') return preflight(req, res);
      if (method != 'POST') return send(res, 405, { status: 'method_not_allowed' }, cors(req));
      return url.pathname == '/track' ? track(req, res) : click(req, res);
    }
    if (url.pathname == '/track.gif' && (method == 'GET' || method == 'HEAD')) return pixel(req, res, url);

    if (parts[0] == 'iaf' && parts[1] && method == 'GET' && parts.length == 2) return campaign(req, res, parts[1], url);
    if (parts[0] == 'iaf' && parts[1] && parts[2] == 'og' && method == 'GET' && parts.length == 3) return og(req, res, parts[1], url);
    if (parts[0] == 'iaf' && parts[1] && (parts[2] == 'session' || parts[2] == 'signup') && method == 'POST' && parts.length == 3)
      return login(req, res, parts[1], parts[2], url);
    if (parts[0] == 'r' && parts[1] && parts.length == 2 && method == 'GET') return shareLink(req, res, parts[1]);

    if (url.pathname == '/api/referrers' && method == 'POST') return createReferrerApi(req, res);
    if (url.pathname == '/api/state' && method == 'GET') return send(res, 200, snapshot(url.searchParams.get('market')));
    if (url.pathname == '/api/version' && method == 'GET') return send(res, 200, { version: store.version });
    if (url.pathname == '/api/reset' && method == 'POST') {
      reset();
      const then = url.searchParams.get('then');
      if (then && then.startsWith('/') && !then.startsWith('//')) return redirect(res, 303, then);
      return send(res, 200, { status: 'reset' });
    }
    if (url.pathname == '/__control' && method == 'POST') return control(req, res);

    if ((url.pathname == '/' || url.pathname == '/dashboard') && (method == 'GET' || method == 'HEAD'))
      return sendHtml(res, 200, dashboardPage({ state: store, markets, merchantUrl: landing, base: baseOf(req), apiCalls: api.calls() }), { 'Content-Security-Policy': DASHBOARD_CSP });

    if (method == 'GET' || method == 'HEAD') {
      if (url.pathname == '/embedding.min.js') return serveFile(req, res, dist, 'embedding.min.js');
      if (parts[0] == 'sdk' && parts.length > 1) return serveFile(req, res, dist, parts.slice(1).join('/'));
      if (VENDOR[url.pathname]) return serveFile(req, res, path.join(root, 'node_modules', path.dirname(VENDOR[url.pathname])), path.basename(VENDOR[url.pathname]));
      if (url.pathname == '/static/og.png') return send(res, 200, OG_IMAGE, { 'Content-Type': 'image/png' });
      if (parts[0] == 'static' && parts.length == 2) return serveFile(req, res, path.join(here, 'static'), parts[1]);
      if (url.pathname == '/favicon.ico') return send(res, 204, '');
    }
    return send(res, 404, { status: 'not_found', path: url.pathname });
  }

  // ---- The campaign iframe (protocol §1) -------------------------------------------------

  function campaign(req, res, slug, url) {
    const q = url.searchParams;
    if (slug == 'never-ready') return sendHtml(res, 200, neverReadyPage(), { 'Content-Security-Policy': CAMPAIGN_CSP });
    if (slug == 'refused')
      return sendHtml(res, 200, refusedPage(), { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'none'; style-src 'self'; frame-ancestors 'none'" });
    const marketId = q.get('market') || '';
    const market = markets[marketId];
    const headers = { 'Content-Security-Policy': CAMPAIGN_CSP };
    if (!market)
      return sendHtml(res, 404, errorPage({ code: 'market_not_found', message: `There is no market "${marketId}" on this platform.` }), headers);
    const details = market.campaigns[slug];
    if (!details)
      return sendHtml(res, 404, errorPage({ code: 'campaign_not_found', message: `Market "${marketId}" has no campaign "${slug}".` }), headers);

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
        else if (value && typeof value == 'object' && value.email) signup = value;
        else bpENote = 'decrypted, but holds neither referral metadata nor sign-up details';
      } catch (error) {
        bpENote = 'does not decrypt with this market\'s auth token';
      }
    }
    const html = campaignPage({
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
    return sendHtml(res, 200, html, headers);
  }

  function og(req, res, slug, url) {
    const marketId = url.searchParams.get('market');
    const entry = marketId ? markets[marketId] && [marketId, markets[marketId]] : Object.entries(markets).find(([, m]) => m.campaigns[slug]);
    const details = entry && entry[1].campaigns[slug];
    if (!details) return sendHtml(res, 404, '<!doctype html><title>Not found</title><p>No such campaign.</p>');
    const base = baseOf(req);
    return sendHtml(res, 200, ogPage({ campaign: details, market: entry[1], url: `${base}/iaf/${encodeURIComponent(slug)}/og`, image: `${base}/static/og.png` }));
  }

  /** POST /iaf/:campaign/session (seamless login, protocol §1.3) and /signup (the form). */
  async function login(req, res, slug, kind, url) {
    const marketId = url.searchParams.get('market') || '';
    const market = markets[marketId];
    if (!market) return send(res, 404, { status: 'unknown_market' });
    if (!market.campaigns[slug]) return send(res, 404, { status: 'unknown_campaign' });
    const body = await readJson(req);
    if (!body.ok) return send(res, 400, { status: 'invalid', errors: [body.error] });
    const fields = body.value && typeof body.value == 'object' ? body.value : {};
    const errors = [];
    if (typeof fields.name != 'string' || !fields.name.trim()) errors.push(`"name" expected the person's full name, received ${shown(fields.name)}`);
    if (typeof fields.email != 'string' || !/^[^\s@]+@[^\s@]+$/.test(fields.email.trim()))
      errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
    const note = (status, reason) => {
      store.logins.push({ at: Date.now(), market: marketId, campaign: slug, kind, email: typeof fields.email == 'string' ? fields.email : '', status, reason });
      changed();
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
      if (market.requireSignature) {
        note('invalid_signature', 'this market requires signed seamless logins');
        return send(res, 401, { status: 'invalid_signature', reason: 'this market requires signed seamless logins' });
      }
      note('prefill', 'unsigned: the form is pre-filled, nobody is signed in');
      return send(res, 200, prefill);
    }
    if (!verify(fields, market.secret)) {
      note('invalid_signature', 'the signature does not match the signed fields and the market secret');
      return send(res, 401, { status: 'invalid_signature', reason: 'the signature does not match the signed fields and the market secret' });
    }
    const signedKeys = String(fields.signed_keys).split(',').map((k) => k.trim());
    if (!signedKeys.includes('name') || !signedKeys.includes('email')) {
      note('invalid_signature', 'signed_keys must include name and email');
      return send(res, 401, { status: 'invalid_signature', reason: 'signed_keys must include name and email' });
    }
    if (String(fields.auto) != 'true') {
      note('prefill', 'auto is not true: the form is pre-filled');
      return send(res, 200, prefill);
    }
    note('signed_in');
    return send(res, 200, signedIn());
  }

  // ---- Referrers, share links, vouchers (protocol §3) ----------------------------------

  function findOrCreateReferrer(marketId, { name, email, marketing_opt_in, client_data }) {
    const key = marketId + '\n' + email.trim().toLowerCase();
    let referrer = store.referrersByEmail.get(key);
    if (!referrer) {
      const words = name.trim().split(/\s+/);
      referrer = {
        code: newCode(),
        market: marketId,
        name: name.trim(),
        first_name: words.length > 1 ? words.slice(0, -1).join(' ') : words[0],
        last_name: words.length > 1 ? words[words.length - 1] : '',
        email: email.trim(),
        marketing_opt_in: String(marketing_opt_in) == 'true',
        client_data: client_data && typeof client_data == 'object' ? client_data : undefined,
        created_at: Date.now(),
        referral_count: 0,
        vouchers: [],
      };
      store.referrers.push(referrer);
      store.referrersByEmail.set(key, referrer);
      store.referrersByCode.set(referrer.code, referrer);
      changed();
    }
    return referrer;
  }

  async function createReferrerApi(req, res) {
    const body = await readJson(req);
    const fields = body.ok && body.value && typeof body.value == 'object' ? body.value : {};
    const errors = [];
    if (!markets[fields.market]) errors.push(`"market" expected one of ${Object.keys(markets).join(', ')}, received ${shown(fields.market)}`);
    if (typeof fields.name != 'string' || !fields.name.trim()) errors.push(`"name" expected a full name, received ${shown(fields.name)}`);
    if (typeof fields.email != 'string' || !fields.email.includes('@')) errors.push(`"email" expected an email address, received ${shown(fields.email)}`);
    if (!body.ok) errors.unshift(body.error);
    if (errors.length) return send(res, 400, { status: 'invalid', errors });
    const referrer = findOrCreateReferrer(fields.market, fields);
    return send(res, 200, { code: referrer.code, share_url: `${baseOf(req)}/r/${referrer.code}`, name: referrer.name, email: referrer.email });
  }

  /** GET /r/:code: a fresh friend voucher, then 302 to the merchant's landing with bp_e. */
  function shareLink(req, res, code) {
    const referrer = store.referrersByCode.get(code);
    if (!referrer) {
      store.visits.push({ at: Date.now(), code, referrer: null, voucher_code: null, location: null });
      changed();
      return sendHtml(res, 404, '<!doctype html><title>Unknown link</title><p>This share link does not exist (any more).</p>');
    }
    const market = markets[referrer.market];
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
    store.visits.push({ at: Date.now(), code, market: referrer.market, referrer: who(referrer), voucher_code: voucher, location });
    changed();
    return redirect(res, 302, location);
  }

  /** Who a bp_e points at: the decrypted metadata, and the referrer on file when known. */
  function referralOf(marketId, tokens) {
    const market = markets[marketId];
    const bpE = tokens && typeof tokens.bp_e == 'string' ? tokens.bp_e : '';
    if (!bpE || !market) return { note: bpE ? '' : 'no bp_e token' };
    let metadata;
    try {
      metadata = decryptBpE(bpE, market.authToken);
    } catch (error) {
      return { note: 'bp_e does not decrypt with this market\'s auth token' };
    }
    if (!isReferralMetadata(metadata)) return { note: 'bp_e holds no referral metadata' };
    const known = store.referrersByEmail.get(marketId + '\n' + metadata.email.toLowerCase());
    const referrer = known
      ? who(known)
      : { email: metadata.email, name: [metadata.first_name, metadata.last_name].filter(Boolean).join(' '), code: null };
    return { referrer, known, voucher_code: metadata.voucher_code || null };
  }

  // ---- Conversions (protocol §2) ---------------------------------------------------------

  async function track(req, res) {
    const body = await readBody(req);
    const parsed = parseJson(body.text);
    const event = parsed.ok && parsed.value && typeof parsed.value == 'object' ? parsed.value : null;
    const delivery = { at: Date.now(), event_id: event && event.event_id, attempt: event && event.attempt, transport: event && event.transport, outcome: '' };
    store.deliveries.push(delivery);
    changed();

    // Test control: scripted answers before normal handling.
    const next = down ? 'drop' : script.shift();
    if (next !== undefined) {
      if (next == 'drop') {
        delivery.outcome = down ? 'down' : 'dropped';
        req.socket.destroy();
        return;
      }
      const spec = typeof next == 'number' ? { status: next } : next;
      delivery.outcome = 'scripted ' + spec.status;
      const headers = cors(req);
      if (spec.retryAfter != null) headers['Retry-After'] = String(spec.retryAfter);
      return send(res, spec.status, spec.body ?? { status: 'scripted', code: spec.status }, headers);
    }

    if (body.tooLarge) return reject(req, res, delivery, 400, 'too_large', { errors: [`the body is larger than ${MAX_BODY} bytes`] });
    if (!parsed.ok) return reject(req, res, delivery, 400, 'malformed', { errors: [parsed.error] });
    const errors = validateEvent(event);
    if (errors.length) return reject(req, res, delivery, 400, 'invalid', { errors, fields: event && event.conversion, market: event && event.market });
    return accept(req, res, delivery, {
      market: event.market,
      fields: event.conversion,
      event_id: event.event_id,
      transport: event.transport || 'fetch',
      attempt: event.attempt,
      sdk: event.sdk,
      page: event.page,
      created_at: event.created_at,
      sent_at: event.sent_at,
      referral: event.referral,
    });
  }

  /** GET /track.gif: the <noscript> pixel. Always a 1×1 GIF, whatever happened. */
  async function pixel(req, res, url) {
    const q = url.searchParams;
    const fields = {};
    for (const key of new Set(q.keys())) {
      if (key == 'v' || key == 'market' || key == 'event_id') continue;
      const values = q.getAll(key);
      const name = key.replace(/\[\]$/, '');
      // voucher_codes: repeated (voucher_codes=A&voucher_codes=B) or comma-separated.
      fields[name] = name == 'voucher_codes' ? values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) : values[values.length - 1];
    }
    const delivery = { at: Date.now(), event_id: q.get('event_id'), attempt: 1, transport: 'pixel', outcome: '' };
    store.deliveries.push(delivery);
    const sink = { headersSent: false, statusCode: 0, setHeader() {}, writeHead() {}, end() {} };
    const errors = validateEvent({ v: Number(q.get('v')), type: 'conversion', event_id: q.get('event_id') || 'pixel', market: q.get('market'), conversion: fields });
    if (errors.length) reject(req, sink, delivery, 400, 'invalid', { errors, fields, market: q.get('market') });
    else accept(req, sink, delivery, { market: q.get('market'), fields, event_id: q.get('event_id') || null, transport: 'pixel', attempt: 1 });
    changed();
    res.writeHead(200, { 'Content-Type': 'image/gif', 'Content-Length': GIF.length, 'Cache-Control': 'no-store', ...cors(req) });
    res.end(req.method == 'HEAD' ? undefined : GIF);
  }

  function validateEvent(event) {
    if (!event || typeof event != 'object' || Array.isArray(event)) return ['the body expected a JSON object'];
    const errors = [];
    if (event.v !== 1) errors.push(`"v" expected 1, received ${shown(event.v)}`);
    if (event.type !== 'conversion') errors.push(`"type" expected "conversion", received ${shown(event.type)}`);
    if (typeof event.event_id != 'string' || !event.event_id) errors.push(`"event_id" expected a string, received ${shown(event.event_id)}`);
    if (typeof event.market != 'string' || !event.market) errors.push(`"market" expected your market id, received ${shown(event.market)}`);
    const c = event.conversion;
    if (!c || typeof c != 'object' || Array.isArray(c)) errors.push(`"conversion" expected an object, received ${shown(c)}`);
    else {
      if (typeof c.order_number != 'string' || !c.order_number) errors.push(`"conversion.order_number" expected a string, received ${shown(c.order_number)}`);
      if (typeof c.customer_email != 'string' || !c.customer_email) errors.push(`"conversion.customer_email" expected a string, received ${shown(c.customer_email)}`);
      if (c.voucher_codes !== undefined && !Array.isArray(c.voucher_codes))
        errors.push(`"conversion.voucher_codes" expected an array, received ${shown(c.voucher_codes)}`);
    }
    return errors;
  }

  /** Signature, dedupe, attribution, then 201. `res` may be a sink (the pixel answers a GIF). */
  function accept(req, res, delivery, c) {
    const market = markets[c.market];
    if (!market) return reject(req, res, delivery, 404, 'unknown_market', { market: c.market, fields: c.fields, body: { status: 'unknown_market' } });
    const hasSignature = c.fields.signature != null && c.fields.signature !== '';
    const signature = hasSignature ? (verify(c.fields, market.secret) ? 'valid' : 'invalid') : 'absent';
    if (signature == 'invalid')
      return reject(req, res, delivery, 401, 'invalid_signature', { market: c.market, fields: c.fields, signature, body: { status: 'invalid_signature' } });
    if (signature == 'absent' && market.requireSignature)
      return reject(req, res, delivery, 422, 'signature_required', { market: c.market, fields: c.fields, signature, body: { status: 'signature_required' } });

    const orderKey = c.market + '\n' + c.fields.order_number;
    const reason = c.event_id && store.byEvent.has(c.event_id) ? 'event_id' : store.byOrder.has(orderKey) ? 'order_number' : null;
    if (reason) {
      const original = store.byEvent.get(c.event_id) || store.byOrder.get(orderKey);
      store.duplicates.push({
        received_at: Date.now(),
        market: c.market,
        order_number: c.fields.order_number,
        event_id: c.event_id,
        reason,
        transport: c.transport,
        attempt: c.attempt,
        conversion_id: original.id,
        fields: c.fields,
      });
      delivery.outcome = 'duplicate ' + reason;
      changed();
      return send(res, 200, { status: 'duplicate', reason }, cors(req));
    }

    const warnings = [];
    if (signature == 'valid') {
      const keys = String(c.fields.signed_keys).split(',').map((k) => k.trim());
      for (const key of ['order_number', 'customer_email']) if (!keys.includes(key)) warnings.push(`signed_keys does not include ${key}`);
      if (c.fields.reward_category !== undefined && !keys.includes('reward_category')) warnings.push('signed_keys does not include reward_category');
    }
    const conversion = {
      id: randomUUID(),
      market: c.market,
      event_id: c.event_id,
      fields: c.fields,
      signature,
      warnings,
      attribution: attribute(c),
      transport: c.transport,
      attempt: c.attempt ?? 1,
      sdk: c.sdk,
      page: c.page,
      origin: req.headers.origin || null,
      cookies: cookieNames(req),
      referral: c.referral || null,
      created_at: c.created_at,
      sent_at: c.sent_at,
      received_at: Date.now(),
    };
    store.conversions.push(conversion);
    if (c.event_id) store.byEvent.set(c.event_id, conversion);
    store.byOrder.set(orderKey, conversion);
    delivery.outcome = 'created';
    changed();
    return send(res, 201, { status: 'created', conversion_id: conversion.id }, cors(req));
  }

  /** Credits a referrer: the landing's bp_e first, then a voucher code issued by a share link. */
  function attribute(c) {
    const email = String(c.fields.customer_email || '').toLowerCase();
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
    const tokens = c.referral && c.referral.tokens;
    if (tokens && tokens.bp_e) {
      const found = referralOf(c.market, tokens);
      if (found.referrer) return credit({ referrer: found.referrer, via: 'landing', voucher_code: found.voucher_code }, found.known);
      notes.push(found.note);
    }
    const codes = [].concat(c.fields.voucher_code || [], Array.isArray(c.fields.voucher_codes) ? c.fields.voucher_codes : []);
    for (const code of codes) {
      const voucher = store.vouchers.get(String(code).trim().toUpperCase());
      if (voucher && voucher.market == c.market) {
        const referrer = store.referrersByCode.get(voucher.referrer);
        return credit({ referrer: who(referrer), via: 'voucher_code', voucher_code: String(code).trim().toUpperCase() }, referrer);
      }
    }
    if (codes.length) notes.push(`no share link issued ${codes.join(', ')}`);
    return { referrer: null, via: null, note: notes.filter(Boolean).join('; ') || 'no referral token and no known voucher code' };
  }

  function reject(req, res, delivery, status, reason, { errors, fields, market, signature, body } = {}) {
    store.rejected.push({ received_at: Date.now(), path: delivery.transport == 'pixel' ? '/track.gif' : '/track', status, reason, errors, market, fields, signature, event_id: delivery.event_id });
    delivery.outcome = 'rejected ' + status;
    changed();
    return send(res, status, body || { status: reason == 'malformed' || reason == 'too_large' ? 'invalid' : reason, errors }, cors(req));
  }

  // ---- Click beacons (protocol §3.3) -----------------------------------------------------

  async function click(req, res) {
    const body = await readBody(req);
    const parsed = parseJson(body.text);
    const event = parsed.ok ? parsed.value : null;
    if (!event || typeof event != 'object' || event.type != 'click' || typeof event.market != 'string') {
      store.rejected.push({ received_at: Date.now(), path: '/click', status: 400, reason: 'invalid', errors: [parsed.ok ? 'expected a click event' : parsed.error] });
      changed();
      return send(res, 400, { status: 'invalid' }, cors(req));
    }
    if (!markets[event.market]) {
      store.rejected.push({ received_at: Date.now(), path: '/click', status: 404, reason: 'unknown_market', market: event.market });
      changed();
      return send(res, 404, { status: 'unknown_market' }, cors(req));
    }
    if (!(event.event_id && store.clicks.some((c) => c.event_id == event.event_id))) {
      const found = referralOf(event.market, event.tokens);
      store.clicks.push({
        received_at: Date.now(),
        market: event.market,
        event_id: event.event_id,
        tokens: event.tokens || {},
        captured_at: event.captured_at,
        page: event.page,
        referrer: found.referrer || null,
        voucher_code: found.voucher_code || null,
        note: found.note || null,
        origin: req.headers.origin || null,
        cookies: cookieNames(req),
      });
      changed();
    }
    return send(res, 204, '', cors(req));
  }

  // ---- Test control, state ---------------------------------------------------------------

  async function control(req, res) {
    const body = await readJson(req);
    const value = body.ok ? body.value : null;
    if (!value || typeof value != 'object' || !('track' in value))
      return send(res, 400, { status: 'invalid', errors: ['expected { track: [500, {status: 429, retryAfter: 2}, "drop", …] } or { track: "down" } or { track: null }'] });
    const t = value.track;
    if (t === 'down') (down = true), (script = []);
    else if (t === null || t === 'up') (down = false), (script = []);
    else if (Array.isArray(t) && t.every((s) => s === 'drop' || Number.isInteger(s) || (s && typeof s == 'object' && Number.isInteger(s.status)))) {
      down = false;
      script = t.slice();
    } else return send(res, 400, { status: 'invalid', errors: [`"track" expected an array of statuses, {status, retryAfter}, "drop"; or "down"; received ${shown(t)}`] });
    return send(res, 200, { status: 'ok', down, pending: script.length });
  }

  function reset() {
    store = emptyStore();
    api.reset();
    script = [];
    down = false;
  }

  function snapshot(marketId) {
    const only = (list) => (marketId ? list.filter((item) => item.market == marketId) : list);
    return structuredClone({
      version: store.version,
      merchant_url: landing || null,
      control: { down, pending: script.length },
      conversions: only(store.conversions),
      duplicates: only(store.duplicates),
      rejected: only(store.rejected),
      clicks: only(store.clicks),
      visits: only(store.visits),
      referrers: only(store.referrers).map((r) => ({ ...r, share_path: '/r/' + r.code })),
      logins: only(store.logins),
      deliveries: store.deliveries,
    });
  }

  let boundPort = port;
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  boundPort = httpServer.address().port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl == '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${boundPort}`,
    port: boundPort,
    close: () =>
      new Promise((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
    state: (marketId) => snapshot(marketId),
    reset,
    /** Signs someone up as a referrer (test seeding); the share link is `<market domain>/r/<code>`. */
    createReferrer({ market = 'demo', name, email }) {
      if (!markets[market]) throw new Error(`createReferrer: "market" expected one of ${Object.keys(markets).join(', ')}, received ${shown(market)}`);
      const referrer = findOrCreateReferrer(market, { name, email });
      return { code: referrer.code, share_path: '/r/' + referrer.code };
    },
    setMerchantUrl(url, marketId) {
      if (marketId) markets[marketId].merchantUrl = url;
      else landing = url;
    },
  };
}

// ---- Helpers --------------------------------------------------------------------------------

function emptyStore() {
  return {
    version: 0,
    conversions: [],
    duplicates: [],
    rejected: [],
    clicks: [],
    visits: [],
    referrers: [],
    logins: [],
    deliveries: [],
    byEvent: new Map(),
    byOrder: new Map(),
    vouchers: new Map(),
    referrersByEmail: new Map(),
    referrersByCode: new Map(),
  };
}

const isReferralMetadata = (value) =>
  !!value && typeof value == 'object' && typeof value.email == 'string' && ('first_name' in value || 'voucher_code' in value || 'referral_count' in value);

const who = (r) => ({ code: r.code, name: r.name, email: r.email });

/** A share-link code, like referme.to/abc123o. */
const newCode = () => randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');

function safeDecode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A value for an error message, never long. */
function shown(value) {
  if (typeof value == 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (value === undefined || value === null || typeof value != 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Appends name=value (already URL-escaped) to a URL, keeping its fragment. */
function withParam(url, name, escaped) {
  const hashAt = url.indexOf('#');
  const head = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  return head + (head.includes('?') ? '&' : '?') + name + '=' + escaped + hash;
}

function cookieNames(req) {
  const header = req.headers.cookie || '';
  return header
    .split(';')
    .map((pair) => pair.split('=')[0].trim())
    .filter(Boolean);
}

/** CORS of the beacon endpoints (protocol §2.2): echo the Origin, with credentials. */
function cors(req) {
  const headers = { Vary: 'Origin' };
  if (req.headers.origin) {
    headers['Access-Control-Allow-Origin'] = req.headers.origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
    // Without this, a cross-origin page cannot read Retry-After, and retries too early.
    headers['Access-Control-Expose-Headers'] = 'Retry-After';
  }
  return headers;
}

function preflight(req, res) {
  res.writeHead(204, {
    ...cors(req),
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', reject);
  });
}

function parseJson(text) {
  if (!text) return { ok: false, error: 'the body is empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `the body is not JSON (${error.message})` };
  }
}

async function readJson(req) {
  const body = await readBody(req);
  if (body.tooLarge) return { ok: false, error: `the body is larger than ${MAX_BODY} bytes` };
  return parseJson(body.text);
}

function send(res, status, body, headers = {}) {
  const isBuffer = Buffer.isBuffer(body);
  const text = isBuffer || typeof body == 'string' ? body : JSON.stringify(body);
  const type = isBuffer || typeof body == 'string' ? {} : { 'Content-Type': 'application/json; charset=utf-8' };
  res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...type, ...headers });
  res.end(status == 204 ? undefined : text);
}

function sendHtml(res, status, html, headers = {}) {
  send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': 'strict-origin-when-cross-origin', ...headers });
}

function redirect(res, status, location) {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end();
}

/** Serves a file from `dir`, refusing paths that leave it. */
async function serveFile(req, res, dir, name) {
  const file = path.resolve(dir, name);
  if (!file.startsWith(dir + path.sep)) return send(res, 404, { status: 'not_found' });
  let data;
  try {
    data = await fs.readFile(file);
  } catch {
    const hint = dir == dist ? ' (run `npm run build`)' : '';
    return send(res, 404, { status: 'not_found', message: `no ${name}${hint}` });
  }
  const type = TYPES[path.extname(file)] || 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method == 'HEAD' ? undefined : data);
}

/** A solid-colour PNG, for og:image. */
function solidPng(width, height, [r, g, b]) {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
