#!/usr/bin/env node
// buyapowa-shopify: writes the Shopify files of a Buyapowa refer-a-friend programme.
// A thin wrapper around generateShopifySnippets (buyapowa-sdk/shopify): it parses and
// validates the flags, writes the files, and prints what to do next.
import { mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The SDK, from the build. The specifier is a variable so that type-checking needs no build:
// the types are the source's.
const BUILT = '../dist/shopify.js';

/** @typedef {import('../src/shopify').ShopifySnippetOptions} ShopifySnippetOptions */
/**
 * The parsed flags, by option name: the value of a flag that takes one, `true` for one that
 * does not.
 * @typedef {Record<string, string | true> & { out?: string }} Values
 */
/**
 * Where the CLI writes, and the folder --out is resolved against.
 * @typedef {{ stdout: { write(text: string): unknown }, stderr: { write(text: string): unknown }, cwd: string }} Io
 */

const USAGE = `Usage: npx -p buyapowa-sdk buyapowa-shopify --market-domain <host> --market <id> --campaign <slug> [options]

Writes the files that connect a Shopify store to a Buyapowa refer-a-friend programme,
with an INSTALL.md that walks the merchant through them.

Required:
  --market-domain <host>   your market domain (cookie subdomain), e.g. bp.your-shop.com
  --market <id>            your market id
  --campaign <slug>        your campaign slug

Options:
  --locale <code>          campaign language, e.g. en or pt-BR (default: the shopper's)
  --out <dir>              where to write the files (default: ./buyapowa-shopify)
  --legacy-order-status    also write the legacy Additional scripts file (that box was
                           turned off on 2025-08-28 for Plus, 2026-08-26 for other plans)
  --consent <mode>         shopify (default): store referral clicks only once Shopify's
                           cookie banner allows marketing; granted: store them at once
  --scheme <scheme>        https (default); http only for a local dev platform
  --relay <url-or-path>    a real Buyapowa account: your relay (createRelay), e.g.
                           https://www.your-shop.com/buyapowa or /buyapowa. Shopify's order
                           webhooks then record every order (INSTALL.md step 5), the custom
                           pixel sends nothing, and the snippet tells clicks to {relay}/click.
                           Default: none (the dev platform: the pixel posts to the market domain)
  -h, --help               show this help
  --version                show the version
`;

/**
 * Flag name to option name, and whether the flag takes a value.
 * @type {Record<string, [name: string, takesValue: boolean]>}
 */
const FLAGS = {
  '--market-domain': ['marketDomain', true],
  '--market': ['market', true],
  '--campaign': ['campaign', true],
  '--locale': ['locale', true],
  '--out': ['out', true],
  '--legacy-order-status': ['legacyOrderStatus', false],
  '--consent': ['consent', true],
  '--scheme': ['scheme', true],
  '--relay': ['relay', true],
  '--help': ['help', false],
  '--version': ['version', false],
};
/**
 * Short flags and the long flag each stands for.
 * @type {Record<string, string>}
 */
const SHORT = { '-h': '--help' };
/** @param {string} option */
const flagOf = (option) => Object.keys(FLAGS).find((f) => FLAGS[f][0] === option) || option;
/** @param {unknown} v */
const show = (v) => (v === undefined ? 'nothing' : JSON.stringify(v));
const TIMES = ['never', 'once', 'twice'];
/**
 * `"a" and "b"`, `"a", "b" and "c"`.
 * @param {unknown[]} values
 */
const listed = (values) =>
  values
    .map(show)
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');

/**
 * Edit distance, for "did you mean".
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function distance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * @param {string[]} argv
 * @returns {{ values: Values, problems: string[] }}
 */
function parse(argv) {
  /** @type {Values} */
  const values = {};
  /** @type {string[]} */
  const problems = [];
  /**
   * Flag to the values it was given (`true` for a flag without value), to report repeats.
   * @type {Record<string, (string | true)[]>}
   */
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = SHORT[argv[i]] || argv[i];
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument ${show(arg)}: every value follows its option, e.g. --market ${arg}`);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (!spec) {
      const near = Object.keys(FLAGS).find((f) => distance(f, flag) <= 2);
      problems.push(`unknown option ${flag} (${near ? `did you mean ${near}? ` : ''}expected one of ${Object.keys(FLAGS).join(', ')})`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++; // its value
      continue;
    }
    const [name, takesValue] = spec;
    if (!takesValue) {
      if (eq > 0) problems.push(`${flag} expected no value, received ${show(arg.slice(eq + 1))}`);
      else (given[flag] ||= []).push((values[name] = true));
      continue;
    }
    /** @type {string | undefined} */
    let value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (eq < 0) {
      if (value === undefined || (value.startsWith('--') && FLAGS[value.split('=')[0]])) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') problems.push(`${flag} expected a value, received ${value === '' ? '""' : 'nothing'}`);
    else (given[flag] ||= []).push((values[name] = value));
  }
  // A repeated flag is a mistake whichever value was meant, so neither is used.
  for (const [flag, list] of Object.entries(given))
    if (list.length > 1) {
      const times = TIMES[list.length] || `${list.length} times`;
      problems.push(`${flag} expected once, received ${times}${FLAGS[flag][1] ? ` (${listed(list)})` : ''}`);
      if (FLAGS[flag][0] !== 'help') delete values[FLAGS[flag][0]];
    }
  return { values, problems };
}

/**
 * @param {string[]} argv
 * @param {Io} io
 * @returns {Promise<number>}
 */
async function main(argv, io) {
  const { values, problems } = parse(argv);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    const pkg = await import('../package.json', { with: { type: 'json' } });
    io.stdout.write(pkg.default.version + '\n');
    return 0;
  }
  /** @type {typeof import('../src/shopify')} */
  let api;
  try {
    api = await import(BUILT);
  } catch (error) {
    io.stderr.write(`buyapowa-shopify: cannot load dist/shopify.js (${/** @type {Error} */ (error).message}). Run "npm run build" first.\n`);
    return 1;
  }
  const { out = 'buyapowa-shopify', help, version, ...parsed } = values;
  // Unchecked strings so far: the required ones are checked below, and validateShopifyOptions
  // names every value that is not what ShopifySnippetOptions says.
  const options = /** @type {ShopifySnippetOptions} */ (/** @type {unknown} */ (parsed));
  for (const required of ['marketDomain', 'market', 'campaign'])
    if (!(required in options) && !problems.some((p) => p.startsWith(flagOf(required) + ' ')))
      problems.push(
        `${flagOf(required)} is required (${required === 'marketDomain' ? 'a host name like "bp.your-shop.com"' : 'from your client services manager'}), received nothing`,
      );
  for (const p of api.validateShopifyOptions(options))
    if (p.option in options) problems.push(`${flagOf(p.option)} expected ${p.expected}, received ${show(p.received)}.${p.hint ? ' ' + p.hint : ''}`);
  if (problems.length) {
    io.stderr.write(problems.map((p) => 'buyapowa-shopify: ' + p + '\n').join('') + 'Run npx -p buyapowa-sdk buyapowa-shopify --help for usage.\n');
    return 2;
  }
  // The documentation's example values still work, so they are a warning, not an error.
  for (const p of api.findShopifyPlaceholders(options))
    io.stderr.write(`buyapowa-shopify: warning: ${flagOf(p.option)} expected ${p.expected}, received ${show(p.received)}. ${p.hint}\n`);

  const files = api.generateShopifySnippets(options);
  const dir = resolve(io.cwd, out);
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isFile()) throw new Error(`${out} is a file, not a folder`);
    for (const [path, content] of Object.entries(files)) {
      const target = join(dir, ...path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  } catch (error) {
    io.stderr.write(`buyapowa-shopify: --out could not be written: ${/** @type {Error} */ (error).message}\n`);
    return 1;
  }

  const shown = relative(io.cwd, dir) || '.';
  const list = Object.keys(files)
    .map((p) => '  ' + join(shown, ...p.split('/')) + '\n')
    .join('');
  io.stdout.write(`Wrote ${Object.keys(files).length} files for market "${options.market}", campaign "${options.campaign}":
${list}
Next steps (the merchant needs no developer, Node or terminal for them${options.relay ? ', except for the server behind step 5' : ''}):
  1. Open ${join(shown, 'INSTALL.md')} and follow it (about 30 minutes, copy and paste only).
  2. DNS (step 1): the market domain's two CNAME records, at the domain's registrar or in Shopify.
  3. Theme (steps 3 and 4): add the snippet to layout/theme.liquid and create the refer-a-friend page.
${
  options.relay
    ? `  4. Settings > Notifications > Webhooks (step 5): Order creation and Order cancellation,
     both to your orders webhook (createShopifyOrdersWebhook; examples/shopify/WEBHOOK.md).
     They record every order, with the referral from the cart; no pixel can sign one.
  5. Settings > Customer events (step 6): custom-pixel.js, a check that sends nothing.
  6. Place a test order from a referral link with the Console open, then cancel it (step 7).
`
    : `  4. Settings > Customer events (step 5): add custom-pixel.js as a custom pixel, then Connect it.
     It replaces the old Additional scripts, which Shopify turned off on 2025-08-28 (Plus)
     and 2026-08-26 (all other plans).
  5. Place a test order from a referral link with the Network tab open (step 6).
`
}`);
  return 0;
}

/**
 * Runs the CLI with `argv` (the arguments after the command name) and resolves with its exit
 * status. Output goes to `io.stdout` and `io.stderr`, and --out is resolved against `io.cwd`:
 * the bin runs it with the process's own; tests run it in-process with their own.
 * @param {string[]} argv
 * @param {Io} [io]
 * @returns {Promise<number>}
 */
export async function run(argv, io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }) {
  try {
    return await main(argv, io);
  } catch (error) {
    io.stderr.write(`buyapowa-shopify: ${error && /** @type {Error} */ (error).message}\n`);
    return 1;
  }
}

// Run as a command (also through npm's bin link), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) run(process.argv.slice(2)).then((code) => (process.exitCode = code));
