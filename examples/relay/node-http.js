#!/usr/bin/env node
// The relay on plain node:http: every request under /buyapowa/ goes to createRelay, the rest is
// your site. Runs as is against the dev platform (npm run platform, then this):
//
//   BUYAPOWA_MARKET=demo BUYAPOWA_AUTH_TOKEN=fd7cf959-8a3d-431e-975b-b5d3f36aa710 \
//   BUYAPOWA_SECRET=afd46269f68a4b63b6a926d8bad9f5b5 node examples/relay/node-http.js --base-url http://127.0.0.1:8787
//
// Leave --base-url out to reach the real Referral tracking API (api.co-buying.com; --region na for .net).
// Needs the built package (npm run build): it imports buyapowa-sdk/server as your server would.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createRelay, toNodeListener } from 'buyapowa-sdk/server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    'base-url': { type: 'string' },
    region: { type: 'string', default: 'eu' },
    'cookie-domain': { type: 'string' },
  },
});

// Credentials come from the environment, never from flags (they would land in shell history).
const missing = ['BUYAPOWA_MARKET', 'BUYAPOWA_AUTH_TOKEN', 'BUYAPOWA_SECRET'].filter((name) => !process.env[name]);
if (missing.length) {
  console.error(`node-http.js: set ${missing.join(', ')} in the environment (your market id, auth token and secret key)`);
  process.exit(2);
}

// The casts only tell the type-checker what the checks above and createRelay's own ensure.
const relay = createRelay({
  market: /** @type {string} */ (process.env.BUYAPOWA_MARKET),
  authToken: /** @type {string} */ (process.env.BUYAPOWA_AUTH_TOKEN),
  secret: process.env.BUYAPOWA_SECRET,
  region: /** @type {import('buyapowa-sdk/server').RelayOptions['region']} */ (values.region),
  baseUrl: values['base-url'],
  cookieDomain: values['cookie-domain'],
});
const relayListener = toNodeListener(relay);

const server = http.createServer((req, res) => {
  if (/** @type {string} */ (req.url).startsWith('/buyapowa/')) return relayListener(req, res);
  // …the rest of your site.
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
});
server.listen(Number(values.port), values.host, () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  // The first line is read by test/server/examples.test.ts.
  console.log(`relay listening on http://${values.host}:${port}/buyapowa/`);
});
