#!/usr/bin/env node
// The example merchant site alone: node examples/merchant/server.js --platform http://bp.shop.localhost:8787 [--port 8788] [--market demo]
import { parseArgs } from 'node:util';
import { createMerchant } from './merchant.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    platform: { type: 'string', default: 'http://bp.shop.localhost:8787' },
    market: { type: 'string', default: 'demo' },
    campaign: { type: 'string', default: 'refer-a-friend' },
  },
});
const merchant = await createMerchant({
  port: Number(values.port),
  host: values.host,
  platformUrl: values.platform,
  market: values.market,
  campaign: values.campaign,
});
console.log(`Example merchant on ${merchant.url} (any host name), using the platform at ${values.platform}`);
const stop = () => merchant.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
