// The browser-test harness: the dev platform and the example merchant on free ports, reached
// by real host names (mapped to 127.0.0.1 by Chromium's --host-resolver-rules), plus Debian's
// Chromium through playwright-core. Tests wait for conditions; they never assert on timing.
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { launchChromium as launchOwnChromium } from './chromium.js';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { createPlatform, type Platform, type PlatformState, type ScriptedAnswer } from '../../examples/platform/platform.js';
import { createMerchant, type Merchant } from '../../examples/merchant/merchant.js';

export type { PlatformState, ScriptedAnswer };

export { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

/**
 * The Chromium started once for all browser test files (test/chromium/global-setup.ts), or a new
 * one with `extraArgs` or outside that setup. Closing the shared one only disconnects this file.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const endpoint = extraArgs.length ? undefined : inject('chromiumEndpoint');
  return endpoint ? chromium.connect(endpoint) : launchOwnChromium(extraArgs);
}

export interface StackOptions {
  /** The merchant's market. Default "demo". */
  market?: string;
  /** The merchant site's host name. Default www.shop.test. */
  merchantHost?: string;
  /** The platform's host name: the market domain (cookie subdomain). Default bp.shop.test. */
  platformHost?: string;
  /** The campaign slug the merchant pages embed. Default "refer-a-friend". */
  campaign?: string;
}

export interface Stack {
  market: string;
  /** The market domain, e.g. http://bp.shop.test:41234 */
  platformUrl: string;
  /** The merchant site, e.g. http://www.shop.test:41235 */
  merchantUrl: string;
  /** The merchant site on another host name of the same shop: `merchantAt('checkout.shop.test')`. */
  merchantAt(host: string): string;
  /** The platform on another host name. */
  platformAt(host: string): string;
  /** The in-process servers, for what HTTP does not offer (addPage, createReferrer…). */
  platform: Platform;
  merchant: Merchant;
  /** GET /api/state over HTTP. */
  state(market?: string): Promise<PlatformState>;
  /** Polls the state until `check` returns a truthy value, and returns that value. */
  waitForState<T>(check: (state: PlatformState) => T | Promise<T>, options?: WaitOptions): Promise<Truthy<T>>;
  /** POST /__control, e.g. `{ track: [500, 500] }`, `{ track: 'down' }`, `{ track: null }`. */
  control(body: { track: ScriptedAnswer[] | 'down' | 'up' | null }): Promise<void>;
  /** POST /api/reset: forget everything, clear scripted answers. */
  reset(): Promise<void>;
  /** Creates a referrer with POST /api/referrers; returns their code and share link (on the market domain). */
  createReferrer(referrer: { name: string; email: string; market?: string }): Promise<{ code: string; share_url: string }>;
  close(): Promise<void>;
}

export interface WaitOptions {
  /** Default 15 000 ms. */
  timeout?: number;
  /** Default 50 ms. */
  interval?: number;
  /** Said when the wait times out. */
  message?: string;
}

/** `T` without its falsy members: what `waitFor` resolves with (`s.list.length && s.list` → the list). */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `check` until it returns a truthy value; throws with `message` after `timeout`. */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions = {}): Promise<Truthy<T>> {
  const { timeout = 15000, interval = 50, message = 'condition' } = options;
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`waitFor: ${message} not met within ${timeout} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Moves the page's fake clock (after `page.clock.install()`) forward `step` ms at a time until
 * `check` holds. `runFor` fires each timer at its scheduled time (Date.now() inside it is that
 * time), so backoffs, Retry-After waits and embed timeouts pass in order without real waiting.
 */
export function runClockUntil<T>(page: Page, check: () => T | Promise<T>, options: WaitOptions & { step?: number } = {}): Promise<Truthy<T>> {
  const { step = 500, ...waitOptions } = options;
  return waitFor(async () => {
    const value = await check();
    if (!value) await page.clock.runFor(step);
    return value;
  }, waitOptions);
}

/** Starts the platform and the merchant on free ports, addressed by the given host names. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { market = 'demo', merchantHost = 'www.shop.test', platformHost = 'bp.shop.test', campaign = 'refer-a-friend' } = options;
  const platform = await createPlatform();
  const platformAt = (host: string) => `http://${host}:${platform.port}`;
  const platformUrl = platformAt(platformHost);
  let merchant: Merchant;
  try {
    merchant = await createMerchant({ platformUrl, market, campaign });
  } catch (error) {
    await platform.close();
    throw error;
  }
  const merchantAt = (host: string) => `http://${host}:${merchant.port}`;
  const merchantUrl = merchantAt(merchantHost);
  platform.setMerchantUrl(merchantUrl + '/');

  // Node resolves no *.shop.test names: talk to 127.0.0.1 and name the host in X-Forwarded-Host,
  // so the links the platform makes (share_url) use the market domain.
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(platform.url + path, {
      method: init.method || 'GET',
      headers: { 'content-type': 'application/json', 'x-forwarded-host': `${platformHost}:${platform.port}` },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method || 'GET'} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const state = (m?: string) => api('/api/state' + (m ? '?market=' + encodeURIComponent(m) : '')) as Promise<PlatformState>;

  return {
    market,
    platformUrl,
    merchantUrl,
    merchantAt,
    platformAt,
    platform,
    merchant: merchant!,
    state,
    waitForState: (check, waitOptions) => waitFor(async () => check(await state()), { message: 'platform state', ...waitOptions }),
    control: async (body) => void (await api('/__control', { method: 'POST', body })),
    reset: async () => void (await api('/api/reset', { method: 'POST' })),
    createReferrer: async ({ name, email, market: m = market }) => {
      const { code } = await api('/api/referrers', { method: 'POST', body: { market: m, name, email } });
      return { code, share_url: `${platformUrl}/r/${code}` };
    },
    close: async () => {
      await Promise.all([platform.close(), merchant.close()]);
    },
  };
}

/** The conversions the platform recorded for `order`. */
export const conversionsOf = async (stack: Stack, order: string) => (await stack.state()).conversions.filter((c) => c.fields.order_number === order);

/** Every request that carried one of `order`'s conversions, duplicates included. */
export async function deliveriesOf(stack: Stack, order: string) {
  const state = await stack.state();
  const ids = new Set([...state.conversions, ...state.duplicates].filter((c) => c.fields.order_number === order).map((c) => c.event_id));
  return state.deliveries.filter((d) => ids.has(d.event_id));
}

export interface RequestLog {
  /** Every request URL so far, in order, from the page and all its frames. */
  urls: string[];
  requests: Request[];
  /** Stops collecting. */
  stop(): void;
}

/** Collects every request a page (and each of its frames, iframes included) makes. */
export function collectRequests(page: Page): RequestLog {
  const log: RequestLog = {
    urls: [],
    requests: [],
    stop: () => page.off('request', onRequest),
  };
  const onRequest = (request: Request) => {
    log.urls.push(request.url());
    log.requests.push(request);
  };
  page.on('request', onRequest);
  return log;
}

/** Collects the page's console messages as "type: text" (e.g. "warning: [Buyapowa] …"). */
export function collectConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  return messages;
}

/** A fresh browser context (no cookies, no storage) and its first page. */
export interface FreshPage {
  context: BrowserContext;
  page: Page;
}

/**
 * Fresh contexts, one ready ahead: `next()` hands over the one prepared while the previous test
 * ran and starts preparing the following one. A new page costs Chromium a renderer process
 * (0.5–1 s on a busy machine), which then overlaps a test's network waits instead of adding
 * to them. Each test still gets a context nothing else has used.
 */
export interface FreshPages {
  next(): Promise<FreshPage>;
  /** Closes the one prepared ahead. */
  close(): Promise<void>;
}

/** Prepares fresh contexts of `browser` one ahead (see {@link FreshPages}). */
export function freshPages(browser: Browser): FreshPages {
  const prepare = async (): Promise<FreshPage> => {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  };
  const settled = (p: Promise<FreshPage>) => p.catch(() => undefined);
  const prepareAhead = () => {
    const fresh = prepare();
    void settled(fresh); // its failure is reported by the next() that takes it
    return fresh;
  };
  // The first one is prepared at once, while the file's servers start.
  let ahead: Promise<FreshPage> | undefined = prepareAhead();
  return {
    async next() {
      const fresh = ahead ?? prepare();
      ahead = prepareAhead();
      return fresh;
    },
    async close() {
      const last = ahead && (await settled(ahead));
      ahead = undefined;
      await last?.context.close();
    },
  };
}

/** What {@link useStack} gives a test file; fields are set by its hooks. */
export interface StackFixture {
  stack: Stack;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Registers the usual hooks: one stack and one Chromium per file, a reset platform and a new
 * browser context (no cookies, no storage) and page per test.
 */
export function useStack(options: StackOptions = {}): StackFixture {
  const fixture = {} as StackFixture;
  let pages: FreshPages;
  beforeAll(async () => {
    const browser = launchChromium().then((b) => {
      fixture.browser = b;
      pages = freshPages(b);
    });
    [fixture.stack] = await Promise.all([startStack(options), browser]);
  });
  afterAll(async () => {
    await pages?.close();
    await fixture.browser?.close();
    await fixture.stack?.close();
  });
  beforeEach(async () => {
    await fixture.stack.reset();
    const fresh = await pages.next();
    fixture.context = fresh.context;
    fixture.page = fresh.page;
  });
  afterEach(() => fixture.context.close());
  return fixture;
}
