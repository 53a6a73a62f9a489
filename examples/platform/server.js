#!/usr/bin/env node
// The dev platform on its own: npm run platform -- --port 8787 [--merchant URL] [--host H] [--verbose]
import { fail, parseOptions, portOption, portProblem, START_ERROR, urlOption } from '../cli.js';

const SCRIPT = 'npm run platform';
const USAGE = 'Usage: npm run platform -- [--port 8787] [--host 127.0.0.1] [--merchant http://www.shop.localhost:8788/] [--verbose]';
const values = parseOptions(SCRIPT, {
  port: { type: 'string', default: '8787' },
  host: { type: 'string', default: '127.0.0.1' },
  merchant: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = portOption(SCRIPT, 'port', values.port);
const merchantUrl = values.merchant === undefined ? undefined : urlOption(SCRIPT, 'merchant', values.merchant, 'http://www.shop.localhost:8788/');

// Imported once the command line is known good: the platform needs the build.
let createPlatform;
try {
  ({ createPlatform } = await import('./platform.js'));
} catch (error) {
  fail(SCRIPT, /** @type {Error} */ (error).message, START_ERROR);
}
let platform;
try {
  platform = await createPlatform({ port, host: values.host, merchantUrl, verbose: values.verbose });
} catch (caught) {
  const error = /** @type {Error & { syscall?: string }} */ (caught);
  fail(SCRIPT, error.syscall === 'listen' ? portProblem(error, 'port', values.host) : error.message, START_ERROR);
}
console.log(`Buyapowa dev platform on ${platform.url} (answers to any host name on this port)
  dashboard      ${platform.url}/dashboard
  campaign       ${platform.url}/iaf/refer-a-friend?market=demo   (embedded by the SDK)
  script tag     ${platform.url}/embedding.min.js
  conversions    POST ${platform.url}/track
  share links    ${platform.url}/r/<code> → ${merchantUrl || '(set --merchant URL)'}
  state (JSON)   ${platform.url}/api/state`);

const stop = () => platform.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
