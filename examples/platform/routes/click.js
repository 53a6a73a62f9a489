// Click beacons (protocol §3.3): a referral landing the SDK captured, recorded once per event_id.
import { cookieNames, cors, parseJson, readBody, send } from '../../http.js';
import { stringEntries } from '../shared.js';
import { referralOf } from './referrers.js';

/**
 * POST /click: records the click with the referrer its bp_e points at; 204.
 *
 * @param {import('../shared.js').PlatformContext} p
 * @param {import('../../http.js').RouteContext} route
 */
export async function click(p, { req, res }) {
  const { markets, store } = p;
  const body = await readBody(req);
  const parsed = parseJson(body.text);
  /** @type {any} */
  const event = parsed.ok ? parsed.value : null;
  if (!event || typeof event !== 'object' || event.type !== 'click' || typeof event.market !== 'string') {
    store.record('rejected', {
      received_at: Date.now(),
      path: '/click',
      status: 400,
      reason: 'invalid',
      errors: [parsed.ok ? 'expected a click event' : parsed.error],
    });
    return send(res, 400, { status: 'invalid' }, cors(req));
  }
  if (!markets.has(event.market)) {
    store.record('rejected', { received_at: Date.now(), path: '/click', status: 404, reason: 'unknown_market', market: event.market });
    return send(res, 404, { status: 'unknown_market' }, cors(req));
  }
  const eventId = typeof event.event_id === 'string' ? event.event_id : null;
  if (!(eventId && store.clicks.some((c) => c.event_id === eventId))) {
    const tokens = stringEntries(event.tokens);
    const found = referralOf(p, event.market, tokens);
    store.record('clicks', {
      received_at: Date.now(),
      market: event.market,
      event_id: eventId,
      tokens,
      captured_at: typeof event.captured_at === 'number' ? event.captured_at : undefined,
      page: typeof event.page === 'string' ? event.page : undefined,
      referrer: found.referrer || null,
      voucher_code: found.voucher_code || null,
      note: found.note || null,
      origin: req.headers.origin || null,
      cookies: cookieNames(req),
    });
  }
  return send(res, 204, '', cors(req));
}
