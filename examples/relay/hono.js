// The relay in Hono (`npm install hono`; test/server/relay-frameworks.test.ts runs it). Hono hands handlers the web Request, so
// createRelay mounts as is; the same app runs on Node (@hono/node-server), Bun, Deno and Workers.
import { Hono } from 'hono';
import { createRelay, createSegmentationHandler } from 'buyapowa-sdk/server';

// The casts only tell the type-checker that your environment sets these (the handlers throw a
// BuyapowaError naming each missing one when it does not).
const relay = createRelay({
  market: /** @type {string} */ (process.env.BUYAPOWA_MARKET),
  authToken: /** @type {string} */ (process.env.BUYAPOWA_AUTH_TOKEN),
  secret: process.env.BUYAPOWA_SECRET,
});
const segmentation = createSegmentationHandler({
  auth: { username: 'buyapowa', password: /** @type {string} */ (process.env.SEGMENTATION_PASSWORD) },
  friend: async (email) => email.endsWith('@staff.your-website.com'),
});

const app = new Hono();
app.all('/buyapowa/*', (c) => relay(c.req.raw));
app.get('/api/customer', (c) => segmentation(c.req.raw));

export default app;
