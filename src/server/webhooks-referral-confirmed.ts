// The guide's "Referral confirmed" webhook: Buyapowa POSTs JSON every time a referral is confirmed.
import { BuyapowaError, problem } from '../core/errors';
import { basicAuthMatches, checkBasicAuth, json, unauthorized, type BasicAuth } from './http-auth';
import { loggerOption, type Logger } from './log';

/** A custom field of the referrer, as the webhook carries it. */
export interface WebhookCustomField {
  label: string;
  value: string;
}

/**
 * The "Referral confirmed" payload, checked. Values keep the guide's types (strings), with
 * `total_referrals` and `total_cents` also given as numbers for convenience.
 */
export interface ReferralConfirmedEvent {
  /** The campaign slug, e.g. `"invite-a-friend"`. */
  campaign: string;
  /** The referrer. */
  customer: {
    email: string;
    client_data?: Record<string, unknown>;
    custom_fields?: WebhookCustomField[];
    [field: string]: unknown;
  };
  referral: {
    /** The referred friend. */
    friend: { email?: string; first_name?: string; last_name?: string; marketing_opt_in?: string; [field: string]: unknown };
    /** The order that resulted in the referral. */
    order: { total_cents?: string; currency?: string; voucher_code?: string; reward_category?: string; order_number?: string; [field: string]: unknown };
  };
  /** The referrer's confirmed referrals so far, as sent (`"2"`). */
  total_referrals: string;
  /** `total_referrals` as a number (NaN when absent). */
  totalReferrals: number;
  /** `referral.order.total_cents` as a number (NaN when absent). */
  totalCents: number;
}

/** Options of {@link createReferralConfirmedWebhook}. */
export interface ReferralConfirmedOptions {
  /**
   * The HTTP Basic credentials in the webhook URL you give Buyapowa
   * (`https://user:password@shop.com/hooks/referral-confirmed`), compared in constant time.
   * `false` turns the check off (only behind your own authentication). Required.
   */
  auth: BasicAuth | false;
  /** Where the handler logs an `onEvent` that failed. Default `console`. */
  logger?: Logger;
}

const MAX_BODY_BYTES = 256 * 1024;

/**
 * The endpoint for Buyapowa's "Referral confirmed" webhook: checks HTTP Basic credentials
 * (401 otherwise), parses and checks the guide's payload into a {@link ReferralConfirmedEvent}
 * (400 with the problems when malformed), calls `onEvent`, and answers 204 only once it has
 * resolved. When it throws or rejects, the answer is 500, so Buyapowa delivers it again:
 * make `onEvent` idempotent (key it on `referral.order.order_number`).
 *
 * @param onEvent - What to do with a confirmed referral, e.g. reward the referrer.
 * @param options - `auth`: `{ username, password }` or `false`; optionally `logger`.
 * @returns `(request: Request) => Promise<Response>`; stateless.
 * @throws {@link BuyapowaError} `invalid_config` when `onEvent` is not a function or `auth` is missing.
 * @example
 * ```ts
 * import { createReferralConfirmedWebhook } from 'buyapowa-sdk/server';
 * export const POST = createReferralConfirmedWebhook(
 *   async (event) => rewards.grant(event.customer.email, event.referral.order.order_number),
 *   { auth: { username: 'buyapowa', password: process.env.WEBHOOK_PASSWORD! } },
 * );
 * ```
 */
export function createReferralConfirmedWebhook(
  onEvent: (event: ReferralConfirmedEvent, request: Request) => unknown,
  options: ReferralConfirmedOptions,
): (request: Request) => Promise<Response> {
  const where = 'createReferralConfirmedWebhook';
  if (typeof onEvent !== 'function')
    throw new BuyapowaError('invalid_config', `${where}: ` + problem('onEvent', 'a function called with each confirmed referral', onEvent));
  const given = (options || {}) as Partial<ReferralConfirmedOptions>;
  if (given.auth === undefined)
    throw new BuyapowaError('invalid_config', `${where}: "auth" expected { username, password } (or false to turn the check off), received undefined`);
  const auth = given.auth === false ? false : checkBasicAuth(given.auth, where);
  const problems: string[] = [];
  const logger = loggerOption(given.logger, where, problems);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);

  return async (request) => {
    if (auth && !(await basicAuthMatches(request, auth))) return unauthorized('Buyapowa webhook');
    if (request.method !== 'POST') return json(405, { status: 'method_not_allowed' }, { allow: 'POST' });
    const text = await request.text();
    if (text.length > MAX_BODY_BYTES) return json(413, { status: 'too_large' });
    const { event, errors } = parseReferralConfirmed(text);
    if (!event) return json(400, { status: 'invalid', errors });
    try {
      await onEvent(event, request);
    } catch (error) {
      logger.error(`[Buyapowa] ${where}: onEvent failed for order ${event.referral.order.order_number ?? '(none)'}; answering 500 so Buyapowa retries`, error);
      return json(500, { status: 'error' });
    }
    return new Response(null, { status: 204 });
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Parses and checks a "Referral confirmed" body; `errors` says what is wrong. @internal */
export function parseReferralConfirmed(text: string): { event?: ReferralConfirmedEvent; errors: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    try {
      // The guide's own example has a trailing comma; accept that one leniency.
      body = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
    } catch {
      return { errors: ['"body" expected the JSON of a "Referral confirmed" webhook, received text that is not JSON'] };
    }
  }
  const errors: string[] = [];
  if (!isObject(body)) return { errors: [problem('body', 'a JSON object', body)] };
  if (typeof body.campaign !== 'string' || !body.campaign) errors.push(problem('campaign', 'the campaign slug (a string)', body.campaign));
  const customer = body.customer;
  if (!isObject(customer)) errors.push(problem('customer', "an object with the referrer's email", customer));
  else {
    if (typeof customer.email !== 'string' || !customer.email.includes('@'))
      errors.push(problem('customer.email', "the referrer's email address", customer.email));
    if (customer.client_data !== undefined && !isObject(customer.client_data)) errors.push(problem('customer.client_data', 'an object', customer.client_data));
    if (customer.custom_fields !== undefined && !Array.isArray(customer.custom_fields))
      errors.push(problem('customer.custom_fields', 'a list of { label, value }', customer.custom_fields));
  }
  const referral = body.referral;
  if (!isObject(referral)) errors.push(problem('referral', 'an object with friend and order', referral));
  else for (const key of ['friend', 'order']) if (!isObject(referral[key])) errors.push(problem('referral.' + key, 'an object', referral[key]));
  const total = body.total_referrals;
  if (total !== undefined && !/^\d+$/.test(String(total))) errors.push(problem('total_referrals', 'a count like "2"', total));
  if (errors.length) return { errors };
  // Numbers the sender may have written as numbers become the guide's strings.
  const order = (referral as { order: Record<string, unknown> }).order;
  for (const key in order) if (typeof order[key] === 'number') order[key] = String(order[key]);
  const event = { ...body, total_referrals: total === undefined ? '' : String(total) } as unknown as ReferralConfirmedEvent;
  event.totalReferrals = total === undefined ? NaN : Number(total);
  event.totalCents = order.total_cents === undefined ? NaN : Number(order.total_cents);
  return { event, errors };
}
