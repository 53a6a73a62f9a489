#!/usr/bin/env node
// The dev platform on its own: npm run platform -- --port 8787 [--merchant URL] [--host H] [--verbose]
import { parseArgs } from 'node:util';
import { createPlatform } from './platform.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    merchant: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run platform -- [--port 8787] [--host 127.0.0.1] [--merchant http://www.shop.localhost:8788/] [--verbose]');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port expected a port number (0-65535), received ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const platform = await createPlatform({ port, host: values.host, merchantUrl: values.merchant, verbose: values.verbose });
console.log(`Buyapowa dev platform on ${platform.url} (answers to any host name on this port)
  dashboard      ${platform.url}/dashboard
  campaign       ${platform.url}/iaf/refer-a-friend?market=demo   (embedded by the SDK)
  script tag     ${platform.url}/embedding.min.js
  conversions    POST ${platform.url}/track
  share links    ${platform.url}/r/<code> → ${values.merchant || '(set --merchant URL)'}
  state (JSON)   ${platform.url}/api/state`);

const stop = () => platform.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
