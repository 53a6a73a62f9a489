#!/usr/bin/env node
// npm run lint:package: checks the package as npm would publish it, after a build.
// publint --strict (exports, files, fields) and Are the Types Wrong? on the packed tarball,
// under its strict profile: every entry under node10, node16 (from CJS and ESM) and bundler.
// `npm pack --ignore-scripts`, so the prepack build does not run a second time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
const scratch = mkdtempSync(join(tmpdir(), 'buyapowa-sdk-pack-'));
try {
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }),
  );
  run('npx', ['--no-install', 'publint', '--strict']);
  run('npx', ['--no-install', 'attw', '--profile', 'strict', '--format', 'table', join(scratch, filename)]);
} catch (error) {
  process.exitCode = error.status || 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
