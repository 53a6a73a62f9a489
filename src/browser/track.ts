import { checkTrackUrl, endpointOf, resolveConfig, type BuyapowaConfig } from './config';
import { getConsent, setConsent } from './consent';
import { checkConversion, type Conversion } from '../core/conversion';
import { quiet, uuid } from '../core/env';
import { hasDom, pagePath } from './page';
import { browserError } from '../core/problems';
import { readFields } from '../core/fields';
import { NO_DOCUMENT, NOTHING_SENT } from '../core/messages';
import { log } from './log';
import { deliver, flushConversionsNow, type TrackResult } from './outbox';
import { conversionEvent } from '../core/protocol';
import { readStoredReferral } from './stored-referral';

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
      if (!hasDom()) throw browserError('unsupported_environment', 'track', process.env.NODE_ENV !== 'production' ? NO_DOCUMENT : '');
      const c = resolveConfig(config, 'track', checkTrackUrl);
      if (c.consent) setConsent(c.consent);
      const { fields, errors, warnings } = checkConversion(conversion);
      browserError('invalid_conversion', 'track', warnings).problems.forEach((w) => log('warn', w));
      if (errors[0]) throw browserError('invalid_conversion', 'track', process.env.NODE_ENV !== 'production' ? errors.map((p) => p + NOTHING_SENT) : errors);
      const event = conversionEvent(uuid(), c.market, fields, getConsent() === 'denied' ? null : readStoredReferral(), pagePath());
      log('debug', 'track: conversion', event);
      resolve(deliver({ event, url: endpointOf(c), due: 0 }));
    }).catch((error) => {
      (error.problems || [error]).forEach((p: string) => log('error', p));
      throw error;
    }),
  );
}

/**
 * Sends the conversions still waiting in the outbox (all markets, or the config's market).
 * The script tag does this on every page; `new Buyapowa(config)` does it for its market.
 * Never throws: a config that cannot be read (a Proxy, a throwing getter) flushes every market.
 *
 * @example
 * ```ts
 * flushConversions({ market: 'your-market' });
 * ```
 */
export function flushConversions(config?: Pick<BuyapowaConfig, 'market'>): void {
  // Read safely: a throwing getter or a Proxy flushes every market instead of throwing.
  const market = readFields(config)?.market;
  if (hasDom()) flushConversionsNow(typeof market === 'string' ? market : undefined);
}
