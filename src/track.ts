import { resolveConfig, type BuyapowaConfig } from './config';
import { getConsent } from './consent';
import { checkConversion, type Conversion } from './conversion';
import { hasDom, pagePath, quiet, uuid } from './env';
import { BuyapowaError } from './errors';
import { remember } from './ledger';
import { log } from './log';
import { deliver, flushConversionsNow, type TrackResult } from './outbox';
import { conversionEvent } from './protocol';
import { readStoredReferral } from './referral';

/**
 * Sends a conversion to the platform, exactly once per order and market.
 *
 * The conversion is checked (one message per problem), written to a durable outbox, then
 * POSTed to `{url}/track` (or `trackUrl`). Network errors, 408, 429 and 5xx are retried
 * with backoff; what is pending when the page hides leaves by `sendBeacon`; what is still
 * unconfirmed is sent again by the next page. The stored referral, if any, goes with it.
 *
 * @param config - `{ url, market }` plus options (`trackUrl`, `debug`, `consent`).
 * @param conversion - The guide's tracking fields; `order_number` and `customer_email` are required.
 * @returns The delivery outcome. Rejects with a {@link BuyapowaError} (`invalid_conversion`,
 * `invalid_config`) when nothing could be sent.
 * @example
 * ```ts
 * const result = await track(
 *   { url: 'https://bp.your-website.com', market: 'your-market' },
 *   { order_number: 'ORDER123', customer_email: 'john@doe.com', order_value: 12.89 },
 * );
 * if (result.status === 'rejected') console.warn(result.reason);
 * ```
 */
export function track(config: BuyapowaConfig, conversion: Conversion): Promise<TrackResult> {
  return quiet(
    new Promise<TrackResult>((resolve) => {
      if (!hasDom()) throw new BuyapowaError('unsupported_environment', 'track: there is no window here; call it in the browser');
      let c;
      try {
        c = resolveConfig(config, 'track');
      } catch (error) {
        log('error', (error as Error).message + ' The conversion was not sent.');
        throw error;
      }
      const { fields, errors, warnings } = checkConversion(conversion);
      warnings.forEach((w) => log('warn', 'track: ' + w));
      if (errors.length) {
        errors.forEach((p) => log('error', 'track: ' + p + '. The conversion was not sent.'));
        throw new BuyapowaError('invalid_conversion', errors.map((p) => 'track: ' + p));
      }
      const order = String(fields.order_number);
      if (!remember(c.market, order)) {
        log('debug', `track: order ${order} was already tracked for market ${c.market}; nothing sent`);
        return resolve({ status: 'already_tracked', orderNumber: order, warnings });
      }
      const id = uuid();
      const referral = getConsent() == 'denied' ? null : readStoredReferral();
      const event = conversionEvent(id, c.market, fields, referral, pagePath());
      log('debug', 'track: sending', event);
      resolve(deliver({ id, url: c.trackUrl || c.base + '/track', market: c.market, order, event, tries: 0, next: 0 }, warnings));
    }),
  );
}

/**
 * Sends the conversions still waiting in the outbox (all markets, or the config's market).
 * The script tag does this on every page; `new Buyapowa(config)` does it for its market.
 *
 * @example
 * ```ts
 * flushConversions({ url: 'https://bp.your-website.com', market: 'your-market' });
 * ```
 */
export function flushConversions(config?: Pick<BuyapowaConfig, 'market'>): void {
  try {
    if (hasDom()) flushConversionsNow(config && config.market);
  } catch (error) {
    log('error', 'flushConversions failed', error);
  }
}
