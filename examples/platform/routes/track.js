// Conversions (protocol §2): POST /track (one event or a batch), the <noscript> pixel, and the
// attribution of a new conversion to a referrer.
import { randomUUID } from 'node:crypto';
import { cookieNames, cors, MAX_BODY_BYTES, parseJson, readBody, send } from '../../http.js';
import { attemptOf, batchError, decide, decideBatch, isBatch, transportOf } from '../decide.js';
import { verify } from '../sdk.js';
import { who } from '../shared.js';
import { referralOf } from './referrers.js';

/** @typedef {import('../shared.js').PlatformContext} PlatformContext */
/** @typedef {import('../../http.js').RouteContext} RouteContext */
/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {{ outcome: string } & Record<string, unknown>} Delivery */
/** @typedef {ReturnType<typeof decide>} Decision */

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * POST /track: a conversion or a batch of them, after any scripted answer (POST /__control).
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export async function track(p, { req, res }) {
  const { store } = p;
  const body = await readBody(req);
  const parsed = parseJson(body.text);
  /** @type {any} */
  const event = parsed.ok && parsed.value && typeof parsed.value === 'object' ? parsed.value : null;
  // A well-formed batch is one delivery per event, as if each had arrived alone.
  /** @type {any[] | null} */
  const batch = isBatch(event) && !batchError(event) ? /** @type {any} */ (event).events : null;
  const deliveries = (batch || [event]).map((item) =>
    store.record('deliveries', {
      at: Date.now(),
      event_id: typeof item?.event_id === 'string' ? item.event_id : null,
      attempt: item && item.attempt !== undefined ? attemptOf(item.attempt) : null,
      transport: item ? transportOf(item.transport) : null,
      ...(batch ? { batch: batch.length } : {}),
      outcome: '',
    }),
  );
  if (scripted(p, req, res, deliveries)) return;

  const [delivery] = deliveries;
  if (body.tooLarge) return rejectUnread(p, req, res, delivery, 'too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (!parsed.ok) return rejectUnread(p, req, res, delivery, 'malformed', parsed.error);
  if (isBatch(event)) return trackBatch(p, req, res, deliveries, event);
  const decision = apply(p, req, delivery, decide(event, worldOf(p, randomUUID())));
  return send(res, decision.status, decision.body, cors(req));
}

/**
 * Test control: answers with the next scripted answer (or drops the connection while "down"),
 * before normal handling, for the whole request. Returns true when it answered.
 *
 * @param {PlatformContext} p
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {Delivery[]} deliveries
 */
function scripted({ control }, req, res, deliveries) {
  const settle = (/** @type {string} */ outcome) => deliveries.forEach((delivery) => (delivery.outcome = outcome));
  const next = control.down ? 'drop' : control.script.shift();
  if (next === undefined) return false;
  if (next === 'drop') {
    settle(control.down ? 'down' : 'dropped');
    req.socket.destroy();
    return true;
  }
  const spec = typeof next === 'number' ? { status: next } : next;
  settle('scripted ' + spec.status);
  const headers = cors(req);
  if (spec.retryAfter != null) headers['Retry-After'] = String(spec.retryAfter);
  send(res, spec.status, spec.body ?? { status: 'scripted', code: spec.status }, headers);
  return true;
}

/**
 * A batch (protocol §2.4): each event decided and recorded in order; one 400 when malformed.
 *
 * @param {PlatformContext} p
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {Delivery[]} deliveries
 * @param {unknown} event
 */
function trackBatch(p, req, res, deliveries, event) {
  const batch = decideBatch(event, worldOf(p, randomUUID));
  if (batch.status !== 200) return rejectUnread(p, req, res, deliveries[0], 'invalid', /** @type {{ errors: string[] }} */ (batch.body).errors[0]);
  batch.decisions.forEach((decision, index) => apply(p, req, deliveries[index], decision));
  return send(res, 200, batch.body, cors(req));
}

/**
 * A body that could not be read as an event (or a batch): 400, recorded with the reason.
 *
 * @param {PlatformContext} p
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {Delivery} delivery
 * @param {string} reason
 * @param {string} error
 */
function rejectUnread({ store }, req, res, delivery, reason, error) {
  store.record('rejected', { received_at: Date.now(), path: '/track', status: 400, reason, errors: [error], event_id: null });
  delivery.outcome = 'rejected 400';
  return send(res, 400, { status: 'invalid', errors: [error] }, cors(req));
}

/**
 * What decide() reads: the markets, the signature check, the store's dedupe, the time.
 *
 * @template Id
 * @param {PlatformContext} p
 * @param {Id} newId - An id (one event) or an id maker (a batch).
 */
function worldOf({ markets, store }, newId) {
  return {
    markets,
    verify,
    duplicateOf: (/** @type {string} */ market, /** @type {string} */ orderNumber, /** @type {string | null} */ eventId) =>
      store.duplicateOf(market, orderNumber, eventId),
    now: Date.now(),
    newId,
  };
}

/**
 * Records what was decided (with attribution for a new conversion).
 *
 * @template {{ status: number, record: { list: string, entry: any } }} D
 * @param {PlatformContext} p
 * @param {IncomingMessage} req
 * @param {Delivery} delivery
 * @param {D} decision
 * @returns {D}
 */
function apply(p, req, delivery, decision) {
  const { list, entry } = decision.record;
  if (list === 'conversions') Object.assign(entry, { attribution: attribute(p, entry), origin: req.headers.origin || null, cookies: cookieNames(req) });
  delivery.outcome = list === 'conversions' ? 'created' : list === 'duplicates' ? 'duplicate ' + entry.reason : 'rejected ' + decision.status;
  p.store.record(/** @type {import('../store.js').ListName} */ (list), entry);
  return decision;
}

/**
 * GET /track.gif: the <noscript> pixel. Always a 1×1 GIF, whatever happened.
 *
 * @param {PlatformContext} p
 * @param {RouteContext} route
 */
export function pixel(p, { req, res, url }) {
  const q = url.searchParams;
  /** @type {Record<string, string | string[]>} */
  const fields = {};
  for (const key of new Set(q.keys())) {
    if (key === 'v' || key === 'market' || key === 'event_id') continue;
    const values = q.getAll(key);
    const name = key.replace(/\[\]$/, '');
    // voucher_codes: repeated (voucher_codes=A&voucher_codes=B) or comma-separated.
    fields[name] =
      name === 'voucher_codes'
        ? values
            .flatMap((v) => v.split(','))
            .map((v) => v.trim())
            .filter(Boolean)
        : values[values.length - 1];
  }
  const delivery = p.store.record('deliveries', { at: Date.now(), event_id: q.get('event_id'), attempt: 1, transport: 'pixel', outcome: '' });
  const event = {
    v: Number(q.get('v')),
    type: 'conversion',
    event_id: q.get('event_id') || undefined,
    market: q.get('market'),
    conversion: fields,
    transport: 'pixel',
    attempt: 1,
  };
  apply(p, req, delivery, decide(event, worldOf(p, randomUUID())));
  res.writeHead(200, { 'Content-Type': 'image/gif', 'Content-Length': GIF.length, 'Cache-Control': 'no-store', ...cors(req) });
  res.end(req.method === 'HEAD' ? undefined : GIF);
}

/**
 * Credits a referrer: the landing's bp_e first, then a voucher code issued by a share link.
 *
 * @param {PlatformContext} p
 * @param {any} conversion - The new conversion record.
 * @returns {import('../platform').Attribution}
 */
function attribute(p, conversion) {
  const { store } = p;
  const { fields, market } = conversion;
  const email = fields.customer_email.toLowerCase();
  /** @type {(attribution: any, referrerRecord: any) => import('../platform').Attribution} */
  const credit = (attribution, referrerRecord) => {
    if (attribution.referrer.email.toLowerCase() === email)
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
    const found = referralOf(p, market, tokens);
    if (found.referrer) return credit({ referrer: found.referrer, via: 'landing', voucher_code: found.voucher_code }, found.known);
    notes.push(found.note);
  }
  const codes = [fields.voucher_code ?? [], fields.voucher_codes ?? []]
    .flat()
    .map((code) => String(code).trim().toUpperCase())
    .filter(Boolean);
  for (const code of codes) {
    const voucher = store.vouchers.get(code);
    if (voucher && voucher.market === market) {
      const referrer = store.referrersByCode.get(voucher.referrer);
      return credit({ referrer: who(/** @type {Record<string, any>} */ (referrer)), via: 'voucher_code', voucher_code: code }, referrer);
    }
  }
  if (codes.length) notes.push(`no share link issued ${codes.join(', ')}`);
  return { referrer: null, via: null, note: notes.filter(Boolean).join('; ') || 'no referral token and no known voucher code' };
}
