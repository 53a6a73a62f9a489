// @vitest-environment node
// The built buyapowa-sdk/server entry, loaded as a merchant's Node 20 server would: through the
// package's exports map (self-reference), once as ESM and once as CommonJS. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const SCRIPT = (load: string) => `
${load}
const out = {
  login: s.sign({ name: 'John Doe', email: 'john@doe.com', signed_keys: 'name, email' }, 'afd46269f68a4b63b6a926d8bad9f5b5'),
  verified: s.verify({ customer_email: 'john@doe.com', order_number: 'ORDER123', signed_keys: 'order_number, customer_email',
    signature: '351381bad6a8c4c3ca0baff383bf64b5248e6ba467314b88c84e3d5e9c91da33' }, 'afd46269f68a4b63b6a926d8bad9f5b5'),
  bpE: s.encryptBpE({ email: 'john@doe.com', name: 'John Doe', auto: 'true' }, 'fd7cf959-8a3d-431e-975b-b5d3f36aa710'),
  exports: Object.keys(s).sort(),
};
console.log(JSON.stringify(out));`;

const run = (args: string[]) => JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }));

describe('the built server entry', { timeout: 60000 }, () => {
  const expected = {
    login: 'e8ca91ebc4b1d0831086f1d93ce76b9f15fbebf23883dcbf1361194752befb22',
    verified: true,
    bpE: 'xXqWA%2B4gNXzWJ%2BRdmPRylfonBLMkpHtAM3ybYHpm7t6YPRCLQvyYwVKoyC9nQic4y3YPTWWICC0p1pEG995WgQ%3D%3D',
    exports: [
      'BuyapowaError',
      'autoSignupUrl',
      'createReferralConfirmedWebhook',
      'createRelay',
      'createSegmentationHandler',
      'createShopifyOrdersWebhook',
      'decodeReferral',
      'decryptBpE',
      'encryptBpE',
      'sign',
      'signFields',
      'toNodeListener',
      'verify',
    ],
  };

  test('import("buyapowa-sdk/server") works in Node and reproduces the guide vectors', () => {
    expect(run(['--input-type=module', '-e', SCRIPT("const s = await import('buyapowa-sdk/server');")])).toEqual(expected);
  });

  test('require("buyapowa-sdk/server") works in Node and reproduces the guide vectors', () => {
    expect(run(['-e', SCRIPT("const s = require('buyapowa-sdk/server');")])).toEqual(expected);
  });
});
