#!/usr/bin/env node
// npm run demo: checks its ports, builds the SDK, then starts the dev platform and the example
// merchant on host names that work in Chromium and Firefox without setup (*.localhost is
// loopback), plus a referrer to start with.
//   npm run demo -- [--platform-port 8787] [--merchant-port 8788] [--domain shop.localhost] [--market demo] [--skip-build] [--verbose]
import { spawnSync } from 'node:child_process';
import { fail, parseOptions, portOption, portProblem, probePort, START_ERROR } from './cli.js';

const SCRIPT = 'npm run demo';
const HOST = '127.0.0.1';
const USAGE = 'Usage: npm run demo -- [--platform-port 8787] [--merchant-port 8788] [--domain shop.localhost] [--market demo] [--skip-build] [--verbose]';
const values = parseOptions(SCRIPT, {
  'platform-port': { type: 'string', default: '8787' },
  'merchant-port': { type: 'string', default: '8788' },
  domain: { type: 'string', default: 'shop.localhost' },
  market: { type: 'string', default: 'demo' },
  'skip-build': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const platformPort = portOption(SCRIPT, 'platform-port', values['platform-port']);
const merchantPort = portOption(SCRIPT, 'merchant-port', values['merchant-port']);
if (platformPort === merchantPort && platformPort !== 0)
  fail(SCRIPT, `--platform-port and --merchant-port expected two different ports, received ${platformPort} for both`);
if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(values.domain))
  fail(SCRIPT, `--domain expected a host name like "shop.localhost", received ${JSON.stringify(values.domain)}`);

// The ports first: a busy one is known in a moment, not after the build.
for (const [option, port] of /** @type {[string, number][]} */ ([
  ['platform-port', platformPort],
  ['merchant-port', merchantPort],
])) {
  const problem = await probePort(port, HOST);
  if (problem) fail(SCRIPT, portProblem(problem, option, HOST), START_ERROR);
}

if (!values['skip-build']) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0)
    fail(SCRIPT, `the build (npm run build) failed with exit code ${build.status}; expected it to succeed: see its output above`, START_ERROR);
}

// Imported after the build: both servers load dist/server.js.
const { createPlatform } = await import('./platform/platform.js');
const { createMerchant } = await import('./merchant/merchant.js');
let platform;
let merchant;
let platformUrl;
let merchantUrl;
try {
  platform = await createPlatform({ port: platformPort, host: HOST, verbose: values.verbose });
  platformUrl = `http://bp.${values.domain}:${platform.port}`;
  merchant = await createMerchant({ port: merchantPort, host: HOST, platformUrl, market: values.market });
  merchantUrl = `http://www.${values.domain}:${merchant.port}`;
  platform.setMerchantUrl(merchantUrl + '/');
} catch (caught) {
  const error = /** @type {Error & { syscall?: string }} */ (caught);
  await platform?.close();
  const option = platform ? 'merchant-port' : 'platform-port';
  fail(SCRIPT, error.syscall === 'listen' ? portProblem(error, option, HOST) : error.message, START_ERROR);
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
