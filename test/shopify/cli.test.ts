// @vitest-environment node
// The buyapowa-shopify CLI, run as a merchant would run it (needs `npm run build` first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers';

const BIN = join(ROOT, 'bin', 'buyapowa-shopify.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-cli-'));
  dirs.push(dir);
  return dir;
};
const run = (args: string[], cwd = tmp()) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
};
const GOOD = ['--market-domain', 'bp.shop.com', '--market', 'demo', '--campaign', 'raf'];
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();

describe('buyapowa-shopify', () => {
  it('writes the files to ./buyapowa-shopify and prints the next steps', () => {
    const { code, stdout, stderr, cwd } = run(GOOD);
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
    expect(stdout).toContain('Next steps:');
    expect(stdout).toContain(join('buyapowa-shopify', 'INSTALL.md'));
    expect(stdout).toContain('Settings > Customer events');
  });

  it('writes what the API generates, with --out, --locale and --legacy-order-status (also as --flag=value)', async () => {
    const out = join(tmp(), 'nested', 'shop files');
    const { code } = run([...GOOD, '--out=' + out, '--locale', 'pt-BR', '--legacy-order-status']);
    expect(code).toBe(0);
    const api = await import(join(ROOT, 'dist', 'shopify.js'));
    const expected: Record<string, string> = api.generateShopifySnippets({ marketDomain: 'bp.shop.com', market: 'demo', campaign: 'raf', locale: 'pt-BR', legacyOrderStatus: true });
    expect(files(out)).toEqual(Object.keys(expected).sort());
    for (const [path, content] of Object.entries(expected)) expect(readFileSync(join(out, path), 'utf8')).toBe(content);
  });

  it.each([
    [['--market-domain', 'https://bp.shop.com/'], '--market-domain expected a host name like "bp.your-shop.com", received "https://bp.shop.com/". Give the host name alone, without "https://" or a path.'],
    [['--market-domain', 'shop'], '--market-domain expected a host name like "bp.your-shop.com", received "shop".'],
    [['--market', 'my market'], '--market expected your market id: letters, digits, ".", "_" or "-", starting with a letter or digit, received "my market".'],
    [['--campaign', ''], '--campaign expected a value, received ""'],
    [['--campaign', '-x'], '--campaign expected your campaign slug: letters, digits, ".", "_" or "-", starting with a letter or digit, received "-x".'],
    [['--locale', 'english'], '--locale expected a language code like "en" or "pt-BR", received "english".'],
    [['--consent', 'maybe'], '--consent expected "shopify" or "granted", received "maybe".'],
    [['--colour', 'red'], 'unknown option --colour (expected one of --market-domain, --market, --campaign, --locale, --out, --legacy-order-status, --consent, --scheme, --help, --version)'],
    [['--legacy-order-status=yes'], '--legacy-order-status expected no value, received "yes"'],
    [['--campain', 'raf'], 'unknown option --campain (did you mean --campaign? expected one of --market-domain, --market, --campaign, --locale, --out, --legacy-order-status, --consent, --scheme, --help, --version)'],
    [['stray'], 'unexpected argument "stray": every value follows its option, e.g. --market stray'],
  ])('rejects %j with its own message and exit code 2, writing nothing', (bad, message) => {
    // The bad flag comes last, so it overrides the good value given before it.
    const { code, stdout, stderr, cwd } = run([...GOOD, ...bad]);
    expect(stderr).toBe('buyapowa-shopify: ' + message + '\nRun npx -p buyapowa-sdk buyapowa-shopify --help for usage.\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(existsSync(join(cwd, 'buyapowa-shopify'))).toBe(false);
  });

  it('names every missing required option at once', () => {
    const { code, stderr } = run(['--locale', 'en']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'buyapowa-shopify: --market-domain is required (a host name like "bp.your-shop.com"), received nothing',
      'buyapowa-shopify: --market is required (from your client services manager), received nothing',
      'buyapowa-shopify: --campaign is required (from your client services manager), received nothing',
      'Run npx -p buyapowa-sdk buyapowa-shopify --help for usage.',
    ]);
  });

  it('treats a flag where a value should be as a missing value', () => {
    const { code, stderr } = run(['--market-domain', '--market', 'demo', '--campaign', 'raf']);
    expect(code).toBe(2);
    expect(stderr).toContain('buyapowa-shopify: --market-domain expected a value, received nothing\n');
  });

  it('fails with exit code 1 when --out is a file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'x');
    const { code, stderr } = run([...GOOD, '--out', 'taken'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe('buyapowa-shopify: --out could not be written: taken is a file, not a folder\n');
  });

  it('prints help and the version', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npx -p buyapowa-sdk buyapowa-shopify --market-domain <host> --market <id> --campaign <slug>');
    const version = run(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
