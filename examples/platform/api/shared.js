// What the API's route modules share: the request context, bodies (JSON for single calls,
// multipart CSV for batches), row problems and the answer helpers.
import { parse } from 'csv-parse/sync';

export const MAX_PAYLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_JSON_BYTES = 64 * 1024;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * One API request as the route modules see it; `fields` and `batch` are set by upload().
 *
 * @typedef {object} ApiContext
 * @property {import('node:http').IncomingMessage} req
 * @property {URL} url
 * @property {string} marketId - The authenticated market.
 * @property {import('../platform').MarketConfig} market
 * @property {{ rows: number | null } & Record<string, unknown>} call - The call as the dashboard lists it.
 * @property {(status: number, body: unknown, headers?: Record<string, string>) => void} answer - Answers and logs the call.
 * @property {import('./control.js').ApiState} state - The API's own state (friends, jobs, script…).
 * @property {() => import('../store.js').Store} store - The platform's store.
 * @property {(market: string, who: { name: string, email: string }) => any} findOrCreateReferrer
 * @property {(req: import('node:http').IncomingMessage) => string} baseOf - The platform's base URL as the client sees it.
 * @property {Record<string, string>} [fields] - The body's other fields (JSON keys, or multipart fields beside the CSV).
 * @property {boolean} [batch] - True for a CSV upload.
 */

/** A CSV row (or a single call's fields) keyed by CSV heading. */
/** @typedef {Record<string, string>} Row */

/** A CSV upload's headings: all of them, and the ones a file must carry. */
/** @typedef {{ columns: string[], required: string[] }} ColumnSpec */

/** A market's campaign slug when it exists (own properties only), else null. */
export function campaignOf(/** @type {ApiContext} */ ctx, /** @type {any} */ slug) {
  return slug && Object.prototype.hasOwnProperty.call(ctx.market.campaigns, slug) ? slug : null;
}

/**
 * Reads a single (JSON `{ [wrapper]: {...} }`) or batch (multipart `csv`) body into rows keyed
 * by CSV heading, then hands them to `handleRows`, which answers.
 *
 * @param {ApiContext} ctx
 * @param {ColumnSpec} spec
 * @param {string} wrapper - The JSON body's key holding the fields (`order`, `user`…).
 * @param {Record<string, string>} keys - JSON key → CSV heading.
 * @param {(ctx: ApiContext, rows: Row[]) => unknown} handleRows
 */
export async function upload(ctx, spec, wrapper, keys, handleRows) {
  const type = String(ctx.req.headers['content-type'] || '');
  if (type.startsWith('multipart/form-data')) {
    const read = await readCsvUpload(ctx, spec);
    if (!read) return;
    ctx.call.rows = read.rows.length;
    return handleRows({ ...ctx, fields: read.fields, batch: true }, read.rows);
  }
  const body = parseJson(await readBuffer(ctx.req, MAX_JSON_BYTES));
  if (!body.ok) return ctx.answer(422, { status: 'invalid', problems: [body.error] });
  /** @type {any} */
  const value = body.value;
  const inner = value && value[wrapper];
  if (!inner || typeof inner !== 'object') return ctx.answer(422, { status: 'invalid', problems: [`Expected a JSON object with "${wrapper}"`] });
  /** @type {Row} */
  const row = {};
  for (const [key, column] of Object.entries(keys)) if (inner[key] !== undefined && inner[key] !== null) row[column] = String(inner[key]);
  for (const [key, value] of Object.entries(inner.client_data || {})) row[`ClientData_${key}`] = String(value);
  ctx.call.rows = 1;
  return handleRows({ ...ctx, fields: body.value, batch: false }, [row]);
}

/**
 * Parses a multipart body's `csv` file; answers (and returns undefined) when it can't be used.
 *
 * @param {ApiContext} ctx
 * @param {ColumnSpec} spec
 * @returns {Promise<{ rows: Row[], fields: Record<string, string> } | undefined>}
 */
export async function readCsvUpload(ctx, spec) {
  const { req, answer } = ctx;
  const declared = Number(req.headers['content-length'] || 0);
  if (declared > MAX_PAYLOAD_BYTES) {
    await drain(req);
    return (answer(422, { status: 'too_large', problems: [`Payload limit: ${declared} bytes is over the ${MAX_PAYLOAD_BYTES}-byte limit`] }), undefined);
  }
  const buffer = await readBuffer(req, MAX_PAYLOAD_BYTES);
  if (!buffer) return (answer(422, { status: 'too_large', problems: [`Payload limit: the body is over the ${MAX_PAYLOAD_BYTES}-byte limit`] }), undefined);
  let form;
  try {
    form = await new Response(/** @type {BodyInit} */ (/** @type {unknown} */ (buffer)), {
      headers: { 'content-type': String(req.headers['content-type']) },
    }).formData();
  } catch (error) {
    return (answer(422, { status: 'invalid', problems: [`The multipart body could not be read: ${/** @type {Error} */ (error).message}`] }), undefined);
  }
  const file = form.get('csv');
  if (!file || typeof file === 'string') return (answer(422, { status: 'invalid', problems: ['Expected a file in the multipart field "csv"'] }), undefined);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const spreadsheet = spreadsheetKind(bytes, file.name || '');
  if (spreadsheet)
    return (answer(422, { status: 'invalid', problems: [`Where a CSV is required, a spreadsheet (${spreadsheet}) was uploaded: save it as CSV`] }), undefined);
  /** @type {Row[]} */
  let rows;
  try {
    rows = parse(Buffer.from(bytes), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
  } catch (error) {
    return (answer(422, { status: 'invalid', problems: [`The CSV could not be parsed: ${/** @type {Error} */ (error).message}`] }), undefined);
  }
  const headings = headingsOf(bytes);
  const missing = spec.required.filter((h) => !headings.includes(h));
  if (missing.length) {
    answer(200, { status: 'not_processed', created: 0, problems: missing.map((h) => `The uploaded CSV is missing a required column: ${h}`) });
    return undefined;
  }
  /** @type {Record<string, string>} */
  const fields = {};
  for (const [name, value] of form.entries()) if (name !== 'csv') fields[name] = String(value);
  return { rows, fields };
}

/**
 * Answers 201 when everything was created, 200 with the problems otherwise.
 *
 * @param {ApiContext} ctx
 * @param {number} created
 * @param {string[]} problems
 * @param {Record<string, unknown>} [extra]
 */
export function finish(ctx, created, problems, extra = {}) {
  const status = problems.length === 0 && created > 0 ? 201 : 200;
  return ctx.answer(status, { status: status === 201 ? 'created' : 'processed', created, problems, ...extra });
}

/** "row N: " in a batch (N counts from 1), nothing for a single call. */
export const where = (/** @type {ApiContext} */ ctx, /** @type {number} */ i) => (ctx.batch ? `row ${i + 1}: ` : '');

/** A referrer as a report or attribution shows them. */
export const who = (/** @type {Record<string, any>} */ r) => ({ code: r.code, name: r.name, email: r.email });

/** A row's cells back under their JSON keys, with ClientData_* columns as client_data. */
export function fieldsOf(/** @type {Row} */ row, /** @type {Record<string, string>} */ keys) {
  /** @type {Record<string, any>} */
  const fields = {};
  for (const [key, column] of Object.entries(keys)) if (row[column] !== undefined && row[column] !== '') fields[key] = row[column];
  const clientData = Object.entries(row).filter(([h]) => h.startsWith('ClientData_'));
  if (clientData.length) fields.client_data = Object.fromEntries(clientData.map(([h, v]) => [h.slice('ClientData_'.length), v]));
  return fields;
}

/** XLSX (a zip), XLS (OLE2) or a spreadsheet file name; undefined for anything else. */
function spreadsheetKind(/** @type {Uint8Array} */ bytes, /** @type {string} */ name) {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'XLSX';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'XLS';
  if (/\.(xlsx?|ods|numbers)$/i.test(name)) return /** @type {string} */ (name.split('.').pop()).toUpperCase();
  return undefined;
}

/** The first record's cells: the file's headings. */
function headingsOf(/** @type {Uint8Array} */ bytes) {
  /** @type {string[][]} */
  const [first = []] = parse(Buffer.from(bytes), { to_line: 1, bom: true, relax_column_count: true });
  return first.map((h) => h.trim());
}

/**
 * The body as a Buffer, or null when it is over `limit` bytes.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer | null>}
 */
export function readBuffer(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads and discards the body (the answer does not need it). */
export const drain = (/** @type {import('node:http').IncomingMessage} */ req) => readBuffer(req, 0).catch(() => null);

/**
 * A JSON body, or the problem with it.
 *
 * @param {Buffer | null} buffer
 * @returns {{ ok: true, value: any } | { ok: false, error: string }}
 */
export function parseJson(buffer) {
  if (!buffer) return { ok: false, error: 'The body is too large or empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(buffer.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `The body is not JSON (${/** @type {Error} */ (error).message})` };
  }
}

/**
 * Answers JSON (an object) or a raw body (a string or Buffer), never cached.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function send(res, status, body, headers = {}) {
  const raw = Buffer.isBuffer(body) || typeof body === 'string';
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(raw ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    ...headers,
  });
  res.end(raw ? /** @type {string | Buffer} */ (body) : JSON.stringify(body));
}
