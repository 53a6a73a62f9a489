// @vitest-environment node
// The package as npm would publish it (after `npm run build`): what `npm pack` ships, and the CLI,
// ESM, CJS and the script-tag entry run from the unpacked tarball, outside this repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file path package.json points at: main, module, types, exports, bin. */
function referencedFiles(): string[] {
  const paths: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') paths.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([pkg.main, pkg.module, pkg.types, pkg.exports, pkg.bin]);
  return [...new Set(paths.map((p) => p.replace(/^\.\//, '')))];
}

// npm pack and node start-ups take seconds on a busy machine.
const SLOW = 60000;

describe('npm pack', { timeout: SLOW }, () => {
  let scratch: string;
  let files: string[];
  let unpacked: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'buyapowa-sdk-package-test-'));
    // --ignore-scripts: the build already ran; prepack would run it again.
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }));
    files = packed.files.map((f: { path: string }) => f.path);
    execFileSync('tar', ['-xzf', join(scratch, packed.filename), '-C', scratch]);
    unpacked = join(scratch, 'package');
    // A project that depends on the package: node_modules/buyapowa-sdk is the unpacked tarball,
    // its own dependencies come from this repository's node_modules.
    const project = join(scratch, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(unpacked, join(project, 'node_modules', 'buyapowa-sdk'));
    symlinkSync(join(root, 'node_modules'), join(unpacked, 'node_modules'), 'dir');
  }, SLOW);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('ships every file package.json points at, the LICENSE and the README', () => {
    for (const file of referencedFiles()) expect(files, file).toContain(file);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/embedding.d.ts', 'dist/shopify-pixel.js']));
  });

  it('ships no sources, tests, examples or tooling', () => {
    expect(files.filter((f) => !/^(dist|bin)\//.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
  });

  it('runs the buyapowa-shopify bin from the tarball', () => {
    const bin = join(unpacked, pkg.bin['buyapowa-shopify']);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    const out = join(scratch, 'shopify-files');
    const stdout = execFileSync(process.execPath, [bin, '--market-domain', 'bp.shop.com', '--market', 'demo', '--campaign', 'refer-a-friend', '--out', out], {
      encoding: 'utf8',
      cwd: scratch,
    });
    expect(stdout).toContain('Wrote');
    expect(existsSync(join(out, 'INSTALL.md'))).toBe(true);
    expect(existsSync(join(out, 'custom-pixel.js'))).toBe(true);
  });

  it('loads every entry from a project, as ESM and as CommonJS; the script-tag and element entries do nothing on a server', () => {
    const project = join(scratch, 'project');
    // react and element: react is a devDependency here (a peer for users), so it resolves; on
    // Node, the element module has no HTMLElement and must still import without throwing.
    const entries = [
      'buyapowa-sdk',
      'buyapowa-sdk/server',
      'buyapowa-sdk/shopify',
      'buyapowa-sdk/api',
      'buyapowa-sdk/react',
      'buyapowa-sdk/element',
      'buyapowa-sdk/embedding.min.js',
    ];
    // Each entry with the sorted names of its exports.
    const print = (load: string) => `for (const e of ${JSON.stringify(entries)}) console.log(e, Object.keys(${load}).sort().join(','));`;
    for (const args of [
      ['--input-type=module', '-e', print('await import(e)')],
      ['-e', print('require(e)')],
    ]) {
      const lines = execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' }).trim().split('\n');
      expect(lines.map((l) => l.split(' ')[0])).toEqual(entries);
      const exports = Object.fromEntries(lines.map((l) => [l.split(' ')[0], (l.split(' ')[1] ?? '').split(',')]));
      expect(exports['buyapowa-sdk'].length).toBeGreaterThan(5);
      expect(exports['buyapowa-sdk/react']).toEqual(['BuyapowaError', 'BuyapowaProvider', 'ReferAFriend', 'useReferralCapture', 'useTrack']);
      expect(exports['buyapowa-sdk/element']).toEqual(expect.arrayContaining(['BuyapowaReferAFriendElement', 'TAG_NAME']));
    }
  });

  it("ships buyapowa-sdk/react as a client module for Next.js: 'use client' first, ESM and CommonJS", () => {
    for (const file of ['dist/react.js', 'dist/react.cjs'])
      expect(readFileSync(join(unpacked, file), 'utf8').trimStart(), file).toMatch(/^['"]use client['"];/);
  });
});
