// Property-based test of the script tag in real Chromium: dist/embedding.min.js loaded in a page
// of the example merchant, fast-check running inside the page (test/fuzz/browser-entry.ts).
// Whatever window.Buyapowa is given, with or without `new`, nothing throws into the page, no
// error goes uncaught, every track promise settles, and no prototype changes. Sends are answered
// in the page by a fetch stub (201): the network path has its own browser tests; 10,000 real
// sends would only make this one slow.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../chromium/harness';
import type { FuzzOutcome } from './browser-entry';
import { FUZZ_PATH, FUZZ_RUNS, FUZZ_SEED, FUZZ_TEST_TIMEOUT_MS } from './settings';

const t = useStack();
let fuzzBundle: string;

beforeAll(async () => {
  const entry = fileURLToPath(new URL('./browser-entry.ts', import.meta.url));
  const result = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', logLevel: 'silent' });
  fuzzBundle = result.outputFiles[0].text;
});

describe('fuzz: the script tag in Chromium', { timeout: FUZZ_TEST_TIMEOUT_MS }, () => {
  it(`window.Buyapowa never throws or leaves an uncaught error, over ${FUZZ_RUNS} generated inputs`, async () => {
    const pageErrors: string[] = [];
    t.page.on('pageerror', (error) => pageErrors.push(error.message));
    await t.page.addInitScript(() => {
      window.fetch = async () => new Response('{"status":"created"}', { status: 201, headers: { 'content-type': 'application/json' } });
      Object.defineProperty(navigator, 'sendBeacon', { value: () => true, configurable: true });
    });
    t.stack.merchant.addPage(
      '/fuzz',
      `<!doctype html><html><head><title>fuzz</title></head><body>
      <div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>
      <script src="${t.stack.platformUrl}/embedding.min.js"></script>
      </body></html>`,
    );
    await t.page.goto(t.stack.merchantUrl + '/fuzz?bp_e=token');
    await t.page.addScriptTag({ content: fuzzBundle });
    const outcome: FuzzOutcome = await t.page.evaluate(
      ([seed, runs, url, path]) =>
        (window as unknown as { fuzzScriptTag(s: number, r: number, u: string, p?: string): Promise<FuzzOutcome> }).fuzzScriptTag(seed, runs, url, path),
      [FUZZ_SEED, FUZZ_RUNS, t.stack.platformUrl, FUZZ_PATH] as const,
    );
    if (outcome.failure)
      throw new Error(`Fuzz failure with FUZZ_SEED=${FUZZ_SEED} (replay one case: FUZZ_SEED=… FUZZ_PATH=… from the line below):\n${outcome.failure}`);
    expect(outcome.runs).toBeGreaterThanOrEqual(FUZZ_RUNS);
    expect(outcome.uncaught).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The calls did report their problems, one console line each.
    expect(outcome.consoleLines).toBeGreaterThan(0);
  });
});
