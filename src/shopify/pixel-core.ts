// The Shopify custom pixel's logic. `pixel.ts` wraps it into the file merchants paste into
// Settings > Customer events; tests drive it with a simulated Web Pixels sandbox.
//
// The payload is built by the SDK's own `checkFields` and `conversionEvent`, so a pixel
// conversion is the same request as a browser `track` (docs/protocol.md, section 2), with
// `transport: "shopify-pixel"`. The pixel can never hold a signing secret: it is public code.
import type { Checkout, ExtensionApi, PixelEventsCheckoutCompleted, RegisterInit } from '@shopify/web-pixels-extension';
import { checkFields, type Conversion } from '../conversion';
import { uuid } from '../env';
import { conversionEvent, outcomeOf, postEvent, retryDelay, type ConversionEvent } from '../protocol';
import { parseReferral, REFERRAL_KEY } from '../referral';

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
  /** Endpoint; default `{relay}/track` with a relay, else `{url}/track`. */
  trackUrl?: string;
  /** The merchant's first-party relay: a URL, or a path resolved against the checkout page's origin. */
  relay?: string;
  /** Log every step. */
  debug?: boolean;
}

/** The parts of the Web Pixels API the pixel uses (globals in a custom pixel). @internal */
export type PixelApi = Pick<ExtensionApi, 'analytics' | 'browser'> & {
  init: Pick<RegisterInit, 'customerPrivacy'> & { data?: Partial<RegisterInit['data']>; context?: Partial<RegisterInit['context']> };
  customerPrivacy?: Pick<ExtensionApi['customerPrivacy'], 'subscribe'>;
};

/** Cart attribute that carries the referral from the storefront to the order. @internal */
export const CART_ATTRIBUTE = '_bp_ref';
/** browser.localStorage key: orders and Shopify event ids already handled. @internal */
export const LEDGER_KEY = 'bp_pixel_ledger';
/** browser.localStorage key: conversions not yet confirmed by the platform. @internal */
export const OUTBOX_KEY = 'bp_pixel_outbox';

/** An outbox entry: the event, with `attempt` = attempts made and `next` = when the next is due. */
type Entry = ConversionEvent & { next?: number };
type Person = { firstName?: string | null; lastName?: string | null; email?: string | null } | null | undefined;

/**
 * The conversion for a completed checkout, before `checkFields` (which drops empty fields
 * and formats the total): order id (`gid://shopify/OrderIdentity/5210499102` gives
 * `5210499102`), total, discount codes, email and names (billing address, else the logged-in
 * customer, else the shipping address), marketing opt-in, locale and campaign.
 */
function checkoutConversion(c: Partial<Checkout>, customer: Person, config: PixelConfig): Conversion {
  // Both names from one source, so two people's names are never mixed.
  const name = (p: Person) => [p?.firstName, p?.lastName].map((n) => (n || '').trim()).filter(Boolean).join(', ');
  return {
    customer_name: [c.billingAddress, customer, c.shippingAddress].map(name).find(Boolean),
    customer_email: c.email || customer?.email || '',
    marketing_opt_in: c.buyerAcceptsEmailMarketing,
    order_number: `${c.order?.id ?? ''}`.replace(/.*\/|\?.*/g, ''),
    order_value: c.totalPrice?.amount,
    voucher_codes: [...new Set(c.discountApplications?.filter((d) => d?.type == 'DISCOUNT_CODE' && d.title).map((d) => d.title))],
    locale: config.locale || c.localization?.language?.isoCode,
    campaign: config.campaign,
  };
}

/**
 * Starts the pixel: subscribes to `checkout_completed` and sends each order's conversion once,
 * only while the customer allows marketing, retrying on network errors, 408, 429 and 5xx.
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
    if (level != 'info' || config.debug)
      try {
        console[level]('[Buyapowa] pixel: ' + message, detail);
      } catch {
        // no console
      }
  };
  try {
    const relay = config.relay?.startsWith('/') ? (init?.context?.document?.location?.origin || '') + config.relay : config.relay;
    const url = config.trackUrl || (relay || config.url).replace(/\/+$/, '') + '/track';
    const store = browser?.localStorage;
    // Storage blocked: this page keeps its copy, so it still sends once; the platform dedupes.
    const memory: Record<string, string> = {};
    const read = async (key: string) => {
      try {
        return JSON.parse(memory[key] ?? (await store.getItem(key))) || [];
      } catch {
        return [];
      }
    };
    const write = async (key: string, value: unknown) => {
      try {
        await store.setItem(key, (memory[key] = JSON.stringify(value)));
        delete memory[key];
      } catch {
        // kept in memory
      }
    };
    // browser.localStorage is async: every read-modify-write runs in turn, in this queue.
    let queue: Promise<unknown> = Promise.resolve();
    const serial = (task: () => Promise<unknown>) => (queue = queue.then(task).catch((error) => log('error', 'failed', error)));

    let privacy = init?.customerPrivacy;
    const denied = () => privacy?.marketingAllowed === false;
    const held: unknown[] = [];
    // Per entry, sends started plus sends finished on this page: odd while one is in flight.
    const here: Record<string, number> = {};
    let timer: ReturnType<typeof setTimeout> | undefined;

    // Without marketing consent nothing is sent or stored; the event waits for a consent change.
    const onEvent = (event: PixelEventsCheckoutCompleted) => {
      if (denied()) return held.push(event), log('info', 'waiting for marketing consent');
      serial(async () => {
        const checkout = event.data.checkout;
        const { fields, errors, warnings } = checkFields(checkoutConversion(checkout, init?.data?.customer, config));
        warnings.forEach((w) => log('warn', w));
        if (errors.length) return errors.forEach((e) => log('error', e + '; not sent'));
        const order = fields.order_number;
        const keys = [config.market + ' ' + order, 'event ' + event.id];
        const ledger: string[] = await read(LEDGER_KEY);
        if (keys.some((k) => ledger.includes(k))) return log('info', `order ${order} already tracked`);
        let referral = null;
        try {
          referral = parseReferral(await browser.cookie.get(REFERRAL_KEY));
        } catch {
          // no cookie access: the cart attribute below
        }
        const location = event.context?.document?.location;
        const entry = conversionEvent(
          uuid(),
          config.market,
          fields,
          referral || parseReferral(checkout.attributes?.find((a) => a?.key == CART_ATTRIBUTE)?.value),
          location ? location.origin + location.pathname : '',
        );
        // Written down before it is sent: a closed tab leaves it for the next page's pixel.
        await write(LEDGER_KEY, ledger.concat(keys).slice(-400));
        await write(OUTBOX_KEY, (await read(OUTBOX_KEY)).concat(entry).slice(-100));
      });
      flush();
    };

    const flush = () =>
      serial(async () => {
        if (denied()) return;
        const now = Date.now();
        let soonest = Infinity;
        for (const entry of (await read(OUTBOX_KEY)) as Entry[]) {
          if (here[entry.event_id] % 2 || here[entry.event_id] > 11) continue; // in flight, or 6 sends here
          if (entry.next! > now) soonest = Math.min(soonest, entry.next!);
          else send(entry);
        }
        clearTimeout(timer);
        if (soonest < Infinity) timer = setTimeout(flush, soonest - now);
      });

    const send = async ({ next, ...event }: Entry) => {
      const id = event.event_id;
      const tries = (event.attempt || 0) + 1;
      // Saves this entry with the attempts made and when the next is due, or removes it (false).
      const save = (next?: number | false) =>
        serial(async () =>
          write(OUTBOX_KEY, ((await read(OUTBOX_KEY)) as Entry[]).flatMap((e) => (e.event_id != id ? e : next === false ? [] : { ...event, attempt: tries, next }))),
        );
      here[id] = (here[id] || 0) + 1;
      await save(); // counted even if the tab closes mid-request
      const { status, retryAfter } = await postEvent(url, event, tries, 'shopify-pixel');
      const outcome = outcomeOf(status);
      const now = Date.now();
      const delay = retryDelay(tries, retryAfter, now);
      const retry = outcome == 'retry' && tries < 30 && now - event.created_at < 7 * 864e5;
      await save(retry && now + delay);
      log(
        outcome == 'delivered' || retry ? 'info' : 'error',
        `order ${event.conversion.order_number}: ${status || 'network error'}, ${retry ? `retrying in ${delay} ms` : outcome == 'retry' ? 'gave up' : outcome}`,
        event,
      );
      here[id]++;
      flush();
    };

    customerPrivacy?.subscribe?.('visitorConsentCollected', (event) => {
      privacy = event?.customerPrivacy || privacy;
      held.splice(0).forEach(onEvent as (event: unknown) => void);
      flush();
    });
    analytics.subscribe('checkout_completed', onEvent);
    flush(); // conversions left unconfirmed by an earlier page
  } catch (error) {
    log('error', 'failed', error);
  }
}

export { retryDelay };
