// What the platform answers to a conversion (docs/protocol.md §2), as a pure function:
// decide(event, world) → { status, body, record }. It reads the world (markets, earlier
// conversions, the signature check) and changes nothing; the platform applies `record`.

/** The transport when the event names none (or names it with something else than a string). */
export const DEFAULT_TRANSPORT = 'fetch';

/** A received value for an error message, never long, never throwing. */
export function shown(/** @type {unknown} */ value) {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** `object[key]` only when `key` is the object's own (never `__proto__`, `constructor`, …). */
export const own = (/** @type {any} */ object, /** @type {unknown} */ key) =>
  object && typeof key === 'string' && Object.hasOwn(object, key) ? object[key] : undefined;

const isCode = (/** @type {unknown} */ value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
/** @type {(value: unknown) => value is Record<string, any>} */
const isObject = (value) => !!value && typeof value === 'object' && !Array.isArray(value);
const optionalString = (/** @type {unknown} */ value) => (typeof value === 'string' ? value : undefined);
const optionalNumber = (/** @type {unknown} */ value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** `attempt` as a positive integer (1 when absent or anything else). */
export const attemptOf = (/** @type {unknown} */ value) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1);
/** `transport` as a non-empty string (DEFAULT_TRANSPORT otherwise). */
export const transportOf = (/** @type {unknown} */ value) => (typeof value === 'string' && value ? value.slice(0, 40) : DEFAULT_TRANSPORT);

/** The referral an event carries, reduced to string tokens and a capture time, or null. */
function referralOf(/** @type {unknown} */ value) {
  if (!isObject(value) || !isObject(value.tokens)) return null;
  /** @type {Record<string, string>} */
  const tokens = {};
  for (const [key, token] of Object.entries(value.tokens)) if (typeof token === 'string') tokens[key] = token;
  return { tokens, captured_at: optionalNumber(value.captured_at) };
}

/** Every problem with an event, each naming the field, what was expected and what arrived. */
export function validateEvent(/** @type {unknown} */ event) {
  if (!isObject(event)) return ['the body expected a JSON object'];
  const errors = [];
  if (event.v !== 1) errors.push(`"v" expected 1, received ${shown(event.v)}`);
  if (event.type !== 'conversion') errors.push(`"type" expected "conversion", received ${shown(event.type)}`);
  // The <noscript> pixel may come without an event_id (then only order_number dedupes it).
  const needsEventId = event.transport !== 'pixel' || event.event_id != null;
  if (needsEventId && (typeof event.event_id !== 'string' || !event.event_id)) errors.push(`"event_id" expected a string, received ${shown(event.event_id)}`);
  if (typeof event.market !== 'string' || !event.market) errors.push(`"market" expected your market id, received ${shown(event.market)}`);
  const c = event.conversion;
  if (!isObject(c)) errors.push(`"conversion" expected an object, received ${shown(c)}`);
  else {
    if (typeof c.order_number !== 'string' || !c.order_number) errors.push(`"conversion.order_number" expected a string, received ${shown(c.order_number)}`);
    if (typeof c.customer_email !== 'string' || !c.customer_email)
      errors.push(`"conversion.customer_email" expected a string, received ${shown(c.customer_email)}`);
    for (const key of ['signed_keys', 'signature'])
      if (c[key] != null && typeof c[key] !== 'string') errors.push(`"conversion.${key}" expected a string, received ${shown(c[key])}`);
    // A voucher code written as a number is still a code (fixable, so accepted).
    if (c.voucher_code != null && !isCode(c.voucher_code)) errors.push(`"conversion.voucher_code" expected a string, received ${shown(c.voucher_code)}`);
    if (c.voucher_codes !== undefined && !(Array.isArray(c.voucher_codes) && c.voucher_codes.every(isCode)))
      errors.push(
        `"conversion.voucher_codes" expected an array of strings, received ${Array.isArray(c.voucher_codes) ? 'an array holding other values' : shown(c.voucher_codes)}`,
      );
  }
  return errors;
}

/**
 * Decides the answer to one conversion event.
 *
 * @param {any} event - The parsed body of POST /track (or the pixel's query as an event); read once validateEvent() passes.
 * @param {object} world
 * @param {Map<string, {secret: string, requireSignature?: boolean}>} world.markets
 * @param {(fields: object, secret: string) => boolean} world.verify - The signature check.
 * @param {(market: string, orderNumber: string, eventId: string | null) => ({reason: string, original: {id: string}} | null | undefined)} world.duplicateOf
 * @param {number} world.now - The time of receipt.
 * @param {string} world.newId - The id a created conversion gets.
 * @returns {{status: number, body: object, record: {list: 'conversions' | 'duplicates' | 'rejected', entry: Record<string, any>}}}
 *   `record.entry` of a conversion lacks what only the request and the referral store know
 *   (attribution, origin, cookies): the platform adds them.
 */
export function decide(event, { markets, verify, duplicateOf, now, newId }) {
  const transport = transportOf(isObject(event) ? event.transport : undefined);
  const path = transport === 'pixel' ? '/track.gif' : '/track';
  /** @type {(status: number, reason: string, extra: Record<string, any>) => ReturnType<typeof decide>} */
  const reject = (status, reason, extra) => {
    const { body, ...entry } = extra;
    return {
      status,
      body: body || { status: reason === 'invalid' ? 'invalid' : reason, errors: entry.errors },
      record: { list: 'rejected', entry: { received_at: now, path, status, reason, event_id: optionalString(event?.event_id) ?? null, ...entry } },
    };
  };

  const errors = validateEvent(event);
  if (errors.length)
    return reject(400, 'invalid', {
      errors,
      fields: isObject(event) && isObject(event.conversion) ? event.conversion : undefined,
      market: optionalString(event?.market),
    });

  const fields = event.conversion;
  const market = markets.get(event.market);
  if (!market) return reject(404, 'unknown_market', { market: event.market, fields, body: { status: 'unknown_market' } });
  const signature = fields.signature ? (safeVerify(verify, fields, market.secret) ? 'valid' : 'invalid') : 'absent';
  if (signature === 'invalid') return reject(401, 'invalid_signature', { market: event.market, fields, signature, body: { status: 'invalid_signature' } });
  if (signature === 'absent' && market.requireSignature)
    return reject(422, 'signature_required', { market: event.market, fields, signature, body: { status: 'signature_required' } });

  const eventId = optionalString(event.event_id) || null;
  const attempt = event.attempt === undefined ? undefined : attemptOf(event.attempt);
  const duplicate = duplicateOf(event.market, fields.order_number, eventId);
  if (duplicate) {
    return {
      status: 200,
      body: { status: 'duplicate', reason: duplicate.reason },
      record: {
        list: 'duplicates',
        entry: {
          received_at: now,
          market: event.market,
          order_number: fields.order_number,
          event_id: eventId,
          reason: duplicate.reason,
          transport,
          attempt,
          conversion_id: duplicate.original.id,
          fields,
        },
      },
    };
  }

  /** @type {string[]} */
  const warnings = [];
  if (signature === 'valid') {
    const keys = signedKeys(fields.signed_keys);
    for (const key of ['order_number', 'customer_email']) if (!keys.includes(key)) warnings.push(`signed_keys does not include ${key}`);
    if (fields.reward_category !== undefined && !keys.includes('reward_category')) warnings.push('signed_keys does not include reward_category');
  }
  return {
    status: 201,
    body: { status: 'created', conversion_id: newId },
    record: {
      list: 'conversions',
      entry: {
        id: newId,
        market: event.market,
        event_id: eventId,
        fields,
        signature,
        warnings,
        transport,
        attempt: attempt ?? 1,
        sdk: optionalString(event.sdk),
        page: optionalString(event.page),
        referral: referralOf(event.referral),
        created_at: optionalNumber(event.created_at),
        sent_at: optionalNumber(event.sent_at),
        received_at: now,
      },
    },
  };
}

/** `signed_keys` ("order_number, customer_email") as a list of names. */
export const signedKeys = (/** @type {unknown} */ value) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean)
    : [];

/**
 * verify() as a boolean: false where it throws.
 *
 * @param {(fields: object, secret: string) => boolean} verify
 * @param {object} fields
 * @param {string} secret
 */
function safeVerify(verify, fields, secret) {
  try {
    return verify(fields, secret) === true;
  } catch {
    return false;
  }
}

// ---- Batches (docs/protocol.md §2.4) --------------------------------------------------------

/** Most events one batch may carry. */
export const MAX_BATCH_EVENTS = 25;

/** Whether a parsed body of POST /track is a batch (`type: "batch"`), well-formed or not. */
export const isBatch = (/** @type {unknown} */ body) => isObject(body) && body.type === 'batch';

/** What is wrong with a batch's envelope, as one message naming the field; null when nothing is. */
export function batchError(/** @type {Record<string, any>} */ body) {
  if (body.v !== 1) return `"v" expected 1, received ${shown(body.v)}`;
  const events = body.events;
  const expected = `"events" expected a list of 1 to ${MAX_BATCH_EVENTS} conversion events`;
  if (!Array.isArray(events)) return `${expected}, received ${shown(events)}`;
  if (!events.length) return `${expected}, received an empty list`;
  if (events.length > MAX_BATCH_EVENTS) return `${expected}, received ${events.length} events`;
  const at = events.findIndex((event) => !isObject(event));
  return at < 0 ? null : `"events[${at}]" expected a conversion event (a JSON object), received ${shown(events[at])}`;
}

/**
 * Decides the answer to a batch: each event with `decide()`, in order, as if each had arrived
 * alone after the ones before it (so an order repeated within the batch is a duplicate of its
 * first). Changes nothing: the platform records `decisions` in order.
 *
 * @param {any} body - The parsed body of POST /track, with `type: "batch"`; read once batchError() passes.
 * @param {Omit<Parameters<typeof decide>[1], 'newId'> & { newId: () => string }} world - As for decide(), except `newId`: a function giving a fresh id per call.
 * @returns {{status: number, body: object, decisions: Array<ReturnType<typeof decide>>}}
 *   400 `invalid` (no decisions) for a malformed batch; else 200 `{ status: "batch", results }`.
 */
export function decideBatch(body, { newId, duplicateOf, ...world }) {
  const error = isObject(body) ? batchError(body) : 'the body expected a JSON object';
  if (error) return { status: 400, body: { status: 'invalid', errors: [error] }, decisions: [] };
  // The conversions this batch created so far, by the store's two dedupe keys.
  /** @type {Map<string, any>} */
  const byEvent = new Map();
  /** @type {Map<string, any>} */
  const byOrder = new Map();
  const orderKey = (/** @type {string} */ market, /** @type {unknown} */ orderNumber) => market + '\n' + orderNumber;
  /** @type {Parameters<typeof decide>[1]['duplicateOf']} */
  const duplicateInBatchOf = (market, orderNumber, eventId) => {
    if (eventId && byEvent.has(eventId)) return { reason: 'event_id', original: byEvent.get(eventId) };
    const earlier = duplicateOf(market, orderNumber, eventId);
    if (earlier?.reason === 'event_id') return earlier;
    const original = byOrder.get(orderKey(market, orderNumber));
    return original ? { reason: 'order_number', original } : earlier;
  };
  /** @type {ReturnType<typeof decide>[]} */
  const decisions = body.events.map((/** @type {unknown} */ event) => {
    const decision = decide(event, { ...world, duplicateOf: duplicateInBatchOf, newId: newId() });
    const { list, entry } = decision.record;
    if (list === 'conversions') {
      if (entry.event_id) byEvent.set(entry.event_id, entry);
      byOrder.set(orderKey(entry.market, entry.fields.order_number), entry);
    }
    return decision;
  });
  const results = decisions.map((decision, index) => ({
    event_id: optionalString(body.events[index].event_id) ?? null,
    status: decision.status,
    body: decision.body,
  }));
  return { status: 200, body: { status: 'batch', results }, decisions };
}
