// A simulated Web Pixels sandbox: the `analytics`, `browser`, `init` and `customerPrivacy`
// globals a custom pixel gets, and a `checkout_completed` event typed with the official
// @shopify/web-pixels-extension types.
import type { Checkout, CustomerPrivacyPayload, EventType, PixelEventsCheckoutCompleted, RegisterInit } from '@shopify/web-pixels-extension';
import type { PixelApi } from '../../src/shopify/pixel-core';
import { HOSTILE } from './helpers';

type Privacy = RegisterInit['customerPrivacy'];
type Listener = (event: unknown) => void;

/** Privacy states as Shopify reports them. */
export const ALLOWED: Privacy = { analyticsProcessingAllowed: true, marketingAllowed: true, preferencesProcessingAllowed: true, saleOfDataAllowed: true };
export const DENIED: Privacy = { analyticsProcessingAllowed: false, marketingAllowed: false, preferencesProcessingAllowed: false, saleOfDataAllowed: false };

/** The referral cookie as embedding.min.js writes it (URI-encoded JSON). */
export const referralCookie = (token = 'c/wMvXhE+token==', at = Date.now() - 864e5, exp = Date.now() + 29 * 864e5) =>
  encodeURIComponent(JSON.stringify({ v: 1, t: { bp_e: token }, at, exp }));

/**
 * One page of the store with a custom pixel: the globals (also as `args` for `startPixel`), plus `emit` (Shopify publishing an
 * event) and `consent` (the visitor answering the cookie banner). Pass the same `storage` to
 * a second sandbox to simulate the next page of the same browser.
 */
export function sandbox(
  options: {
    privacy?: Privacy;
    cookies?: Record<string, string>;
    storage?: Map<string, string>;
    customer?: RegisterInit['data']['customer'];
    blockStorage?: boolean;
  } = {},
) {
  const storage = options.storage || new Map<string, string>();
  const cookies = options.cookies || {};
  const listeners: Record<string, Listener[]> = {};
  const consentListeners: Array<(payload: CustomerPrivacyPayload) => void> = [];
  const blocked = async () => {
    if (options.blockStorage) throw new Error('storage is blocked');
  };
  const analytics = {
    subscribe: ((name: string, callback: Listener) => {
      (listeners[name] ||= []).push(callback);
      return () => true;
    }) as PixelApi['analytics']['subscribe'],
  };
  const browser = {
    cookie: {
      get: async (name?: string) =>
        name
          ? cookies[name] || ''
          : Object.entries(cookies)
              .map(([k, v]) => `${k}=${v}`)
              .join('; '),
      set: async (name: string, value?: string) => ((cookies[name] = value || ''), ''),
    },
    localStorage: {
      getItem: async (key: string) => (await blocked(), storage.has(key) ? storage.get(key)! : null),
      setItem: async (key: string, value: unknown) => void (await blocked(), storage.set(key, String(value))),
      removeItem: async (key: string) => void storage.delete(key),
      clear: async () => storage.clear(),
      key: async (index: number) => Array.from(storage.keys())[index] ?? null,
      length: async () => storage.size,
    },
    sessionStorage: {
      getItem: async () => null,
      setItem: async () => undefined,
      removeItem: async () => undefined,
      clear: async () => undefined,
      key: async () => null,
      length: async () => 0,
    },
    sendBeacon: async () => false,
  };
  const init = {
    context: {} as RegisterInit['context'],
    data: {
      customer: options.customer ?? null,
      cart: null,
      shop: {
        countryCode: 'PT',
        myshopifyDomain: 'demo.myshopify.com',
        name: 'Demo',
        paymentSettings: { currencyCode: 'EUR' },
        storefrontUrl: 'https://www.shop.com',
      },
      purchasingCompany: null,
    },
    customerPrivacy: options.privacy || ALLOWED,
  } as unknown as RegisterInit;
  const customerPrivacy = {
    subscribe: ((name: string, callback: (payload: CustomerPrivacyPayload) => void) => {
      if (name === 'visitorConsentCollected') consentListeners.push(callback);
      return () => true;
    }) as NonNullable<PixelApi['customerPrivacy']>['subscribe'],
  };
  const globals: PixelApi = { analytics, browser, init, customerPrivacy };
  return {
    globals,
    /** The globals in `startPixel`'s order, after the config. */
    args: [analytics, browser, init, customerPrivacy] as const,
    storage,
    cookies,
    emit: (event: PixelEventsCheckoutCompleted) => (listeners[event.name] || []).forEach((l) => l(event)),
    consent: (privacy: Privacy) => consentListeners.forEach((l) => l({ customerPrivacy: privacy })),
    subscribed: () => Object.keys(listeners),
  };
}

/** A completed checkout with hostile names, several discount codes and a GID order id. */
export function checkout(over: Partial<Checkout> = {}): Checkout {
  const address = {
    address1: '1 Rua',
    address2: null,
    city: 'Lisboa',
    country: 'Portugal',
    countryCode: 'PT',
    firstName: HOSTILE.first,
    lastName: HOSTILE.last,
    phone: null,
    province: null,
    provinceCode: null,
    zip: '1000-001',
  };
  const code = (title: string) => ({
    allocationMethod: 'ACROSS',
    targetSelection: 'ALL',
    targetType: 'LINE_ITEM',
    title,
    type: 'DISCOUNT_CODE',
    value: { percentage: 10 },
  });
  return {
    attributes: [],
    billingAddress: address,
    buyerAcceptsEmailMarketing: true,
    buyerAcceptsSmsMarketing: false,
    currencyCode: 'EUR',
    delivery: null,
    discountApplications: [
      ...HOSTILE.codes.map(code),
      {
        allocationMethod: 'ACROSS',
        targetSelection: 'ALL',
        targetType: 'LINE_ITEM',
        title: 'Summer sale',
        type: 'AUTOMATIC',
        value: { amount: 5, currencyCode: 'EUR' },
      },
      code('FRIEND10'), // the same code twice is sent once
    ],
    discountsAmount: { amount: 20, currencyCode: 'EUR' },
    email: HOSTILE.email,
    lineItems: [],
    localization: { country: { isoCode: 'PT' }, language: { isoCode: 'pt-BR' }, market: { handle: 'pt', id: 'gid://shopify/Market/1' } },
    order: { id: 'gid://shopify/OrderIdentity/5210499102', customer: { id: 'gid://shopify/Customer/7', isFirstOrder: true } },
    phone: null,
    shippingAddress: address,
    shippingLine: null,
    smsMarketingPhone: null,
    subtotalPrice: { amount: 1000, currencyCode: 'EUR' },
    token: 'c1-abc',
    totalPrice: { amount: 1134.65, currencyCode: 'EUR' },
    totalTax: { amount: 134.65, currencyCode: 'EUR' },
    transactions: [],
    ...over,
  };
}

/** The event Shopify publishes on the Thank you page. */
export function checkoutCompleted(data: Checkout = checkout(), id = 'sh-88153c5a-8F2D-4CCA-3231-EF5C032A4C3B'): PixelEventsCheckoutCompleted {
  const location = {
    hash: '',
    host: 'www.shop.com',
    hostname: 'www.shop.com',
    href: 'https://www.shop.com/checkouts/cn/c1-abc/thank-you?x=1',
    origin: 'https://www.shop.com',
    pathname: '/checkouts/cn/c1-abc/thank-you',
    port: '',
    protocol: 'https:',
    search: '?x=1',
  };
  return {
    id,
    clientId: 'client-1',
    name: 'checkout_completed',
    seq: 5,
    timestamp: '2026-09-01T10:00:00.000Z',
    type: 'standard' as EventType.Standard,
    context: { document: { characterSet: 'UTF-8', location, referrer: '', title: 'Thank you' } } as PixelEventsCheckoutCompleted['context'],
    data: { checkout: data },
  };
}

/** Lets every pending promise and immediate callback run (the fake storage is instant). */
export async function idle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
