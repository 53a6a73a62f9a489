// Shopify's order webhooks, verified by their HMAC: `orders/create` (or `orders/paid`) is mapped
// to the guide's tracking object and forwarded to the Referral tracking API; `orders/cancelled`
// reconciles that referral as `failed`. Shopify retries non-2xx answers (8 times over 4 hours),
// so upstream failures answer 503 and Shopify is the queue; a retry of an order the API already
// has gets the API's duplicate answer, which is success (2xx), so the handler stays stateless.
import { BuyapowaApiError } from '../api';
import { BuyapowaError, problem } from '../core/errors';
import { CART_REFERRAL_ATTRIBUTE, parseReferral } from '../core/referral';
import { retryAfterDelay } from '../core/retry';
import { hmacSha256Matches, json, parseJsonObject } from './http-auth';
import { loggerOption, type Logger } from './log';
import { toGuideOrder } from './relay-mapping';
import { createUpstream, DEFAULT_RETRY_AFTER_S, MAX_RETRY_AFTER_S, MISCONFIGURED_RETRY_AFTER_S, type Upstream, type UpstreamOptions } from './relay-upstream';

/** Options of {@link createShopifyOrdersWebhook}. */
export interface ShopifyOrdersWebhookOptions extends UpstreamOptions {
  /**
   * The key Shopify signs webhooks with: the signing secret shown under Settings → Notifications
   * → Webhooks for a webhook made in the admin, or your app's client secret. Required.
   */
  shopifySecret: string;
}

/** The cart attribute (an order's note attribute) the theme snippet writes the referral into. */
export const SHOPIFY_REFERRAL_ATTRIBUTE = CART_REFERRAL_ATTRIBUTE;
const MAX_BODY_BYTES = 1024 * 1024;
/** Topics that record the order; `orders/cancelled` reconciles it. Without the header: `orders/create`. */
const TRACK_TOPICS = ['orders/create', 'orders/paid'];
const CANCEL_TOPIC = 'orders/cancelled';
/**
 * The API's answer for an order number it already holds: the guide's 200 "Referral not created",
 * with a problem that says so (the dev platform: "order_number … was already tracked").
 */
const DUPLICATE = /\balready\b|\bduplicate\b|has been taken|\bexists\b/i;
/** The API's answer to a reconciliation of an order number it never tracked. */
const NOT_TRACKED = /not found|\bno referral\b|\bunknown\b/i;

type ShopifyPerson = { first_name?: string | null; last_name?: string | null; email?: string | null } | null | undefined;

/**
 * The endpoint for Shopify's order webhooks, told apart by `X-Shopify-Topic`:
 * - `orders/create` (or `orders/paid`, to count paid orders only; a request without the header
 *   counts as `orders/create`): the order is mapped (numeric id → order number, total, email,
 *   names, `buyer_accepts_marketing`, `customer_locale`, the first discount code, and the
 *   `_bp_ref` note attribute the theme snippet writes → referrer) and forwarded to the Referral
 *   tracking API. An order already cancelled is not forwarded.
 * - `orders/cancelled`: the referral of that order number is reconciled as `failed`
 *   (`POST /api/referrals/confirmations`).
 * - any other topic: 200 `ignored`, logged.
 *
 * `X-Shopify-Hmac-Sha256` (the base64 HMAC-SHA256 of the raw body) is checked first, in constant
 * time: 401 and nothing forwarded otherwise.
 *
 * Answers: 200 when delivered; 200 `duplicate` when the API already holds the order number (a
 * retry of a delivered webhook, or both `orders/create` and `orders/paid` subscribed): one
 * referral per order whatever Shopify retries; 200 when refused for good (logged: a retry would
 * not help); 503 with `Retry-After` when the API is unavailable or refuses your credentials, so
 * Shopify's own retries deliver it later.
 *
 * @param options - `shopifySecret`, `market`, `authToken`, and optionally `region`, `baseUrl`, `fetch`, `logger`.
 * @returns `(request: Request) => Promise<Response>`; stateless.
 * @throws {@link BuyapowaError} `invalid_config` naming each option that is wrong.
 * @example
 * ```ts
 * import { createShopifyOrdersWebhook } from 'buyapowa-sdk/server';
 * // Subscribe Order creation and Order cancellation to this URL.
 * export const POST = createShopifyOrdersWebhook({
 *   shopifySecret: process.env.SHOPIFY_WEBHOOK_SECRET!,
 *   market: 'your-market',
 *   authToken: process.env.BUYAPOWA_AUTH_TOKEN!,
 * });
 * ```
 */
export function createShopifyOrdersWebhook(options: ShopifyOrdersWebhookOptions): (request: Request) => Promise<Response> {
  const where = 'createShopifyOrdersWebhook';
  const o = (options || {}) as ShopifyOrdersWebhookOptions;
  const problems: string[] = [];
  if (typeof o.shopifySecret !== 'string' || !o.shopifySecret)
    problems.push(
      `${where}: "shopifySecret" expected the webhook signing secret from Shopify (Settings → Notifications → Webhooks), received ${typeof o.shopifySecret === 'string' ? 'an empty string' : typeof o.shopifySecret}`,
    );
  const logger = loggerOption(o.logger, where, problems);
  const upstream = createUpstream(o, where, logger, problems);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);

  return async (request) => {
    if (request.method !== 'POST') return json(405, { status: 'method_not_allowed' }, { allow: 'POST' });
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return json(413, { status: 'too_large' });
    // Verified before anything is parsed.
    if (!(await hmacSha256Matches(body, o.shopifySecret, request.headers.get('x-shopify-hmac-sha256')))) {
      logger.warn(
        `[Buyapowa] ${where}: refused a request whose X-Shopify-Hmac-Sha256 does not match (is shopifySecret the secret Shopify shows for this webhook?)`,
      );
      return json(401, { status: 'invalid_hmac' });
    }
    const topic = (request.headers.get('x-shopify-topic') || TRACK_TOPICS[0]).trim().toLowerCase();
    if (topic !== CANCEL_TOPIC && !TRACK_TOPICS.includes(topic)) {
      logger.warn(`[Buyapowa] ${where}: ignored a webhook of topic "${topic}": subscribe this URL to ${[...TRACK_TOPICS, CANCEL_TOPIC].join(', ')} only`);
      return json(200, { status: 'ignored', topic });
    }
    const text = new TextDecoder().decode(body);
    const order = parseJsonObject(text);
    if (!order) return json(400, { status: 'invalid', errors: [problem('body', 'the JSON of a Shopify order', text)] });
    if (topic === CANCEL_TOPIC) return cancelled(upstream, order, text, where, logger);
    const mapped = shopifyOrder(order, text);
    if (!mapped.conversion) {
      // Nothing a retry can fix: answered 200, so Shopify stops, and logged.
      logger.error(`[Buyapowa] ${where}: order ${mapped.orderNumber ?? '(no id)'} not forwarded: ${mapped.errors.join('; ')}`);
      return json(200, { status: 'skipped', errors: mapped.errors });
    }
    if (typeof order.cancelled_at === 'string' && order.cancelled_at)
      return json(200, { status: 'skipped', errors: [`order ${mapped.orderNumber} is cancelled`] });
    const guide = toGuideOrder(mapped.conversion, mapped.seconds, mapped.bpE ? { bpE: mapped.bpE, source: 'cart' } : undefined, upstream.authToken);
    guide.warnings.forEach((warning) =>
      logger.warn(`[Buyapowa] ${where}: order ${guide.order.order_number}: ${warning.replace('referral.tokens.bp_e', 'note_attributes._bp_ref')}`),
    );
    const outcome = await upstream.forward(guide.order);
    const number = guide.order.order_number;
    if ((outcome.kind === 'noted' || outcome.kind === 'rejected') && outcome.problems.some((p) => DUPLICATE.test(p))) {
      // Already recorded: Shopify retried a delivered webhook, or two topics carry one order.
      logger.info?.(`[Buyapowa] ${where}: order ${number} was already recorded (${topic}): nothing to do`);
      return json(200, { status: 'duplicate', order_number: number, problems: outcome.problems });
    }
    if (outcome.kind === 'created' || outcome.kind === 'noted')
      return json(200, {
        status: outcome.kind === 'created' ? 'created' : 'not_created',
        order_number: number,
        referral: guide.referral,
        problems: outcome.problems,
      });
    if (outcome.kind === 'rejected') {
      logger.error(`[Buyapowa] ${where}: order ${number} refused by the Referral tracking API: ${outcome.problems.join('; ')}`);
      return json(200, { status: 'rejected', order_number: number, problems: outcome.problems });
    }
    return json(503, { status: 'unavailable' }, { 'retry-after': String(outcome.retryAfter) });
  };
}

/**
 * `orders/cancelled`: reconciles the order's referral as `failed` (POST /api/referrals/confirmations),
 * once, without retries inside the request: Shopify retries a 503.
 */
async function cancelled(upstream: Upstream, order: Record<string, unknown>, raw: string, where: string, logger: Logger): Promise<Response> {
  const number = orderId(order, raw);
  if (!number) {
    logger.error(`[Buyapowa] ${where}: a cancelled order without id was not reconciled`);
    return json(200, { status: 'skipped', errors: [problem('id', "the order's id", order.id)] });
  }
  try {
    const result = await upstream.api.referrals.reconcile({ order: { order_number: number, status: 'failed' } });
    if (result.problems.length && result.problems.every((p) => NOT_TRACKED.test(p))) {
      // An order placed before the integration, or one that could not be recorded: nothing to undo.
      logger.warn(`[Buyapowa] ${where}: cancelled order ${number} has no referral to reconcile: ${result.problems.join('; ')}`);
      return json(200, { status: 'not_tracked', order_number: number, problems: result.problems });
    }
    return json(200, {
      status: result.problems.length ? 'not_reconciled' : 'reconciled',
      order_number: number,
      reconciliation: 'failed',
      problems: result.problems,
    });
  } catch (error) {
    const e = error as BuyapowaApiError;
    const problems = e.problems && e.problems.length ? e.problems : [e.message];
    if (e.code === 'not_found') {
      // The guide's 404 is "the wrong ID of the resource": here, most likely an order number the
      // API never tracked. A wrong region or baseUrl shows as 503s on orders/create already.
      logger.warn(
        `[Buyapowa] ${where}: cancelled order ${number}: the Referral reconciliation API answered 404 (no referral for this order number, or a wrong region/baseUrl)`,
      );
      return json(200, { status: 'not_tracked', order_number: number, problems });
    }
    if (e.code === 'unauthorized' || e.status === 403) {
      logger.error(
        `[Buyapowa] ${where}: the Referral reconciliation API answered ${e.status} (${e.code}): the market id "${upstream.market}", the auth token or the region/baseUrl is wrong. Shopify retries until this is fixed.`,
      );
      return json(503, { status: 'unavailable' }, { 'retry-after': String(MISCONFIGURED_RETRY_AFTER_S) });
    }
    if (e.retryable || !(e instanceof BuyapowaApiError)) {
      logger.warn(
        `[Buyapowa] ${where}: the Referral reconciliation API is unavailable (${e.status || e.code || 'no answer'}); Shopify will retry cancelled order ${number}`,
      );
      const asked = e instanceof BuyapowaApiError ? retryAfterDelay(e.headers.get('retry-after'), { maxRetryAfter: MAX_RETRY_AFTER_S * 1000 }) : undefined;
      return json(503, { status: 'unavailable' }, { 'retry-after': String(Math.ceil((asked ?? DEFAULT_RETRY_AFTER_S * 1000) / 1000)) });
    }
    logger.error(`[Buyapowa] ${where}: cancelled order ${number} refused by the Referral reconciliation API: ${problems.join('; ')}`);
    return json(200, { status: 'rejected', order_number: number, problems });
  }
}

/** The numeric order id: from `admin_graphql_api_id` (ids above 2^53 lose digits in JSON.parse). */
function orderId(order: Record<string, unknown>, raw: string): string | undefined {
  const gid = typeof order.admin_graphql_api_id === 'string' ? /\/(\d+)$/.exec(order.admin_graphql_api_id) : null;
  if (gid) return gid[1];
  const top = /^\s*\{\s*"id"\s*:\s*(\d+)/.exec(raw);
  if (top) return top[1];
  return order.id == null ? undefined : String(order.id);
}

/** A Shopify order as the SDK's conversion fields, plus its time and referral token. @internal */
export function shopifyOrder(
  order: Record<string, unknown>,
  raw: string,
): { conversion?: Record<string, unknown>; seconds: number; bpE?: string; orderNumber?: string; errors: string[] } {
  const customer = (order.customer || null) as ShopifyPerson;
  const name = (p: ShopifyPerson) =>
    [p?.first_name, p?.last_name]
      .map((n) => (n || '').trim())
      .filter(Boolean)
      .join(', ');
  const orderNumber = orderId(order, raw);
  const email = [order.email, order.contact_email, customer?.email].find((e) => typeof e === 'string' && e.trim()) as string | undefined;
  const errors: string[] = [];
  if (!orderNumber) errors.push(problem('id', "the order's id", order.id));
  if (!email) errors.push(problem('email', "the customer's email address", order.email));
  const created = Date.parse(String(order.created_at ?? order.processed_at ?? ''));
  const seconds = (Number.isFinite(created) ? created : Date.now()) / 1e3;
  const codes = Array.isArray(order.discount_codes)
    ? (order.discount_codes as { code?: unknown }[]).map((d) => d && d.code).filter((c) => typeof c === 'string' && c)
    : [];
  const attribute = Array.isArray(order.note_attributes)
    ? (order.note_attributes as { name?: unknown; value?: unknown }[]).find((a) => a && a.name === SHOPIFY_REFERRAL_ATTRIBUTE)
    : undefined;
  const value = attribute && typeof attribute.value === 'string' ? attribute.value.trim() : '';
  // The theme snippet stores the SDK's referral JSON (read as the cookie is, even past its
  // expiry: the order was placed in time); a bare bp_e is accepted too.
  const bpE = value ? (value[0] === '{' || value[0] === '%' ? parseReferral(value, true)?.t.bp_e : value) : undefined;
  if (errors.length) return { seconds, orderNumber, errors };
  return {
    conversion: {
      customer_name: [order.billing_address as ShopifyPerson, customer, order.shipping_address as ShopifyPerson].map(name).find(Boolean),
      customer_email: email,
      marketing_opt_in: typeof order.buyer_accepts_marketing === 'boolean' ? String(order.buyer_accepts_marketing) : undefined,
      order_number: orderNumber,
      order_value: order.total_price ?? order.current_total_price,
      voucher_codes: codes,
      locale: typeof order.customer_locale === 'string' ? order.customer_locale : undefined,
    },
    seconds,
    bpE,
    orderNumber,
    errors,
  };
}
