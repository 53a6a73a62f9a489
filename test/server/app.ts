// The test application: every handler of buyapowa-sdk/server behind one fetch handler, as a
// merchant mounts them. The Node test serves it with toNodeListener; the workerd test bundles it.
import { createReferralConfirmedWebhook, createRelay, createSegmentationHandler, createShopifyOrdersWebhook } from '../../src/server';

export interface AppEnv {
  /** The Referral tracking API (a fake in tests). */
  UPSTREAM: string;
  MARKET: string;
  AUTH_TOKEN: string;
  SECRET: string;
  SHOPIFY_SECRET: string;
  HOOK_PASSWORD: string;
}

export function createApp(env: AppEnv): (request: Request) => Promise<Response> {
  const upstream = { market: env.MARKET, authToken: env.AUTH_TOKEN, baseUrl: env.UPSTREAM };
  const relay = createRelay({
    ...upstream,
    secret: env.SECRET,
    cookieDomain: 'shop.test',
    attributionDays: 60,
    allowedOrigins: ['https://checkout.shop.test'],
  });
  const shopify = createShopifyOrdersWebhook({ ...upstream, shopifySecret: env.SHOPIFY_SECRET });
  const auth = { username: 'buyapowa', password: env.HOOK_PASSWORD };
  // What onEvent receives goes to the fake upstream too, so a test in another process sees it.
  const confirmed = createReferralConfirmedWebhook(
    async (event) => {
      const response = await fetch(env.UPSTREAM + '/__events', {
        method: 'POST',
        body: JSON.stringify(event),
        headers: { 'content-type': 'application/json' },
      });
      if (!response.ok) throw new Error('event store answered ' + response.status);
    },
    { auth },
  );
  const segmentation = createSegmentationHandler({
    auth,
    customer: ({ membership_number }) => membership_number === 'ABCD',
    friend: async (email) => email === 'known@shop.test',
  });
  return (request) => {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/buyapowa/')) return relay(request);
    if (path === '/hooks/shopify/orders') return shopify(request);
    if (path === '/hooks/referral-confirmed') return confirmed(request);
    if (path === '/api/customer') return segmentation(request);
    return Promise.resolve(new Response('not found', { status: 404 }));
  };
}
