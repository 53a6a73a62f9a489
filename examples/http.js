// node:http helpers shared by the example servers (the dev platform and the example merchant):
// a route table, responses (JSON, HTML, redirects, static files), body readers and CORS.
// Plain node:http on purpose: the platform needs socket-level faults and answers any Host name.
import http from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Largest request body read, in bytes; a longer body is reported as `tooLarge`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('node:http').Server} Server */

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

// ---- Routing ------------------------------------------------------------------------------

/**
 * A route table: `[['GET /iaf/:campaign', handler], ['POST /track', handler], …]`. A `:name`
 * segment matches one decoded path segment (in `ctx.params`), a final `*name` the rest (joined
 * with '/'). GET routes answer HEAD too. The handler gets `{ req, res, url, params }`.
 * Returns `match(req, url)`: `{ handler, params }`, `{ allowed: [methods] }` when the path
 * exists with other methods, or null.
 * @param {import('./http').Route[]} routes
 */
export function createRouter(routes) {
  const table = routes.map(([spec, handler]) => {
    const [method, pattern] = spec.split(' ');
    return { method, segments: pattern.split('/').filter(Boolean), handler };
  });
  /** @param {string} method @param {string} pathname */
  return function match(method, pathname) {
    const parts = pathname.split('/').filter(Boolean).map(safeDecode);
    /** @type {string[]} */
    const allowed = [];
    for (const route of table) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (route.method === 'GET' && method === 'HEAD')) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length ? { allowed } : null;
  };
}

/** @param {string[]} segments @param {string[]} parts @returns {Record<string, string> | null} */
function matchSegments(segments, parts) {
  /** @type {Record<string, string>} */
  const params = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.startsWith('*')) {
      if (i >= parts.length) return null;
      params[segment.slice(1)] = parts.slice(i).join('/');
      return params;
    }
    if (i >= parts.length) return null;
    if (segment.startsWith(':')) params[segment.slice(1)] = parts[i];
    else if (segment !== parts[i]) return null;
  }
  return segments.length === parts.length ? params : null;
}

/** @param {string} part */
function safeDecode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * An http.Server that runs `handle(req, res)` and turns a thrown error into a 500 (or a dropped
 * connection once headers are out), logged with `name`.
 * @param {string} name
 * @param {(req: IncomingMessage, res: ServerResponse) => unknown} handle
 * @returns {Server}
 */
export function createServer(name, handle) {
  return http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error) => {
        console.error(`[${name}]`, error);
        if (!res.headersSent) send(res, 500, { status: 'error', message: String(error && /** @type {Error} */ (error).message) });
        else res.destroy();
      });
  });
}

/**
 * Listens; resolves with the bound port, rejects with the listen error (EADDRINUSE, …).
 * @param {Server} server @param {number} port @param {string} [host] @returns {Promise<number>}
 */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
    });
  });
}

/**
 * Closes the server and every open connection.
 * @param {Server} server @returns {Promise<void>}
 */
export const close = (server) =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

// ---- Responses ----------------------------------------------------------------------------

/**
 * Answers `body`: a Buffer or string as it is, anything else as JSON. Never cached.
 * @param {ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers]
 */
export function send(res, status, body, headers = {}) {
  const isText = Buffer.isBuffer(body) || typeof body === 'string';
  const type = isText ? {} : { 'Content-Type': 'application/json; charset=utf-8' };
  res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...type, ...headers });
  res.end(status === 204 || res.req?.method === 'HEAD' ? undefined : isText ? /** @type {Buffer | string} */ (body) : JSON.stringify(body));
}

/**
 * Answers an HTML page (a string or the result of the `html` template).
 * @param {ServerResponse} res @param {number} status @param {unknown} page @param {Record<string, string>} [headers]
 */
export function sendHtml(res, status, page, headers = {}) {
  send(res, status, String(page), { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': 'strict-origin-when-cross-origin', ...headers });
}

/**
 * `value` as a path on this origin ('/dashboard?x#y'), or null when it is not one: absolute URLs,
 * protocol-relative `//host` and the `/\host` that browsers read as `//host` are all refused.
 * @param {unknown} value
 * @returns {string | null}
 */
export function sameOriginPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/')) return null;
  const base = 'http://same-origin.invalid';
  let url;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return url.pathname + url.search + url.hash;
}

/**
 * Redirects. `location` is used as given: callers pass their own URLs or `sameOriginPath()`.
 * @param {ServerResponse} res @param {number} status @param {string} location
 */
export function redirect(res, status, location) {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end();
}

/**
 * Serves the file `name` from `dir`, refusing paths that leave it: 404 with `missingHint` in
 * the message when it is not there. Open to every origin (a CDN's headers).
 * @param {IncomingMessage} req @param {ServerResponse} res @param {string} dir @param {string} name @param {string} [missingHint]
 * @returns {Promise<void>}
 */
export async function serveFile(req, res, dir, name, missingHint = '') {
  const file = path.resolve(dir, name);
  if (!file.startsWith(path.resolve(dir) + path.sep)) return send(res, 404, { status: 'not_found' });
  let data;
  try {
    data = await fs.readFile(file);
  } catch {
    return send(res, 404, { status: 'not_found', message: `no ${name}${missingHint}` });
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}

// ---- CORS ---------------------------------------------------------------------------------

/**
 * CORS headers that echo the request's Origin, with credentials (the beacon endpoints).
 * @param {IncomingMessage} req @returns {Record<string, string>}
 */
export function cors(req) {
  /** @type {Record<string, string>} */
  const headers = { Vary: 'Origin' };
  if (req.headers.origin) {
    headers['Access-Control-Allow-Origin'] = req.headers.origin;
    headers['Access-Control-Allow-Credentials'] = 'true';
    // Without this, a cross-origin page cannot read Retry-After, and retries too early.
    headers['Access-Control-Expose-Headers'] = 'Retry-After';
  }
  return headers;
}

/**
 * Answers a CORS preflight for a POST endpoint.
 * @param {IncomingMessage} req @param {ServerResponse} res
 */
export function preflight(req, res) {
  res.writeHead(204, {
    ...cors(req),
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

// ---- Request bodies -----------------------------------------------------------------------

/**
 * Reads the body as text: `{ text, tooLarge }`; past `limit` bytes the rest is discarded.
 * @param {IncomingMessage} req @param {number} [limit] @returns {Promise<{ text: string, tooLarge: boolean }>}
 */
export function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    req.on('error', reject);
  });
}

/**
 * `{ ok: true, value }` or `{ ok: false, error }` naming what is wrong with the text.
 * @param {string} text @returns {{ ok: true, value: unknown } | { ok: false, error: string }}
 */
export function parseJson(text) {
  if (!text) return { ok: false, error: 'the body is empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `the body is not JSON (${/** @type {Error} */ (error).message})` };
  }
}

/**
 * Reads and parses a JSON body: `{ ok, value }` or `{ ok: false, error }`.
 * @param {IncomingMessage} req @param {number} [limit] @returns {Promise<{ ok: true, value: unknown } | { ok: false, error: string }>}
 */
export async function readJson(req, limit = MAX_BODY_BYTES) {
  const body = await readBody(req, limit);
  if (body.tooLarge) return { ok: false, error: `the body is larger than ${limit} bytes` };
  return parseJson(body.text);
}

/**
 * Reads an application/x-www-form-urlencoded body: `{ form, tooLarge }`.
 * @param {IncomingMessage} req @param {number} [limit] @returns {Promise<{ form: URLSearchParams, tooLarge: boolean }>}
 */
export async function readForm(req, limit = MAX_BODY_BYTES) {
  const body = await readBody(req, limit);
  return { form: new URLSearchParams(body.tooLarge ? '' : body.text), tooLarge: body.tooLarge };
}

/**
 * The names of the request's cookies (never their values).
 * @param {IncomingMessage} req @returns {string[]}
 */
export function cookieNames(req) {
  return (req.headers.cookie || '')
    .split(';')
    .map((pair) => pair.split('=')[0].trim())
    .filter(Boolean);
}
