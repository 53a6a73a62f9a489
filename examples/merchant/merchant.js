// An example merchant site: the integration guide's snippets pasted into plain pages, a
// checkout that tracks the conversion, and a framework-free SPA that imports the ESM build.
// The script tag points at the dev platform, which doubles as our CDN. Answers to any Host name.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { close, createServer, listen, readForm, redirect, send, sendHtml, serveFile } from '../http.js';
import { esc } from '../html.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// The merchant's server signs with the server entry, as a real merchant would. The specifier is
// a variable so that type-checking needs no build: the types are the source's.
const BUILT = '../../dist/server.js';
/** @type {typeof import('../../src/server')} */
let server;
try {
  server = await import(BUILT);
} catch (error) {
  throw new Error(`examples/merchant needs the built SDK (dist/server.js): run \`npm run build\` first. (${/** @type {Error} */ (error).message})`);
}
const { sign, decodeReferral } = server;

// The merchant's secrets: in real life from its environment; here the dev platform's markets.
const MARKETS = JSON.parse(readFileSync(path.join(here, '../platform/markets.json'), 'utf8'));

/** The largest checkout form read, in bytes. */
const CHECKOUT_MAX_BYTES = 16 * 1024;

/** Demo customers, picked with ?customer=… so no personal data sits in a URL. @type {Record<string, { first: string, last: string, email: string }>} */
export const CUSTOMERS = {
  john: { first: 'John', last: 'Doe', email: 'john@doe.com' },
  jane: { first: 'Jane', last: 'Smith', email: 'jane@smith.com' },
  zoe: { first: 'Zoë', last: 'Martin', email: 'zoe.martin@example.com' },
};

export { esc };

/** A JavaScript string literal that is safe inside an HTML <script> element. @param {unknown} value @returns {string} */
export const jsString = (value) =>
  JSON.stringify(String(value ?? '')).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

/** The friend's discount on `price` from the campaign's offer ("£10 off …", "20% off …"), at most the price. @param {string} offer @param {number} price */
const friendDiscount = (offer, price) => {
  const [, pounds] = /£(\d+(?:\.\d+)?)/.exec(offer || '') || [];
  const [, percent] = /(\d+(?:\.\d+)?)%/.exec(offer || '') || [];
  return Math.round(Math.min(pounds ? +pounds : percent ? (price * +percent) / 100 : 0, price) * 100) / 100;
};
const pounds = (/** @type {number | string} */ amount) => '£' + (+amount).toFixed(2);

/**
 * Starts the merchant site.
 *
 * @param {import('./merchant').MerchantOptions} options - `port` (default 0, a free port), `host` (default 127.0.0.1),
 *   `platformUrl` (the market domain as the browser sees it, e.g. http://bp.shop.test:8787), `market` (default demo),
 *   `campaign` (default refer-a-friend), `locale` (default en), `markets` (default the platform's markets.json).
 * @returns {Promise<import('./merchant').Merchant>}
 */
export async function createMerchant(
  {
    port = 0,
    host = '127.0.0.1',
    platformUrl,
    market = 'demo',
    campaign = 'refer-a-friend',
    locale = 'en',
    markets = MARKETS,
  } = /** @type {import('./merchant').MerchantOptions} */ ({}),
) {
  if (!platformUrl || !/^https?:\/\/[^/]+$/.test(String(platformUrl).replace(/\/$/, '')))
    throw new Error(
      `createMerchant: "platformUrl" expected the market domain's origin, like "http://bp.shop.test:8787", received ${JSON.stringify(platformUrl)}`,
    );
  const platform = String(platformUrl).replace(/\/$/, '');
  const marketConfig = markets[market];
  if (!marketConfig) throw new Error(`createMerchant: "market" expected one of ${Object.keys(markets).join(', ')}, received ${JSON.stringify(market)}`);
  /** @type {Map<string, { first: string, last: string, email: string, voucher: string, price: number, discount: number, value: string }>} */
  const orders = new Map();
  /** @type {Map<string, Parameters<import('./merchant').Merchant['addPage']>[1]>} */
  const extraPages = new Map();
  const script = `${platform}/embedding.min.js`;
  const PRICE = 12.89;
  const friendOffer = marketConfig.campaigns[campaign]?.friendOffer || '';

  // ---- Pages -------------------------------------------------------------------------------

  /** @param {{ title: string, head?: string, body: string, nav?: boolean }} page */
  function layout({ title, head = '', body, nav = true }) {
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Example Shop</title>
<link rel="stylesheet" href="/static/shop.css">
${head}
</head>
<body>
${
  nav
    ? `<nav class="top"><a href="/" class="brand">Example Shop</a>
<a href="/refer-a-friend">Refer a friend</a>
<a href="/refer-a-friend/signed-in">Refer a friend (signed in)</a>
<a href="/spa/">SPA</a>
<a href="${esc(platform)}/dashboard" class="right">Platform dashboard ↗</a></nav>`
    : ''
}
${body}
</body>
</html>
`;
  }

  /** `/`: the landing page of share links. It loads the script only, which captures the referral. @param {import('node:http').IncomingMessage} req @param {URL} url */
  function home(req, url) {
    let welcome = '';
    let voucher = '';
    const bpE = url.searchParams.get('bp_e');
    if (bpE) {
      // The merchant's server can read who referred the visitor (buyapowa-sdk/server).
      try {
        const referral = decodeReferral(bpE, marketConfig.authToken);
        voucher = referral.voucher_code || '';
        welcome = `<p class="welcome" id="welcome">${esc(referral.referrer.first_name || referral.referrer.email)} sent you ${esc(
          friendOffer || 'a gift',
        )}${voucher ? `: your code is <code id="voucher">${esc(voucher)}</code>` : ''}.</p>`;
      } catch (error) {
        welcome = `<p class="welcome">This referral link could not be read (${esc(/** @type {Error} */ (error).message)}).</p>`;
      }
    }
    return layout({
      title: 'Home',
      head: `<script src="${esc(script)}" data-url="${esc(platform)}" data-market="${esc(market)}"></script>`,
      body: `<main>
<h1>Example Shop</h1>
${welcome}
<section class="product">
  <h2>The Good Mug</h2>
  <p>A mug. ${pounds(PRICE)}.${voucher ? ` With your friend's voucher: <strong id="friend-price">${pounds(PRICE - friendDiscount(friendOffer, PRICE))}</strong>.` : ''}</p>
  <form method="post" action="/checkout" id="checkout">
    <label>Full name <input name="name" value="Jane Smith" required></label>
    <label>Email <input name="email" type="email" value="jane@smith.com" required></label>
    <label>Voucher code <input name="voucher" value="${esc(voucher)}"></label>
    <input type="hidden" name="value" value="${PRICE}">
    <button type="submit">Buy now</button>
  </form>
</section>
<p class="muted">This page loads <code>embedding.min.js</code> only: that is enough to remember a referral.</p>
</main>`,
    });
  }

  /** `/refer-a-friend`: the guide's embed snippet, only `src` and the {{…}} values filled in. @param {import('node:http').IncomingMessage} req @param {URL} url */
  function referAFriend(req, url) {
    const loc = url.searchParams.get('locale') || locale;
    return layout({
      title: 'Refer a friend',
      head: `<script src="${esc(script)}"></script>
<meta property="og:url" content="${esc(platform)}/iaf/${esc(campaign)}/og"/>`,
      body: `<main class="wide">
<h1>Refer a friend</h1>
<div id="bp_error" style="display: none;">Sorry, something went wrong</div>
<div id="bp_div"></div>
<script type="text/javascript">
  var buyapowa = new Buyapowa({url: ${jsString(platform)}, market: ${jsString(market)}}, "bp_div", "bp_error");
  buyapowa.embedReferAFriend({
    "campaign": ${jsString(campaign)},
    "locale": ${jsString(loc)}
  });
</script>
</main>`,
    });
  }

  /**
   * `/refer-a-friend/signed-in`: the guide's seamless-login snippet, signed on this server.
   * `?customer=john|jane|zoe` picks the signed-in customer; `?tamper=1` changes the name after
   * signing (an invalid signature); `?signature=…` replaces the signature.
   * @param {import('node:http').IncomingMessage} req @param {URL} url
   */
  function signedIn(req, url) {
    const customer = CUSTOMERS[/** @type {string} */ (url.searchParams.get('customer'))] || CUSTOMERS.john;
    const fields = { name: `${customer.first} ${customer.last}`, email: customer.email, signed_keys: 'name, email' };
    let signature = sign(fields, marketConfig.secret);
    if (url.searchParams.has('signature')) signature = /** @type {string} */ (url.searchParams.get('signature'));
    if (url.searchParams.get('tamper') === '1') fields.name += ' Jr';
    return layout({
      title: 'Refer a friend',
      body: `<main class="wide">
<h1>Refer a friend</h1>
<p class="muted">Signed in as ${esc(fields.name)}.</p>
<script src="${esc(script)}"></script>
<div id="bp_error" style="display: none;">Sorry, something went wrong</div>
<div id="bp_div"></div>
<script type="text/javascript">
  var buyapowa = new Buyapowa({url: ${jsString(platform)}, market: ${jsString(market)}}, "bp_div", "bp_error");
  buyapowa.embedReferAFriend({
    "campaign": ${jsString(campaign)},
    "auto": true,
    "name": ${jsString(fields.name)},
    "email": ${jsString(fields.email)},
    "marketing_opt_in": "true",
    "locale": "en",
    "signed_keys": "name, email",
    "signature": ${jsString(signature)}
  });
</script>
</main>`,
    });
  }

  /** `/refer-a-friend/shopify`: the guide's Shopify snippets (steps 4 and 7). */
  function shopifyPage() {
    return layout({
      title: 'Refer a friend (Shopify snippet)',
      head: `<script src="${esc(script)}"></script>
<meta property="og:url" content="${esc(platform)}/iaf/${esc(campaign)}/og" />`,
      body: `<main class="wide">
<h1>Refer a friend</h1>
<div id="bp_div">
  <script type="text/javascript">
      var buyapowa = new Buyapowa({url: ${jsString(platform)}, market: ${jsString(market)}}, "bp_div");
      buyapowa.embedReferAFriend({
          "campaign": ${jsString(campaign)}
      });
  </script>
</div>
</main>`,
    });
  }

  /**
   * `/checkout/thanks?order=…`: the guide's tracking tag with the order's values. An order made
   * by POST /checkout supplies them; otherwise `?customer=`, `?value=`, `?voucher=` (or the
   * defaults). `?sign=0` leaves the signing fields empty; `?tamper=1` changes the email after signing.
   * @param {import('node:http').IncomingMessage} req @param {URL} url
   */
  function thanks(req, url) {
    const q = url.searchParams;
    const orderNumber = q.get('order') || 'ORDER-' + randomBytes(4).toString('hex').toUpperCase();
    const stored = orders.get(orderNumber);
    const customer = stored || CUSTOMERS[/** @type {string} */ (q.get('customer'))] || CUSTOMERS.jane;
    const order = {
      customer_name: `${customer.first}, ${customer.last}`,
      customer_email: customer.email,
      marketing_opt_in: 'false',
      order_number: orderNumber,
      order_value: (stored && stored.value) || q.get('value') || '12.89',
      reward_category: q.get('reward_category') || '',
      voucher_code: (stored && stored.voucher) || q.get('voucher') || '',
    };
    let signedKeys = '';
    let signature = '';
    if (q.get('sign') !== '0') {
      signedKeys = 'order_number, customer_email' + (order.reward_category ? ', reward_category' : '');
      signature = sign({ ...order, signed_keys: signedKeys }, marketConfig.secret);
    }
    if (q.get('tamper') === '1') order.customer_email = 'someone.else@example.com';
    const summary = stored?.discount
      ? `<table class="totals" id="totals"><tr><th>The Good Mug</th><td>${pounds(stored.price)}</td></tr>
<tr><th>Friend voucher <code>${esc(order.voucher_code)}</code></th><td id="discount">−${pounds(stored.discount)}</td></tr>
<tr class="total"><th>Total</th><td id="order-total">${pounds(order.order_value)}</td></tr></table>`
      : '';
    return layout({
      title: 'Thank you',
      head: `<script src="${esc(script)}"></script>
<script src="/static/delivery.js"></script>`,
      body: `<main>
<h1>Thank you for your order</h1>
<p>Order <strong id="order-number">${esc(orderNumber)}</strong>, ${esc(order.order_value)} GBP.</p>
${summary}<h2>Referral tracking</h2>
<p class="muted">The SDK's <code>buyapowa:delivered</code>, <code>queued</code> and <code>rejected</code> events, as they happen:</p>
<ol class="deliveries" id="delivery-log" aria-live="polite"><li class="delivery" id="delivery-waiting">Sending the conversion…</li></ol>
<p><a href="/">Back to the shop</a></p>
<script type="text/javascript">
  var buyapowa = new Buyapowa({url: ${jsString(platform)}, market: ${jsString(market)}});
  var tracked = buyapowa.track({
    "customer_name": ${jsString(order.customer_name)},
    "customer_email": ${jsString(order.customer_email)},
    "marketing_opt_in": ${jsString(order.marketing_opt_in)},
    "order_number": ${jsString(order.order_number)},
    "order_value": ${jsString(order.order_value)},
    "reward_category": ${jsString(order.reward_category)}, //only required for intelligent rewards
    "voucher_code": ${jsString(order.voucher_code)},
    "signed_keys": ${jsString(signedKeys)}, //only if you want to sign the requests
    "signature": ${jsString(signature)}, //only if you want to sign the requests
    "locale": ${jsString(locale)}
  });
</script>
</main>`,
    });
  }

  /** `/spa/…`: one HTML shell for every route; the app imports the ESM build via an import map. */
  function spa() {
    const imports = {
      'buyapowa-sdk': `${platform}/sdk/index.js`,
      'js-cookie': `${platform}/vendor/js-cookie.mjs`,
      tslib: `${platform}/vendor/tslib.mjs`,
    };
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPA · Example Shop</title>
<link rel="stylesheet" href="/static/shop.css">
<script type="importmap">${JSON.stringify({ imports }).replace(/</g, '\\u003c')}</script>
<script type="module" src="/static/spa.js"></script>
</head>
<body data-platform="${esc(platform)}" data-market="${esc(market)}" data-campaign="${esc(campaign)}">
<nav class="top"><a href="/spa/" class="brand" data-route>SPA Shop</a>
<a href="/spa/" data-route id="nav-home">Home</a>
<a href="/spa/refer-a-friend" data-route id="nav-refer">Refer a friend</a>
<a href="/spa/about" data-route id="nav-about">About</a>
<a href="/">Plain pages</a></nav>
<main id="view" class="wide"><p>Loading…</p></main>
</body>
</html>
`;
  }

  // ---- Server ------------------------------------------------------------------------------

  /** @type {Record<string, (req: import('node:http').IncomingMessage, url: URL) => string>} */
  const routes = {
    '/': home,
    '/refer-a-friend': referAFriend,
    '/refer-a-friend/signed-in': signedIn,
    '/refer-a-friend/shopify': shopifyPage,
    '/checkout/thanks': thanks,
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(/** @type {string} */ (req.url), 'http://merchant.invalid');
    const pathname = url.pathname.replace(/(.)\/$/, '$1');
    if (req.method === 'POST' && pathname === '/checkout') return checkout(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', { 'Content-Type': 'text/plain; charset=utf-8' });
    const extra = extraPages.get(pathname);
    if (extra) return sendHtml(res, 200, typeof extra === 'function' ? await extra(req, url) : extra);
    if (Object.hasOwn(routes, pathname)) return sendHtml(res, 200, routes[pathname](req, url));
    if (pathname === '/spa' || pathname.startsWith('/spa/')) return sendHtml(res, 200, spa());
    if (pathname.startsWith('/static/')) return serveFile(req, res, path.join(here, 'static'), pathname.slice('/static/'.length));
    if (pathname === '/favicon.ico') return send(res, 204, '');
    return sendHtml(res, 404, layout({ title: 'Not found', body: '<main><h1>Not found</h1></main>' }));
  }

  /** POST /checkout: records the order, then shows the confirmation page (303). @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function checkout(req, res) {
    const { form, tooLarge } = await readForm(req, CHECKOUT_MAX_BYTES);
    if (tooLarge) return send(res, 413, 'Too large', { 'Content-Type': 'text/plain; charset=utf-8' });
    const [first, ...rest] = (form.get('name') || 'Jane Smith').trim().split(/\s+/);
    const orderNumber = 'ORDER-' + randomBytes(4).toString('hex').toUpperCase();
    const voucher = (form.get('voucher') || '').trim();
    const price = Number(form.get('value')) > 0 ? Number(form.get('value')) : PRICE;
    // A voucher takes the friend's offer off the total (a real shop checks the code first).
    const discount = voucher ? friendDiscount(friendOffer, price) : 0;
    orders.set(orderNumber, {
      first,
      last: rest.join(' '),
      email: (form.get('email') || 'jane@smith.com').trim(),
      voucher,
      price,
      discount,
      value: (price - discount).toFixed(2),
    });
    return redirect(res, 303, '/checkout/thanks?order=' + encodeURIComponent(orderNumber));
  }

  const httpServer = createServer('merchant', handle);
  const bound = await listen(httpServer, port, host);
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    port: bound,
    close: () => close(httpServer),
    /** Adds (or replaces) a page, for tests: HTML, or a function of (req, url) returning HTML. */
    addPage(pagePath, page) {
      extraPages.set(pagePath, page);
    },
    orders,
  };
}
