// The dev platform and the example merchant on free ports, reached by real host names (mapped to
// 127.0.0.1 by Chromium's --host-resolver-rules), and Debian's Chromium through playwright-core.
// The same setup as test/chromium/harness.ts, in plain JS so `node bench/run.js` needs no compiler;
// Chromium is launched exactly as the browser tests do (test/chromium/chromium.js).
import { createPlatform } from '../examples/platform/platform.js';
import { createMerchant } from '../examples/merchant/merchant.js';

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../test/chromium/chromium.js';

/** Platform at bp.shop.test (the market domain), merchant at www.shop.test, market "demo". */
export async function startStack() {
  const market = 'demo';
  const platform = await createPlatform();
  const platformUrl = `http://bp.shop.test:${platform.port}`;
  const merchant = await createMerchant({ platformUrl, market, campaign: 'refer-a-friend' }).catch(async (error) => {
    await platform.close();
    throw error;
  });
  const merchantUrl = `http://www.shop.test:${merchant.port}`;
  platform.setMerchantUrl(merchantUrl + '/');
  // POST /__control over HTTP: { track: 'down' } drops every /track connection, { track: null } restores.
  const control = async (body) => {
    const response = await fetch(platform.url + '/__control', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error('/__control answered ' + response.status);
  };
  return {
    market,
    platform,
    merchant,
    platformUrl,
    merchantUrl,
    control,
    close: () => Promise.all([platform.close(), merchant.close()]),
  };
}
