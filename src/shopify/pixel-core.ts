// The Shopify custom pixel's logic. `pixel.ts` wraps it into the file merchants paste into
// Settings > Customer events; tests drive it with a simulated Web Pixels sandbox.
//
// The payload is built by the SDK's own `checkConversion` and `conversionEvent`, so a pixel
// conversion is the same request as a browser `track` (docs/protocol.md, section 2), with
// `transport: "shopify-pixel"`. The pixel can never hold a signing secret: it is public code.
import type { Checkout, ExtensionApi, PixelEventsCheckoutCompleted, RegisterInit } from '@shopify/web-pixels-extension';
import { checkConversion, type Conversion } from '../conversion';
import { uuid } from '../env';
import { conversionEvent, outcomeOf, postEvent, retryDelay, type ConversionEvent } from '../protocol';
import { parseReferral, REFERRAL_KEY, type StoredReferral } from '../referral';

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
  /** Endpoint; default `{url}/track`. */
  trackUrl?: string;
  /** Log every step. */
  debug?: boolean;
}

/** The parts of the Web Pixels API the pixel uses (globals in a custom pixel). @internal */
export type PixelApi = Pick<ExtensionApi, 'analytics' | 'browser'> & {
  init: Pick<RegisterInit, 'customerPrivacy'> & { data?: Partial<RegisterInit['data']> };
  customerPrivacy?: Pick<ExtensionApi['customerPrivacy'], 'subscribe'>;
};

/** Cart attribute that carries the referral from the storefront to the order. @internal */
export const CART_ATTRIBUTE = '_bp_ref';
/** browser.localStorage key: orders and Shopify event ids already handled. @internal */
export const LEDGER_KEY = 'bp_pixel_ledger';
/** browser.localStorage key: conversions not yet confirmed by the platform. @internal */
export const OUTBOX_KEY = 'bp_pixel_outbox';

interface Entry {
  id: string;
  url: string;
  order: string;
  event: ConversionEvent;
  tries: number;
  next: number;
}

const TRIES_PER_PAGE = 6;
const MAX_TRIES = 30;
const MAX_AGE = 7 * 864e5;

/** `gid://shopify/OrderIdentity/5210499102` and `5210499102` both give `"5210499102"`. @internal */
export const normaliseOrderId = (raw: unknown): string => (raw == null ? '' : String(raw).split('/').pop()!.split('?')[0].trim());

/**
 * The conversion for a completed checkout: order id, total as a number (formatted `XX.YY` by
 * `checkConversion`), discount codes, email and names (billing address, else the logged-in
 * customer, else the shipping address), marketing opt-in, locale and campaign. @internal
 */
export function checkoutConversion(checkout: Partial<Checkout>, init: PixelApi['init'], config: PixelConfig): Conversion {
  const customer = (init && init.data && init.data.customer) || {};
  const people = [checkout.billingAddress, customer, checkout.shippingAddress];
  // Both names come from one source, so two people's names are never mixed.
  const source = people.find((p) => p && ((p.firstName || '').trim() || (p.lastName || '').trim()));
  const first = source ? (source.firstName || '').trim() : '';
  const last = source ? (source.lastName || '').trim() : '';
  const codes: string[] = [];
  for (const d of checkout.discountApplications || [])
    if (d && d.type == 'DISCOUNT_CODE' && d.title && !codes.includes(d.title)) codes.push(d.title);
  const language = checkout.localization && checkout.localization.language && checkout.localization.language.isoCode;
  const total = checkout.totalPrice;
  return {
    customer_name: [first, last].filter(Boolean).join(', ') || undefined,
    customer_email: (checkout.email || customer.email || '') as string,
    marketing_opt_in: typeof checkout.buyerAcceptsEmailMarketing == 'boolean' ? checkout.buyerAcceptsEmailMarketing : undefined,
    order_number: normaliseOrderId(checkout.order && checkout.order.id),
    order_value: total && total.amount != null && isFinite(+total.amount) ? +total.amount : undefined,
    voucher_codes: codes.length ? codes : undefined,
    locale: config.locale || language || undefined,
    campaign: config.campaign || undefined,
  };
}

/**
 * Starts the pixel: subscribes to `checkout_completed` and sends each order's conversion once,
 * only while the customer allows marketing, retrying on network errors, 408, 429 and 5xx.
 * Never throws. @internal
 */
export function startPixel(api: PixelApi, config: PixelConfig): void {
  const log = (level: 'error' | 'warn' | 'info', message: string, detail: unknown = '') => {
    if (level != 'info' || config.debug)
      try {
        console[level]('[Buyapowa] pixel: ' + message, detail);
      } catch {
        // no console
      }
  };
  try {
    const store = api.browser && api.browser.localStorage;
    const memory: Record<string, string> = {};
    const read = async <T>(key: string, fallback: T): Promise<T> => {
      try {
        return JSON.parse((key in memory ? memory[key] : await store.getItem(key)) as string) || fallback;
      } catch {
        return fallback;
      }
    };
    const write = async (key: string, value: unknown) => {
      const text = JSON.stringify(value);
      try {
        await store.setItem(key, text);
        delete memory[key];
      } catch {
        memory[key] = text; // storage blocked: this page still sends once; the platform dedupes
      }
    };
    // browser.localStorage is async: every read-modify-write runs in turn.
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(task: () => Promise<T>): Promise<T> => {
      const run = chain.then(task, task);
      chain = run.catch(() => {});
      return run;
    };

    let privacy = api.init && api.init.customerPrivacy;
    const allowed = () => !privacy || privacy.marketingAllowed !== false;
    const held: PixelEventsCheckoutCompleted[] = [];
    const seen: Record<string, 1> = {};
    const inflight: Record<string, 1> = {};
    const triesHere: Record<string, number> = {};
    let timer: ReturnType<typeof setTimeout> | undefined;

    const handle = (event: PixelEventsCheckoutCompleted) =>
      serial(async () => {
        const checkout = event && event.data && event.data.checkout;
        if (!checkout) return;
        const input = checkoutConversion(checkout, api.init, config);
        const order = String(input.order_number || '');
        const keys = [config.market + ' ' + (order || '?'), 'event ' + event.id];
        const ledger = await read<string[]>(LEDGER_KEY, []);
        if ((order && (seen[keys[0]] || ledger.includes(keys[0]))) || seen[keys[1]] || ledger.includes(keys[1])) {
          log('info', `order ${order} was already tracked; nothing sent`);
          return;
        }
        const { fields, errors, warnings } = checkConversion(input);
        warnings.forEach((w) => log('warn', w));
        if (errors.length) {
          errors.forEach((e) => log('error', e + '. The conversion was not sent.'));
          return;
        }
        const referral = await referralFor(checkout);
        const location = event.context && event.context.document && event.context.document.location;
        const page = location ? location.origin + location.pathname : '';
        const id = uuid();
        const entry: Entry = { id, url: config.trackUrl || config.url.replace(/\/+$/, '') + '/track', order, event: conversionEvent(id, config.market, fields, referral, page), tries: 0, next: 0 };
        seen[keys[0]] = seen[keys[1]] = 1;
        // Written down before it is sent: a closed tab leaves it for the next page's pixel.
        await write(LEDGER_KEY, ledger.concat(keys).slice(-400));
        await write(OUTBOX_KEY, (await read<Entry[]>(OUTBOX_KEY, [])).concat(entry).slice(-100));
        log('info', 'sending', entry.event);
      }).then(flush, (error) => log('error', 'checkout_completed failed', error));

    const referralFor = async (checkout: Partial<Checkout>): Promise<StoredReferral | null> => {
      let cookie = '';
      try {
        cookie = await api.browser.cookie.get(REFERRAL_KEY);
      } catch {
        // no cookie access: the cart attribute below
      }
      const attribute = (checkout.attributes || []).find((a) => a && a.key == CART_ATTRIBUTE);
      return parseReferral(cookie) || parseReferral(attribute && attribute.value);
    };

    const flush = (): Promise<void> =>
      serial(async () => {
        if (!allowed()) return;
        const now = Date.now();
        let soonest = Infinity;
        for (const entry of await read<Entry[]>(OUTBOX_KEY, [])) {
          if (inflight[entry.id] || (triesHere[entry.id] || 0) >= TRIES_PER_PAGE) continue;
          if (entry.next > now) soonest = Math.min(soonest, entry.next);
          else send(entry);
        }
        if (soonest < Infinity) {
          clearTimeout(timer);
          timer = setTimeout(flush, soonest - now);
        }
      });

    const update = (id: string, change: (e: Entry) => Entry | null) =>
      serial(async () => {
        const list = await read<Entry[]>(OUTBOX_KEY, []);
        const i = list.findIndex((e) => e.id == id);
        if (i < 0) return;
        const next = change(list[i]);
        next ? (list[i] = next) : list.splice(i, 1);
        await write(OUTBOX_KEY, list);
      });

    const send = async (entry: Entry) => {
      inflight[entry.id] = 1;
      triesHere[entry.id] = (triesHere[entry.id] || 0) + 1;
      const tries = entry.tries + 1;
      await update(entry.id, (e) => ({ ...e, tries })); // counted even if the tab closes mid-request
      const { status, retryAfter } = await postEvent(entry.url, entry.event, tries, 'shopify-pixel');
      const outcome = outcomeOf(status);
      const what = `order ${entry.order} (event ${entry.id})`;
      const now = Date.now();
      if (outcome != 'retry' || tries >= MAX_TRIES || now - entry.event.created_at > MAX_AGE) {
        await update(entry.id, () => null);
        if (outcome == 'delivered') log('info', `delivered ${what}: ${status}`);
        else if (outcome == 'rejected') log('error', `the platform refused ${what} with ${status}; it will not be retried`);
        else log('error', `gave up on ${what} after ${tries} attempts`);
      } else {
        const delay = retryDelay(tries, retryAfter, now);
        await update(entry.id, (e) => ({ ...e, next: now + delay }));
        log('info', `${what} got ${status || 'a network error'}; retrying in ${delay} ms`);
      }
      delete inflight[entry.id];
      if (outcome == 'retry') flush();
    };

    if (api.customerPrivacy && api.customerPrivacy.subscribe)
      api.customerPrivacy.subscribe('visitorConsentCollected', (event) => {
        privacy = (event && event.customerPrivacy) || privacy;
        if (allowed()) held.splice(0).forEach(handle);
        flush();
      });
    api.analytics.subscribe('checkout_completed', (event) => {
      // Without marketing consent nothing is sent or stored; it waits for a consent change.
      if (allowed()) handle(event as PixelEventsCheckoutCompleted);
      else {
        held.push(event as PixelEventsCheckoutCompleted);
        log('info', 'marketing is not allowed; the conversion waits for consent');
      }
    });
    flush(); // conversions left unconfirmed by an earlier page
  } catch (error) {
    log('error', 'could not start', error);
  }
}

export { retryDelay };
