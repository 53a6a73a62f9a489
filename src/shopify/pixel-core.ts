// The Shopify custom pixel's logic. `pixel.ts` wraps it into the file merchants paste into
// Settings > Customer events; tests drive it with a simulated Web Pixels sandbox.
//
// The payload is built by the SDK's own `checkFields` and `conversionEvent`, so a pixel
// conversion is the same request as a browser `track` (docs/protocol.md, section 2), with
// `transport: "shopify-pixel"`. The pixel can never hold a signing secret: it is public code.
import type { Checkout, ExtensionApi, PixelEventsCheckoutCompleted, RegisterInit } from '@shopify/web-pixels-extension';
import { marketingAllowed } from '../core/consent-decisions';
import { checkFields, type Conversion } from '../core/conversion';
import { uuid } from '../core/env';
import { createOutbox, orderKey, retryDelay, type KeyValueStore } from '../core/outbox-core';
import { conversionEvent } from '../core/protocol';
import { CART_REFERRAL_ATTRIBUTE, parseReferral, REFERRAL_KEY } from '../core/referral';

/** What the generator injects into the pixel (`const BUYAPOWA = {…}`). @internal */
export interface PixelConfig {
  /** `https://{market domain}`. */
  url: string;
  /** Market id. */
  market: string;
  /** Campaign slug, sent as the conversion's `campaign`. */
  campaign?: string;
  /** Locale; default: the checkout's language. */
  locale?: string;
  /** Endpoint; default `{url}/track`. (A store with a relay, i.e. a real account, gets check-pixel.ts instead: it sends nothing.) */
  trackUrl?: string;
  /** Log every step. */
  debug?: boolean;
}

/** The parts of the Web Pixels API the pixel uses (globals in a custom pixel). @internal */
export type PixelApi = Pick<ExtensionApi, 'analytics' | 'browser'> & {
  init: Pick<RegisterInit, 'customerPrivacy'> & { data?: Partial<RegisterInit['data']>; context?: Partial<RegisterInit['context']> };
  customerPrivacy?: Pick<ExtensionApi['customerPrivacy'], 'subscribe'>;
};

/** Cart attribute that carries the referral from the storefront to the order. @internal */
export const CART_ATTRIBUTE = CART_REFERRAL_ATTRIBUTE;
/** browser.localStorage key: orders and Shopify event ids already handled. @internal */
export const LEDGER_KEY = 'bp_pixel_ledger:v2';
/** browser.localStorage key: conversions not yet confirmed by the platform. @internal */
export const OUTBOX_KEY = 'bp_pixel_outbox:v2';

/** Sends per conversion on one page; then it waits for the next page's pixel. */
const SENDS_PER_PAGE = 6;

/** `browser.localStorage` (async), with this page's memory for what it refuses. Never throws. */
function pixelStore(storage: PixelApi['browser']['localStorage'] | undefined): KeyValueStore {
  // Storage blocked: this page keeps its copy, so it still sends once; the platform dedupes.
  const memory = new Map<string, string>();
  return {
    async get(key) {
      if (memory.has(key)) return memory.get(key);
      try {
        return await storage!.getItem(key);
      } catch {
        return null;
      }
    },
    async set(key, value) {
      memory.set(key, value);
      try {
        await storage!.setItem(key, value);
        memory.delete(key);
      } catch {
        // kept in memory
      }
    },
    async remove(key) {
      memory.delete(key);
      try {
        await storage!.removeItem(key);
      } catch {
        // nothing stored
      }
    },
  };
}
type Person = { firstName?: string | null; lastName?: string | null; email?: string | null } | null | undefined;

/**
 * The conversion for a completed checkout, before `checkFields` (which drops empty fields
 * and formats the total): order id (`gid://shopify/OrderIdentity/5210499102` gives
 * `5210499102`), total, discount codes, email and names (billing address, else the logged-in
 * customer, else the shipping address), marketing opt-in, locale and campaign.
 */
function checkoutConversion(c: Partial<Checkout>, customer: Person, config: PixelConfig): Conversion {
  // Both names from one source, so two people's names are never mixed.
  const name = (p: Person) =>
    [p?.firstName, p?.lastName]
      .map((n) => (n || '').trim())
      .filter(Boolean)
      .join(', ');
  return {
    customer_name: [c.billingAddress, customer, c.shippingAddress].map(name).find(Boolean),
    customer_email: c.email || customer?.email || '',
    marketing_opt_in: c.buyerAcceptsEmailMarketing,
    order_number: `${c.order?.id ?? ''}`.replace(/.*\/|\?.*/g, ''),
    order_value: c.totalPrice?.amount,
    voucher_codes: [...new Set(c.discountApplications?.filter((d) => d?.type === 'DISCOUNT_CODE' && d.title).map((d) => d.title))],
    locale: config.locale || c.localization?.language?.isoCode,
    campaign: config.campaign,
  };
}

/**
 * Starts the pixel: subscribes to `checkout_completed` and sends each order's conversion once,
 * only while the customer allows marketing, through the SDK's outbox core (src/core/outbox-core.ts):
 * the same ledger, retry policy and give-up rule as the browser's `track`.
 * Takes the config, then the Web Pixels globals. Never throws. @internal
 */
export function startPixel(
  config: PixelConfig,
  analytics: PixelApi['analytics'],
  browser: PixelApi['browser'],
  init: PixelApi['init'],
  customerPrivacy?: PixelApi['customerPrivacy'],
): void {
  const log = (level: 'error' | 'warn' | 'info', message: string, detail: unknown = '') => {
    if (level !== 'info' || config.debug)
      try {
        console[level]('[Buyapowa] pixel: ' + message, detail);
      } catch {
        // no console
      }
  };
  try {
    const url = config.trackUrl || config.url.replace(/\/+$/, '') + '/track';
    let privacy = init?.customerPrivacy;
    // The storefront adapter's signal (src/core/consent-decisions.ts): held only on an explicit false.
    const denied = () => marketingAllowed(privacy) === false;
    // Checkout events that arrived without marketing consent: sent if consent comes later.
    const held: PixelEventsCheckoutCompleted[] = [];
    const outbox = createOutbox({
      store: pixelStore(browser?.localStorage),
      outboxKey: OUTBOX_KEY,
      ledgerKey: LEDGER_KEY,
      transport: 'shopify-pixel',
      sendsPerPage: SENDS_PER_PAGE,
      maySend: () => !denied(),
      report: (entry, status, reason, retryInMs) =>
        log(
          status === 'delivered' || status === 'queued' ? 'info' : 'error',
          `order ${entry.event.conversion.order_number}: ${status} (${reason})${status === 'queued' ? `, retrying in ${retryInMs} ms` : ''}`,
          entry.event,
        ),
      debug: (message) => log('info', message),
    });

    // Without marketing consent nothing is sent or stored; the event waits for a consent change.
    const onEvent = async (event: PixelEventsCheckoutCompleted) => {
      if (denied()) {
        held.push(event);
        return log('info', 'waiting for marketing consent');
      }
      const checkout = event.data.checkout;
      const { fields, errors, warnings } = checkFields(checkoutConversion(checkout, init?.data?.customer, config));
      warnings.forEach((w) => log('warn', w));
      if (errors.length) return errors.forEach((e) => log('error', e + '; not sent'));
      const order = fields.order_number + '';
      let referral = null;
      try {
        referral = parseReferral(await browser.cookie.get(REFERRAL_KEY));
      } catch {
        // no cookie access: the cart attribute below
      }
      const location = event.context?.document?.location;
      const conversion = conversionEvent(
        uuid(),
        config.market,
        fields,
        referral || parseReferral(checkout.attributes?.find((a) => a?.key === CART_ATTRIBUTE)?.value),
        location ? location.origin + location.pathname : '',
      );
      // Written down before it is sent: a closed tab leaves it for the next page's pixel.
      const added = await outbox.add([orderKey(config.market, order), 'event ' + event.id], { event: conversion, url, due: 0 });
      if (!added) log('info', `order ${order} already tracked`);
    };
    const onEventSafely = (event: PixelEventsCheckoutCompleted) => onEvent(event).catch((error) => log('error', 'failed', error));

    customerPrivacy?.subscribe?.('visitorConsentCollected', (event) => {
      privacy = event?.customerPrivacy || privacy;
      held.splice(0).forEach(onEventSafely);
      outbox.flush();
    });
    analytics.subscribe('checkout_completed', onEventSafely);
    outbox.flush(); // conversions left unconfirmed by an earlier page
  } catch (error) {
    log('error', 'failed', error);
  }
}

export { retryDelay };
