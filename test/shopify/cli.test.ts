// @vitest-environment node
// The buyapowa-shopify CLI, run as a merchant would run it (needs `npm run build` first).
import { spawnSync } from 'node:child_process';
import { createContext, runInContext } from 'node:vm';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ROOT } from './helpers';
import { checkoutCompleted, sandbox } from './sandbox';
// @ts-expect-error: plain JS without types
import * as cli from '../../bin/buyapowa-shopify.js';

const BIN = join(ROOT, 'bin', 'buyapowa-shopify.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-cli-'));
  dirs.push(dir);
  return dir;
};
/** Runs the CLI in-process (its exported `run`, the one the bin calls) in `cwd`. */
const run = async (args: string[], cwd = tmp()) => {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => ((out.stdout += text), true) },
    stderr: { write: (text: string) => ((out.stderr += text), true) },
    cwd,
  };
  const code: number = await cli.run(args, io);
  return { code, ...out, cwd };
};
/** Runs bin/buyapowa-shopify.js in its own Node process in `cwd`, as a merchant does. */
const spawnBin = (args: string[], cwd = tmp()) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
};
const GOOD = ['--market-domain', 'bp.shop.com', '--market', 'demo', '--campaign', 'raf'];
/** GOOD with the flags of `args` taking the place of GOOD's own (a flag may be given once). */
const goodWith = (args: string[]): string[] => {
  const own = new Set(args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]));
  const kept = GOOD.flatMap((a, i) => (i % 2 || own.has(a) ? [] : [a, GOOD[i + 1]]));
  return [...kept, ...args];
};
const HELP_LINE = 'Usage: npx -p buyapowa-sdk buyapowa-shopify --market-domain <host> --market <id> --campaign <slug>';
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();

// The first case starts Node: a generous timeout for a busy machine (not a timing assertion).
describe('buyapowa-shopify', { timeout: 30000 }, () => {
  it('writes the files to ./buyapowa-shopify and prints the next steps (the bin in its own process)', () => {
    const { code, stdout, stderr, cwd } = spawnBin(GOOD);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(files(join(cwd, 'buyapowa-shopify'))).toEqual([
      'INSTALL.md',
      'custom-pixel.js',
      'theme/sections/buyapowa-refer-a-friend.liquid',
      'theme/snippets/buyapowa-referral.liquid',
      'theme/templates/page.refer-a-friend.json',
      'vintage-theme/templates/page.refer-a-friend.liquid',
    ]);
    expect(stdout).toContain('Wrote 6 files for market "demo", campaign "raf"');
    expect(stdout).toContain('Next steps (the merchant needs no developer, Node or terminal for them):');
    expect(stdout).toContain(join('buyapowa-shopify', 'INSTALL.md'));
    expect(stdout).toContain('Settings > Customer events (step 5)');
    expect(stdout).toContain('Place a test order from a referral link with the Network tab open (step 6)');
    expect(stdout).not.toContain('relay');
  });

  it('writes what the API generates, with --out, --locale and --legacy-order-status (also as --flag=value)', async () => {
    const out = join(tmp(), 'nested', 'shop files');
    const { code } = await run([...GOOD, '--out=' + out, '--locale', 'pt-BR', '--legacy-order-status']);
    expect(code).toBe(0);
    const api = await import(join(ROOT, 'dist', 'shopify.js'));
    const expected: Record<string, string> = api.generateShopifySnippets({
      marketDomain: 'bp.shop.com',
      market: 'demo',
      campaign: 'raf',
      locale: 'pt-BR',
      legacyOrderStatus: true,
    });
    expect(files(out)).toEqual(Object.keys(expected).sort());
    for (const [path, content] of Object.entries(expected)) expect(readFileSync(join(out, path), 'utf8')).toBe(content);
  });

  it.each([
    [
      ['--market-domain', 'https://bp.shop.com/'],
      '--market-domain expected a host name like "bp.your-shop.com", received "https://bp.shop.com/". Give the host name alone, without "https://" or a path.',
    ],
    [['--market-domain', 'shop'], '--market-domain expected a host name like "bp.your-shop.com", received "shop".'],
    [['--market', 'my market'], '--market expected your market id: letters, digits, ".", "_" or "-", starting with a letter or digit, received "my market".'],
    [['--campaign', ''], '--campaign expected a value, received ""'],
    [['--campaign', '-x'], '--campaign expected your campaign slug: letters, digits, ".", "_" or "-", starting with a letter or digit, received "-x".'],
    [['--locale', 'english'], '--locale expected a language code like "en" or "pt-BR", received "english".'],
    [['--consent', 'maybe'], '--consent expected "shopify" or "granted", received "maybe".'],
    [
      ['--colour', 'red'],
      'unknown option --colour (expected one of --market-domain, --market, --campaign, --locale, --out, --legacy-order-status, --consent, --scheme, --relay, --help, --version)',
    ],
    [['--legacy-order-status=yes'], '--legacy-order-status expected no value, received "yes"'],
    [
      ['--campain', 'raf'],
      'unknown option --campain (did you mean --campaign? expected one of --market-domain, --market, --campaign, --locale, --out, --legacy-order-status, --consent, --scheme, --relay, --help, --version)',
    ],
    [
      ['--market', '{{market}}'],
      '--market expected your market id: letters, digits, ".", "_" or "-", starting with a letter or digit, received "{{market}}". That is a placeholder of the integration guide: replace it with your own value.',
    ],
    [
      ['--market-domain', '{{market_domain}}'],
      '--market-domain expected a host name like "bp.your-shop.com", received "{{market_domain}}". That is a placeholder of the integration guide: replace it with your own value.',
    ],
    [['--market', 'demo', '--market', 'acme'], '--market expected once, received twice ("demo" and "acme")'],
    [['--locale=en', '--locale', 'fr', '--locale', 'de'], '--locale expected once, received 3 times ("en", "fr" and "de")'],
    [['--legacy-order-status', '--legacy-order-status'], '--legacy-order-status expected once, received twice'],
    [
      ['--relay', 'bp.shop.com/buyapowa'],
      '--relay expected a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa", received "bp.shop.com/buyapowa".',
    ],
    [
      ['--relay', '//www.shop.com/buyapowa'],
      '--relay expected a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa", received "//www.shop.com/buyapowa".',
    ],
    [
      ['--relay', 'https://www.shop.com/buyapowa?key=1'],
      '--relay expected a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa", received "https://www.shop.com/buyapowa?key=1". Leave out the query and the fragment: the snippet adds "/click" to it.',
    ],
    [
      ['--relay', 'http://www.shop.com/buyapowa'],
      '--relay expected a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa", received "http://www.shop.com/buyapowa". A relay on a real store is https; http is only for a local dev platform (with scheme "http").',
    ],
    [['--relay', '/buya powa'], '--relay expected a URL like "https://www.your-shop.com/buyapowa" or a path like "/buyapowa", received "/buya powa".'],
    [['stray'], 'unexpected argument "stray": every value follows its option, e.g. --market stray'],
  ])('rejects %j with its own message and exit code 2, writing nothing', async (bad, message) => {
    const { code, stdout, stderr, cwd } = await run(goodWith(bad));
    expect(stderr).toBe('buyapowa-shopify: ' + message + '\nRun npx -p buyapowa-sdk buyapowa-shopify --help for usage.\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(existsSync(join(cwd, 'buyapowa-shopify'))).toBe(false);
  });

  it('names every missing required option at once', async () => {
    const { code, stderr } = await run(['--locale', 'en']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'buyapowa-shopify: --market-domain is required (a host name like "bp.your-shop.com"), received nothing',
      'buyapowa-shopify: --market is required (from your client services manager), received nothing',
      'buyapowa-shopify: --campaign is required (from your client services manager), received nothing',
      'Run npx -p buyapowa-sdk buyapowa-shopify --help for usage.',
    ]);
  });

  it('treats a flag where a value should be as a missing value', async () => {
    const { code, stderr } = await run(['--market-domain', '--market', 'demo', '--campaign', 'raf']);
    expect(code).toBe(2);
    expect(stderr).toContain('buyapowa-shopify: --market-domain expected a value, received nothing\n');
  });

  it('fails with exit code 1 when --out is a file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'x');
    const { code, stderr } = await run([...GOOD, '--out', 'taken'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe('buyapowa-shopify: --out could not be written: taken is a file, not a folder\n');
  });

  it.each([[['--help']], [['-h']], [[...GOOD, '-h']]])('prints the help for %j, writing nothing', async (args) => {
    const { code, stdout, stderr, cwd } = await run(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith(HELP_LINE)).toBe(true);
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain('--relay <url-or-path>');
    expect(existsSync(join(cwd, 'buyapowa-shopify'))).toBe(false);
  });

  it('names a repeated flag once even when it is also the one that is required', async () => {
    const { code, stderr } = await run(['--market-domain', 'bp.shop.com', '--campaign', 'raf', '--market', 'a', '--market=b']);
    expect(code).toBe(2);
    expect(stderr).toBe('buyapowa-shopify: --market expected once, received twice ("a" and "b")\nRun npx -p buyapowa-sdk buyapowa-shopify --help for usage.\n');
  });

  it.each([
    ['the README', ['--market-domain', 'bp.your-shop.com', '--market', 'your-market', '--campaign', 'refer-a-friend'], ['--market-domain', '--market']],
    ['the integration guide', ['--market-domain', 'bp.your-website.com', '--market', 'acme', '--campaign', 'raf'], ['--market-domain']],
    ['a relay', [...GOOD, '--relay', 'https://www.your-shop.com/buyapowa'], ['--relay']],
  ])('warns once per placeholder value of %s left in, and still writes the files', async (_source, args, flags) => {
    const { code, stderr, stdout, cwd } = await run(args);
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[2])).toEqual(flags);
    for (const line of lines)
      expect(line).toMatch(
        /^buyapowa-shopify: warning: --[a-z-]+ expected your own [a-z' ]+, received "[^"]+"\. That is the example value of the documentation: .+\.$/,
      );
    expect(stdout).toContain('Wrote 6 files');
    expect(existsSync(join(cwd, 'buyapowa-shopify', 'INSTALL.md'))).toBe(true);
  });

  it('gives no warning for real values', async () => {
    const { code, stderr } = await run([...GOOD, '--relay', '/buyapowa']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it.each([
    ['a path', '/buyapowa/', '/buyapowa'],
    ['a URL', 'https://relay.shop.com/api/relay', 'https://relay.shop.com/api/relay'],
  ])('--relay with %s writes a custom pixel that sends nothing, and a snippet that tells clicks to the relay', async (_what, relay, resolved) => {
    const { code, cwd, stdout } = await run([...GOOD, '--relay', relay]);
    expect(code).toBe(0);
    expect(stdout).toContain('Settings > Notifications > Webhooks (step 5): Order creation and Order cancellation');
    expect(stdout).toContain('custom-pixel.js, a check that sends nothing');
    const snippet = readFileSync(join(cwd, 'buyapowa-shopify', 'theme/snippets/buyapowa-referral.liquid'), 'utf8');
    expect(snippet).toContain(`data-relay="${resolved}"`);
    const pixel = readFileSync(join(cwd, 'buyapowa-shopify', 'custom-pixel.js'), 'utf8');
    const fetch = vi.fn(async () => new Response('{}', { status: 201 }));
    const logs: string[] = [];
    const page = sandbox({ cookies: { bp_ref: encodeURIComponent(JSON.stringify({ v: 1, t: { bp_e: 'tok' }, at: 1, exp: 2 })) } });
    page.storage.set('bp_pixel_outbox:v2', '[{"left":"by an older pixel"}]');
    const sendBeacon = vi.fn(async () => true);
    page.globals.browser.sendBeacon = sendBeacon as never;
    const log = (line: string) => logs.push(line);
    runInContext(pixel, createContext({ ...page.globals, fetch, console: { info: log, warn: log, error: log }, setTimeout, clearTimeout }));
    page.emit(checkoutCompleted());
    await vi.waitFor(() => expect(logs).toHaveLength(1));
    // The order has no _bp_ref cart attribute while the browser holds a referral: the webhook would lose the referrer.
    expect(logs[0]).toContain('order 5210499102: this browser holds a referral but the order has no _bp_ref cart attribute');
    expect(fetch).not.toHaveBeenCalled();
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(page.storage.has('bp_pixel_outbox:v2')).toBe(false);
  });

  it('refuses --legacy-order-status with --relay: on a real account the orders webhook records every order', async () => {
    const { code, stderr } = await run([...GOOD, '--relay', '/buyapowa', '--legacy-order-status']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'buyapowa-shopify: --legacy-order-status expected false together with relay, received true. With a relay (a real account) your orders webhook records every order',
    );
  });

  it('writes an INSTALL.md a merchant can finish alone', async () => {
    const { cwd } = await run([...GOOD, '--locale', 'en']);
    const install = readFileSync(join(cwd, 'buyapowa-shopify', 'INSTALL.md'), 'utf8');
    const steps = [...install.matchAll(/^## Step (\d+): (.+)$/gm)].map((m) => +m[1]);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    // Every step ends with what the merchant should see.
    for (const section of install.split(/^## Step \d+: /m).slice(1)) expect(section).toContain('**You should see');
    // Node and a terminal are not needed, and the way to get the files without them is given.
    expect(install).toContain('**No developer, no Node.js and no terminal.**');
    expect(install).toContain('npx -p buyapowa-sdk buyapowa-shopify --market-domain bp.shop.com --market demo --campaign raf --locale en\n');
    // Where the CNAME records go, with an example row.
    expect(install).toContain('**Settings >\n  Domains**, click `shop.com`, then **Domain settings > Edit DNS settings**');
    expect(install).toContain('| CNAME | `bp` | *the target from Buyapowa* |');
    // The check works: watch the Thank you page open, and a reopened page is explained, not asked for.
    expect(install).toContain('tick **Preserve log**');
    expect(install).toContain('One request named `track` to bp.shop.com, with status **200** or **201**.');
    expect(install).toContain('Reloading or reopening the Thank you page sends **nothing** again');
    expect(install).not.toMatch(/open the Thank you page again/i);
    // A troubleshooting table, the webhook for markets that require signing, no dead end.
    const table = install.slice(install.indexOf('## Troubleshooting'));
    expect(table).toContain('| What you see | Why | What to do |');
    expect(table.split('\n').filter((l) => /^\| [^-]/.test(l)).length).toBeGreaterThanOrEqual(10);
    expect(install).toContain('## Optional: server-side order webhook');
    expect(install).toContain('[WEBHOOK.md](WEBHOOK.md)');
    expect(install).not.toContain('tell your client services\n  manager');
  });

  it('writes an INSTALL.md for a real account when --relay is given: webhooks, a checking pixel, cancellation', async () => {
    const { cwd } = await run([...GOOD, '--relay', '/buyapowa']);
    const install = readFileSync(join(cwd, 'buyapowa-shopify', 'INSTALL.md'), 'utf8');
    const steps = [...install.matchAll(/^## Step (\d+): (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(steps.slice(4)).toEqual([
      "5 record orders with Shopify's order webhooks",
      '6 add the checking pixel',
      '7 place a test order and check that it is recorded',
    ]);
    for (const section of install.split(/^## Step \d+: /m).slice(1)) expect(section).toContain('**You should see');
    expect(install).toContain('| Orders are recorded by | your orders webhook (step 5)');
    expect(install).toContain("| Your relay | your own store's address followed by `/buyapowa` |");
    expect(install).toContain('--campaign raf --relay /buyapowa\n');
    // The topics to subscribe, the key, and the test order ends with a cancellation.
    expect(install).toContain('Event: **Order creation**. Format: **JSON**.');
    expect(install).toContain('Event: **Order cancellation**');
    expect(install).toContain('"Your webhooks will be signed with …"');
    expect(install).toContain('click **Cancel order**');
    expect(install).toContain('set **Permission** to **Not required**');
    // No network check of a track request, no Additional scripts, no optional webhook section.
    expect(install).not.toContain('request named `track`');
    expect(install).not.toContain('## Optional: server-side order webhook');
    expect(install).not.toMatch(/## Step \d+ \(legacy/);
    expect(install).toContain('## After a theme update or a theme switch');
    expect(install).toContain('repeat the test\n   order of step 7');
  });

  it('says what to redo after a theme update or a theme switch, without --relay too', async () => {
    const { cwd } = await run(GOOD);
    const install = readFileSync(join(cwd, 'buyapowa-shopify', 'INSTALL.md'), 'utf8');
    const section = install.slice(install.indexOf('## After a theme update or a theme switch'));
    expect(section).toContain('**but not code edits** such as steps 3\nand 4');
    expect(section).toContain('do **step 3** again');
    expect(section).toContain('Do **step 4** again');
    expect(section).toContain('repeat the test\n   order of step 6');
  });

  it('prints the version', async () => {
    const version = await run(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
