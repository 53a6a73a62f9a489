// The relay as a Cloudflare Worker, routed at your-website.com/buyapowa/* (wrangler.toml:
// routes = [{ pattern = "your-website.com/buyapowa/*", zone_name = "your-website.com" }]).
// Secrets: `wrangler secret put BUYAPOWA_AUTH_TOKEN` and `BUYAPOWA_SECRET`; the market id is a var.
// The handler keeps no state, so every Worker instance serves any request. No compatibility flag
// is needed: wrangler bundles with the `workerd` condition, which picks buyapowa-sdk's fetch-only
// build of ./server (dist/server.worker.js, no node: imports).
import { createRelay } from 'buyapowa-sdk/server';

export default {
  /** @param {Request} request @param {{ BUYAPOWA_MARKET: string, BUYAPOWA_AUTH_TOKEN: string, BUYAPOWA_SECRET: string }} env */
  fetch(request, env) {
    const relay = createRelay({
      market: env.BUYAPOWA_MARKET,
      authToken: env.BUYAPOWA_AUTH_TOKEN,
      secret: env.BUYAPOWA_SECRET,
      cookieDomain: 'your-website.com',
    });
    return relay(request);
  },
};
