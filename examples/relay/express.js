// The relay in Express (`npm install express` in your own app; test/server/relay-frameworks.test.ts runs it).
// Mount it BEFORE express.json(): the handlers read the raw body themselves.
import express from 'express';
import { createRelay, createShopifyOrdersWebhook, toNodeListener } from 'buyapowa-sdk/server';

// The casts only tell the type-checker that your environment sets these (the handlers throw a
// BuyapowaError naming each missing one when it does not).
const connection = {
  market: /** @type {string} */ (process.env.BUYAPOWA_MARKET),
  authToken: /** @type {string} */ (process.env.BUYAPOWA_AUTH_TOKEN),
};
const app = express();

// POST /buyapowa/track, POST /buyapowa/click, GET /buyapowa/track.gif
app.use('/buyapowa', toNodeListener(createRelay({ ...connection, secret: process.env.BUYAPOWA_SECRET, cookieDomain: 'your-website.com' })));
// Shopify → Settings → Notifications → Webhooks → "Order creation", URL https://your-website.com/hooks/shopify/orders
app.post(
  '/hooks/shopify/orders',
  toNodeListener(createShopifyOrdersWebhook({ ...connection, shopifySecret: /** @type {string} */ (process.env.SHOPIFY_WEBHOOK_SECRET) })),
);

app.use(express.json()); // after the Buyapowa handlers
app.listen(3000);
