// @vitest-environment node
// The dev scripts' messages: a wrong command line or a busy port gives one line on stderr
// saying what was expected and what arrived, never a stack trace, and a non-zero exit.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const PLATFORM = fileURLToPath(new URL('../../examples/platform/server.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../examples/demo.js', import.meta.url));

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The single line a failing script printed (and that it printed only that). */
async function oneLine(script: string, args: string[], code: number) {
  const result = await run(script, args);
  expect(result.code).toBe(code);
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at |Error:|node:internal/);
  return { line: lines[0], stdout: result.stdout };
}

// A port held open by this test, so the scripts meet EADDRINUSE.
let busy: net.Server;
let busyPort: number;
beforeAll(async () => {
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('npm run platform', () => {
  test('a misspelled option names the options it expected and the likely one', async () => {
    const { line } = await oneLine(PLATFORM, ['--prot', '9100'], 2);
    expect(line).toBe('npm run platform: unknown option "--prot"; expected --port, --host, --merchant, --verbose, --help (did you mean --port?)');
  });

  test('a port that is not a number', async () => {
    const { line } = await oneLine(PLATFORM, ['--port', 'eighty'], 2);
    expect(line).toBe('npm run platform: --port expected a port number (0-65535), received "eighty"');
  });

  test('a merchant URL without a scheme is refused', async () => {
    const { line } = await oneLine(PLATFORM, ['--merchant', 'www.shop.localhost:8788'], 2);
    expect(line).toBe(
      'npm run platform: --merchant expected an absolute http(s) URL, like "http://www.shop.localhost:8788/", received "www.shop.localhost:8788" (add the scheme: http://)',
    );
  });

  test('a busy port', async () => {
    const { line } = await oneLine(PLATFORM, ['--port', String(busyPort)], 1);
    expect(line).toBe(`npm run platform: port ${busyPort} on 127.0.0.1 is busy (EADDRINUSE); expected a free port: pick another with --port N`);
  });

  test('--help prints the usage and exits 0', async () => {
    const result = await run(PLATFORM, ['--help']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Usage: npm run platform -- \[--port 8787\]/);
  });
});

describe('npm run demo', () => {
  test('--port is unknown: the line names --platform-port and --merchant-port', async () => {
    const { line } = await oneLine(DEMO, ['--port', '9000'], 2);
    expect(line).toBe(
      'npm run demo: unknown option "--port"; expected --platform-port, --merchant-port, --domain, --market, --skip-build, --verbose, --help (did you mean --platform-port or --merchant-port?)',
    );
  });

  test('a positional argument', async () => {
    const { line } = await oneLine(DEMO, ['9000'], 2);
    expect(line).toBe(
      'npm run demo: unexpected argument "9000"; expected options only: --platform-port, --merchant-port, --domain, --market, --skip-build, --verbose, --help',
    );
  });

  test('the same port twice', async () => {
    const { line } = await oneLine(DEMO, ['--platform-port', '9100', '--merchant-port', '9100'], 2);
    expect(line).toBe('npm run demo: --platform-port and --merchant-port expected two different ports, received 9100 for both');
  });

  test('a busy port is reported before the build runs (nothing on stdout)', async () => {
    const { line, stdout } = await oneLine(DEMO, ['--merchant-port', String(busyPort), '--platform-port', '0'], 1);
    expect(line).toBe(`npm run demo: port ${busyPort} on 127.0.0.1 is busy (EADDRINUSE); expected a free port: pick another with --merchant-port N`);
    expect(stdout).toBe('');
  });
});
