// The first-party relay (issue 13 §1): the browser SDK talks to the merchant's own domain, and
// the relay calls the documented Referral tracking API. Stateless: the browser outbox is the queue.
import { BuyapowaError, problem } from '../core/errors';
import { isEmailAddress } from '../core/fields';
import { MAX_BATCH_EVENTS } from '../core/outbox-requests';
import { DEFAULT_ATTRIBUTION_DAYS, newReferral, parseReferral, referralCookieValue, REFERRAL_KEY } from '../core/referral';
import { readCookie, serializeCookie } from './cookie';
import { verifiedKeys } from './signature';
import { json, parseJsonObject } from './http-auth';
import { loggerOption } from './log';
import { toGuideOrder, type GuideOrder } from './relay-mapping';
import { createUpstream, type UpstreamOptions, type UpstreamOutcome } from './relay-upstream';

/** Options of {@link createRelay}. */
export interface RelayOptions extends UpstreamOptions {
  /**
   * Your market's secret key: conversions must carry a valid `signature` (see `signFields`).
   * Required unless `acceptUnsigned` is true.
   */
  secret?: string;
  /**
   * Forward conversions without a signature. Default `false`: anyone can POST to a public
   * endpoint, and unsigned conversions let customers forge referrals. A signature that is
   * present is still checked when `secret` is set.
   */
  acceptUnsigned?: boolean;
  /**
   * Origins of pages on other hosts that may call the relay (CORS), matched exactly, e.g.
   * `["https://checkout.shop.com"]`. Same-origin pages need nothing. Default `[]`.
   */
  allowedOrigins?: string[];
  /** Domain of the referral cookie the relay re-sets, e.g. `"shop.com"`. Default: the relay's host only. */
  cookieDomain?: string;
  /** How long the re-set referral cookie lasts, in days: your attribution window. Default `30`. */
  attributionDays?: number;
}

/** Decodes request bodies (UTF-8, the replacement character for bad bytes): one for every request. */
const DECODER = new TextDecoder();
/** Largest body the relay reads, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** A transparent 1×1 GIF, the noscript pixel's answer whatever happens. */
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) => c.charCodeAt(0));

/**
 * A first-party relay for the browser SDK, as a web-standard fetch handler you mount on your
 * own domain under any prefix (e.g. `/buyapowa/*`), and point the SDK at with `relay: '/buyapowa'`.
 *
 * - `POST …/track`: the SDK's conversion (docs/protocol.md §2) is checked, its signature verified
 *   with `secret`, and forwarded once to the Referral tracking API as the guide's JSON, with the
 *   referrer read from the stored referral's `bp_e`. Answers: 201 created; 200 with `problems`
 *   (understood, not created, e.g. a repeated order number); 400 rejected; 401 bad signature;
 *   422 `signature_required`; 503 with `Retry-After` when the API is unavailable (≤ 30 s) or
 *   refuses the relay's own credentials (logged loudly), so the conversion waits in the browser.
 * - `POST …/track` with a batch (`{ "v": 1, "type": "batch", "events": [...] }`, docs/protocol.md
 *   §2.4, up to 25 events): each event is handled like a single one, in order, and the answer is
 *   200 `{ status: "batch", results: [{ event_id, status, body, retry_after? }] }`, one result per
 *   event with the status, body and `Retry-After` it alone would have had. Once the API is
 *   unavailable for one event, the later ones are still checked but not forwarded: they get the
 *   same 503 and wait in the browser. A malformed batch is one 400 naming `events`.
 * - `POST …/click`: 204, and re-sets the `bp_ref` referral cookie from the server for
 *   `attributionDays` (Safari caps cookies written by scripts at 7 days).
 * - `GET …/track.gif`: the `<noscript>` pixel; forwards like `/track` and always answers a GIF.
 * - `OPTIONS`: CORS preflight for `allowedOrigins`. Anything else: 404.
 *
 * @param options - `market`, `authToken`, `secret` (or `acceptUnsigned: true`), and optionally
 *   `region`, `baseUrl`, `fetch`, `allowedOrigins`, `cookieDomain`, `attributionDays`, `logger`.
 * @returns `(request: Request) => Promise<Response>`; it keeps no state between requests.
 * @throws {@link BuyapowaError} `invalid_config` naming each option that is wrong.
 * @example
 * ```ts
 * import { createRelay } from 'buyapowa-sdk/server';
 * const relay = createRelay({ market: 'your-market', authToken: process.env.BUYAPOWA_AUTH_TOKEN!, secret: process.env.BUYAPOWA_SECRET! });
 * // Next.js app/buyapowa/[...path]/route.ts:
 * export const POST = relay, GET = relay, OPTIONS = relay;
 * ```
 */
export function createRelay(options: RelayOptions): (request: Request) => Promise<Response> {
  const where = 'createRelay';
  const o = (options || {}) as RelayOptions;
  const problems: string[] = [];
  const report = (key: string, expected: string) => problems.push(`${where}: ` + problem(key, expected, (o as unknown as Record<string, unknown>)[key]));
  if (o.secret !== undefined && (typeof o.secret !== 'string' || !o.secret)) report('secret', "your market's secret key (a non-empty string)");
  if (o.secret === undefined && o.acceptUnsigned !== true)
    report('secret', "your market's secret key, to verify signed conversions (or acceptUnsigned: true, which lets anyone forge conversions)");
  if (o.acceptUnsigned !== undefined && typeof o.acceptUnsigned !== 'boolean') report('acceptUnsigned', 'true or false');
  const origins = o.allowedOrigins === undefined ? [] : o.allowedOrigins;
  if (!Array.isArray(origins) || origins.some((x) => typeof x !== 'string' || !/^https?:\/\/[^/]+$/.test(x)))
    report('allowedOrigins', 'a list of exact origins, like ["https://checkout.shop.com"] (scheme and host, no path)');
  if (o.cookieDomain !== undefined && (typeof o.cookieDomain !== 'string' || !/^\.?[a-z0-9.-]+$/i.test(o.cookieDomain)))
    report('cookieDomain', 'a domain like "shop.com"');
  if (o.attributionDays !== undefined && !(typeof o.attributionDays === 'number' && o.attributionDays > 0)) report('attributionDays', 'days above 0');
  const logger = loggerOption(o.logger, where, problems);
  // One API client for the relay's life: it keeps no state between requests.
  const upstream = createUpstream(o, where, logger, problems);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);
  const allowed = new Set(Array.isArray(origins) ? origins : []);
  const days = o.attributionDays || DEFAULT_ATTRIBUTION_DAYS;

  /** CORS headers for an allowed cross-origin caller; none otherwise. */
  const cors = (request: Request): Record<string, string> => {
    const origin = request.headers.get('origin');
    return origin && allowed.has(origin)
      ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'Retry-After', vary: 'Origin' }
      : { vary: 'Origin' };
  };

  /** Sends one mapped order to the Referral tracking API. */
  const forwardOne: Forward = upstream.forward;

  /** Checks, verifies, maps and forwards one conversion; the answer's status and body. */
  async function conversion(event: Record<string, unknown>, cookieHeader: string | null, seconds: number, forward = forwardOne): Promise<Outcome> {
    const fields = event.conversion as Record<string, unknown>;
    const errors: string[] = [];
    if (event.market !== undefined && String(event.market).trim() !== upstream.market)
      errors.push(problem('market', `"${upstream.market}" (this relay's market)`, event.market));
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) errors.push(problem('conversion', 'an object with the conversion fields', fields));
    else {
      if (!isEmailAddress(String(fields.customer_email ?? '').trim()))
        errors.push(problem('conversion.customer_email', 'an email address like "jane@example.com"', fields.customer_email));
      if (fields.order_number == null || !String(fields.order_number).trim())
        errors.push(problem('conversion.order_number', 'your unique order id', fields.order_number));
    }
    if (errors.length) return { status: 400, body: { status: 'invalid', errors } };

    const signed = fields.signature !== undefined || fields.signed_keys !== undefined;
    if (!signed && !o.acceptUnsigned)
      return {
        status: 422,
        body: {
          status: 'signature_required',
          reason: 'this relay forwards signed conversions only: add signed_keys and signature (signFields on your server)',
        },
      };
    if (signed && o.secret) {
      const keys = verifiedKeys(fields, o.secret, where);
      if (!keys) return { status: 401, body: { status: 'invalid_signature', reason: 'the signature does not match the signed fields' } };
      const missing = ['order_number', 'customer_email'].filter((key) => !keys.includes(key));
      if (missing.length) return { status: 401, body: { status: 'invalid_signature', reason: `signed_keys must include ${missing.join(' and ')}` } };
    }

    const tokens = (event.referral as { tokens?: Record<string, unknown> } | undefined)?.tokens;
    const fromEvent = tokens && typeof tokens.bp_e === 'string' ? tokens.bp_e : undefined;
    // The relay is first-party, so it gets the referral cookie.
    const fromCookie = fromEvent ? undefined : parseReferral(readCookie(cookieHeader, REFERRAL_KEY))?.t.bp_e;
    const mapped = toGuideOrder(
      fields,
      seconds,
      fromEvent ? { bpE: fromEvent, source: 'event' } : fromCookie ? { bpE: fromCookie, source: 'cookie' } : undefined,
      upstream.authToken,
    );
    mapped.warnings.forEach((warning) => logger.warn(`[Buyapowa] ${where}: order ${mapped.order.order_number}: ${warning}`));
    return answer(await forward(mapped.order), mapped.referral);
  }

  /** One event of /track: the type checked, then {@link conversion} at the time it was made. */
  function trackEvent(event: Record<string, unknown>, cookieHeader: string | null, forward = forwardOne): Promise<Outcome> | Outcome {
    if (event.type !== undefined && event.type !== 'conversion')
      return { status: 400, body: { status: 'invalid', errors: [problem('type', '"conversion"', event.type)] } };
    const created = typeof event.created_at === 'number' && event.created_at > 0 ? event.created_at : Date.now();
    return conversion(event, cookieHeader, created / 1e3, forward);
  }

  /**
   * A batch (docs/protocol.md §2.4): each event like a single one, one after the other. Once the
   * API is unavailable (or refuses the relay), the later events are still checked, but answered
   * with that same 503 instead of being forwarded: no more load on an API that is down or rate
   * limiting, and no request held for a timeout per event.
   */
  async function batch(body: Record<string, unknown>, cookieHeader: string | null): Promise<Outcome> {
    const error = batchError(body.events);
    if (error) return { status: 400, body: { status: 'invalid', errors: [error] } };
    let unavailable: UpstreamOutcome | undefined;
    const forward: Forward = async (order) => {
      if (unavailable) return unavailable;
      const outcome = await forwardOne(order);
      if (outcome.kind === 'unavailable' || outcome.kind === 'misconfigured') unavailable = outcome;
      return outcome;
    };
    const results: BatchResult[] = [];
    for (const event of body.events as Record<string, unknown>[]) {
      const outcome = await trackEvent(event, cookieHeader, forward);
      const retryAfter = outcome.headers?.['retry-after'];
      results.push({
        event_id: typeof event.event_id === 'string' ? event.event_id : null,
        status: outcome.status,
        body: outcome.body,
        ...(retryAfter ? { retry_after: retryAfter } : {}),
      });
    }
    return { status: 200, body: { status: 'batch', results } };
  }

  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, '');
    const endpoint = /\/track$/.test(path) ? 'track' : /\/click$/.test(path) ? 'click' : /\/track\.gif$/.test(path) ? 'pixel' : '';
    const headers = cors(request);
    const method = request.method;
    if (!endpoint) return json(404, { status: 'not_found' });
    if (method === 'OPTIONS') {
      if (!headers['access-control-allow-origin']) return new Response(null, { status: 403, headers });
      return new Response(null, {
        status: 204,
        headers: {
          ...headers,
          'access-control-allow-methods': endpoint === 'pixel' ? 'GET' : 'POST',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '86400',
        },
      });
    }
    if (endpoint === 'pixel') {
      if (method !== 'GET' && method !== 'HEAD') return json(405, { status: 'method_not_allowed' }, { ...headers, allow: 'GET' });
      // HEAD only checks the image exists: it forwards nothing.
      const outcome =
        method === 'GET' ? await conversion(pixelEvent(url.searchParams), request.headers.get('cookie'), Date.now() / 1e3) : { status: 200, body: null };
      if (outcome.status >= 400) logger.warn(`[Buyapowa] ${where}: noscript pixel: ${outcome.status} ${JSON.stringify(outcome.body)}`);
      return new Response(PIXEL, { status: 200, headers: { ...headers, 'content-type': 'image/gif', 'cache-control': 'no-store' } });
    }
    if (method !== 'POST') return json(405, { status: 'method_not_allowed' }, { ...headers, allow: 'POST' });
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > MAX_BODY_BYTES)
      return json(413, { status: 'invalid', errors: [`"body" expected at most ${MAX_BODY_BYTES} bytes, received ${body.byteLength}`] }, headers);
    const text = DECODER.decode(body);
    const event = parseJsonObject(text);
    if (!event) return json(400, { status: 'invalid', errors: [problem('body', `the JSON of a ${endpoint} event (docs/protocol.md)`, text)] }, headers);
    if (endpoint === 'click') {
      if (event.type !== undefined && event.type !== 'click')
        return json(400, { status: 'invalid', errors: [problem('type', '"click"', event.type)] }, headers);
      return click(event, url, headers);
    }
    const cookieHeader = request.headers.get('cookie');
    const outcome = event.type === 'batch' ? await batch(event, cookieHeader) : await trackEvent(event, cookieHeader);
    return json(outcome.status, outcome.body, { ...headers, ...outcome.headers });
  };

  /** /click: the referral cookie, re-set by the server for the whole attribution window. */
  function click(event: Record<string, unknown>, url: URL, headers: Record<string, string>): Response {
    const tokens = event.tokens as Record<string, unknown>;
    const valid: Record<string, string> = {};
    if (tokens && typeof tokens === 'object')
      for (const [name, value] of Object.entries(tokens)) if (/^[\w.-]{1,64}$/.test(name) && typeof value === 'string' && value) valid[name] = value;
    if (!Object.keys(valid).length)
      return json(400, { status: 'invalid', errors: [problem('tokens', 'the referral tokens, like { "bp_e": "…" }', tokens)] }, headers);
    const now = Date.now();
    // The capture time comes from the visitor's clock: trusted only when it is not in the future.
    const at = typeof event.captured_at === 'number' && event.captured_at > 0 && event.captured_at <= now ? event.captured_at : now;
    const referral = { ...newReferral(valid, at, days), b: 1 as const };
    const maxAge = Math.round((referral.exp - now) / 1e3);
    const out = new Headers(headers);
    // The SDK's cookie format (docs/protocol.md §3.2), marked as told ("b"), so no second beacon;
    // tokens that do not fit are left out, as the SDK leaves them out of its own cookie.
    if (maxAge > 0)
      out.append(
        'set-cookie',
        serializeCookie(REFERRAL_KEY, referralCookieValue(referral), {
          path: '/',
          maxAge,
          sameSite: 'Lax',
          domain: o.cookieDomain,
          secure: url.protocol === 'https:',
        }),
      );
    return new Response(null, { status: 204, headers: out });
  }
}

/** The relay's answer to one conversion: status, JSON body, and `Retry-After` when it is 503. */
type Outcome = { status: number; body: unknown; headers?: Record<string, string> };
/** One event's answer within a batch (docs/protocol.md §2.4). */
type BatchResult = { event_id: string | null; status: number; body: unknown; retry_after?: string };
/** How a mapped order reaches the Referral tracking API. */
type Forward = (order: GuideOrder) => Promise<UpstreamOutcome>;

/** What is wrong with a batch's `events`, as one message naming the field; null when nothing is. */
function batchError(events: unknown): string | null {
  const expected = `a list of 1 to ${MAX_BATCH_EVENTS} conversion events`;
  if (!Array.isArray(events)) return problem('events', expected, events);
  if (!events.length) return `"events" expected ${expected}, received an empty list`;
  if (events.length > MAX_BATCH_EVENTS) return `"events" expected ${expected}, received ${events.length} events`;
  const at = events.findIndex((event) => !event || typeof event !== 'object' || Array.isArray(event));
  return at < 0 ? null : problem(`events[${at}]`, 'a conversion event (a JSON object)', events[at]);
}

/** The conversion of a noscript pixel's query (docs/protocol.md §2.3). */
function pixelEvent(query: URLSearchParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) if (key !== 'v' && key !== 'market') fields[key] = key === 'voucher_codes' ? query.getAll(key) : query.get(key);
  return { market: query.get('market') ?? undefined, conversion: fields };
}

/** The relay's answer for an upstream outcome. */
function answer(outcome: UpstreamOutcome, referral: string): Outcome {
  switch (outcome.kind) {
    case 'created':
      return { status: 201, body: { status: 'created', referral } };
    case 'noted':
      return { status: 200, body: { status: 'not_created', problems: outcome.problems } };
    case 'rejected':
      return { status: 400, body: { status: 'invalid', errors: outcome.problems, problems: outcome.problems } };
    default:
      return { status: 503, body: { status: 'unavailable' }, headers: { 'retry-after': String(outcome.retryAfter) } };
  }
}
