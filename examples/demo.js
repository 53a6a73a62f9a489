#!/usr/bin/env node
// npm run demo: the dev platform and the example merchant on fixed ports, on host names that
// work in Chromium and Firefox without setup (*.localhost is loopback), plus a referrer to start.
//   node examples/demo.js [--platform-port 8787] [--merchant-port 8788] [--domain shop.localhost] [--verbose]
import { parseArgs } from 'node:util';
import { createPlatform } from './platform/platform.js';
import { createMerchant } from './merchant/merchant.js';

const { values } = parseArgs({
  options: {
    'platform-port': { type: 'string', default: '8787' },
    'merchant-port': { type: 'string', default: '8788' },
    domain: { type: 'string', default: 'shop.localhost' },
    market: { type: 'string', default: 'demo' },
    verbose: { type: 'boolean', default: false },
  },
});
const platformPort = Number(values['platform-port']);
const merchantPort = Number(values['merchant-port']);
let platform;
let merchant;
let platformUrl;
let merchantUrl;
try {
  platform = await createPlatform({ port: platformPort, verbose: values.verbose });
  platformUrl = `http://bp.${values.domain}:${platform.port}`;
  merchant = await createMerchant({ port: merchantPort, platformUrl, market: values.market });
  merchantUrl = `http://www.${values.domain}:${merchant.port}`;
  platform.setMerchantUrl(merchantUrl + '/');
} catch (error) {
  console.error(error.code == 'EADDRINUSE' ? `Port ${error.port} is busy: pick others with --platform-port N --merchant-port M.` : error.message);
  await platform?.close();
  process.exit(1);
}
const john = platform.createReferrer({ market: values.market, name: 'John Doe', email: 'john@doe.com' });

console.log(`
Buyapowa SDK demo (market "${values.market}")

  Merchant site      ${merchantUrl}/
  Platform           ${platformUrl}/dashboard

The referral loop:
  1. Refer:   ${merchantUrl}/refer-a-friend            sign up in the embedded campaign to get a share link
              ${merchantUrl}/refer-a-friend/signed-in  (or: seamless login, signed on the merchant's server)
  2. Share:   ${platformUrl}${john.share_path}                 John Doe's share link, ready to use
  3. Land:    the link redirects to the shop with ?bp_e=…; the SDK remembers the referral
  4. Buy:     press "Buy now"; the thank-you page runs the guide's tracking tag
  5. Check:   ${platformUrl}/dashboard shows the conversion credited to John, "via landing"

Also: ${merchantUrl}/spa/ (the ESM build in a framework-free SPA).
Press Ctrl+C to stop.`);

const stop = async () => {
  await Promise.all([platform.close(), merchant.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
