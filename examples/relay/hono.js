// The relay in Hono (illustrative: `npm install hono`). Hono hands handlers the web Request, so
// createRelay mounts as is; the same app runs on Node (@hono/node-server), Bun, Deno and Workers.
import { Hono } from 'hono';
import { createRelay, createSegmentationHandler } from 'buyapowa-sdk/server';

const relay = createRelay({
  market: process.env.BUYAPOWA_MARKET,
  authToken: process.env.BUYAPOWA_AUTH_TOKEN,
  secret: process.env.BUYAPOWA_SECRET,
});
const segmentation = createSegmentationHandler({
  auth: { username: 'buyapowa', password: process.env.SEGMENTATION_PASSWORD },
  friend: async (email) => email.endsWith('@staff.your-website.com'),
});

const app = new Hono();
app.all('/buyapowa/*', (c) => relay(c.req.raw));
app.get('/api/customer', (c) => segmentation(c.req.raw));

export default app;
