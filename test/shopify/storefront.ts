// A stand-in for a Shopify storefront, for the Chromium tests: it serves the generated Liquid
// files rendered by liquidjs (patched like Shopify, helpers.ts) inside a theme layout, keeps
// carts with attributes (POST /cart/update.js, GET /cart.js), stubs `window.Shopify` with a
// Customer Privacy API whose answer comes from the `test_consent` cookie, and serves a Thank
// you page that runs the custom pixel in a simulated Web Pixels sandbox. Buyapowa itself is
// the dev platform (examples/platform), reached by the market domain.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { shopifyLiquid } from './helpers';

export interface Storefront {
  port: number;
  /** Carts by token: their attributes. */
  carts: Map<string, Record<string, string>>;
  /** Every POST /cart/update.js body, in order. */
  cartUpdates: Array<{ cart: string; attributes: Record<string, string> }>;
  /** Adds a page: a Liquid template rendered in the layout with the context a function returns. */
  page(path: string, template: string, context: (req: http.IncomingMessage) => object, options?: { layout?: boolean }): void;
  close(): Promise<void>;
}

const cookiesOf = (req: http.IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    (req.headers.cookie || '')
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]),
  );

/** What Shopify's storefront defines, with the Customer Privacy API answering per `test_consent`. */
const shopifyGlobal = (consent: string) => `<script>
  window.Shopify = {
    routes: { root: '/' },
    loadFeatures: function (features, callback) {
      window.Shopify.customerPrivacy = {
        marketingAllowed: function () { return ${JSON.stringify(consent)} === 'yes'; },
        currentVisitorConsent: function () { return { marketing: ${JSON.stringify(consent)} }; }
      };
      setTimeout(function () { callback(null); }, 0);
    }
  };
</script>`;

/**
 * The Web Pixels sandbox of a custom pixel, in the page: the globals over this page's cookies and
 * localStorage (a custom pixel's browser.* APIs act on the top frame), and `__emit(event)` for the
 * test to publish Shopify events.
 */
export const pixelSandbox = (privacy: object) => `<script>
  (function () {
    var listeners = {};
    var consentListeners = [];
    window.analytics = { subscribe: function (name, callback) { (listeners[name] = listeners[name] || []).push(callback); return function () { return true; }; } };
    window.browser = {
      cookie: {
        get: function (name) {
          var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
          return Promise.resolve(match ? match[1] : '');
        },
        set: function () { return Promise.resolve(''); }
      },
      localStorage: {
        getItem: function (key) { return Promise.resolve(localStorage.getItem(key)); },
        setItem: function (key, value) { return Promise.resolve(localStorage.setItem(key, value)); },
        removeItem: function (key) { return Promise.resolve(localStorage.removeItem(key)); }
      }
    };
    window.init = { data: { customer: null, cart: null }, customerPrivacy: ${JSON.stringify(privacy)} };
    window.customerPrivacy = { subscribe: function (name, callback) { consentListeners.push(callback); return function () { return true; }; } };
    window.__emit = function (event) { (listeners[event.name] || []).forEach(function (l) { l(event); }); return (listeners[event.name] || []).length; };
    window.__consent = function (privacy) { consentListeners.forEach(function (l) { l({ customerPrivacy: privacy }); }); };
  })();
</script>`;

export async function startStorefront(snippet: string): Promise<Storefront> {
  const liquid = shopifyLiquid();
  const pages = new Map<string, { template: string; context: (req: http.IncomingMessage) => object; layout: boolean }>();
  const carts = new Map<string, Record<string, string>>();
  const cartUpdates: Storefront['cartUpdates'] = [];

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url || '/', 'http://localhost');
      const cookies = cookiesOf(req);
      if (url.pathname === '/cart/update.js' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const token = cookies.cart || randomUUID();
        const attributes = { ...(carts.get(token) || {}), ...(JSON.parse(body).attributes || {}) };
        carts.set(token, attributes);
        cartUpdates.push({ cart: token, attributes: JSON.parse(body).attributes });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': `cart=${token}; Path=/; SameSite=Lax` });
        return res.end(JSON.stringify({ token, attributes }));
      }
      const page = pages.get(url.pathname);
      if (!page || req.method !== 'GET') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('Not found');
      }
      const context = page.context(req);
      const content = await liquid.parseAndRender(page.template, context);
      const head = page.layout ? shopifyGlobal(cookies.test_consent || 'yes') + (await liquid.parseAndRender(snippet, context)) : '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head><body>${content}</body></html>`);
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String((error as Error).stack));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    carts,
    cartUpdates,
    page: (path, template, context, options = {}) => pages.set(path, { template, context, layout: options.layout !== false }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
