// @vitest-environment node
// The same scenarios as test/server/node.test.ts, in Cloudflare's workerd through Miniflare: the
// test application bundled by esbuild into a module worker, its outbound fetches (the Referral
// tracking API) answered by a fake in this process. It runs with NO compatibility flags (no
// nodejs_compat): the bundle swaps the CSV helpers of the API client for their browser builds and
// leaves csv-parse/stream (`node:stream/web`) out, as rollup's server.worker build does
// (rollup.config.mjs, fetchOnlyCsv), so nothing in it needs Node.
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { APP_ENV, handlerScenarios, upstreamAnswer, type Received, type Target } from './handler-scenarios';
import type { Answer } from './relay-fixtures';

const ORIGIN = 'https://www.shop.test';
const UPSTREAM = 'https://api.test';
const dir = mkdtempSync(join(tmpdir(), 'buyapowa-workerd-'));
const script = join(dir, 'worker.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [new URL('./worker-entry.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['worker', 'browser'],
    mainFields: ['module', 'main'],
    plugins: [fetchOnlyCsv],
    outfile: script,
    logLevel: 'silent',
  });
}, 60000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The esbuild twin of rollup.config.mjs's fetchOnlyCsv: browser CSV builds, no csv-parse/stream. */
const fetchOnlyCsv: Plugin = {
  name: 'fetch-only-csv',
  setup(b) {
    const swaps: Record<string, string> = { 'csv-parse/sync': 'csv-parse/browser/esm/sync', 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' };
    b.onResolve({ filter: /^csv-(parse|stringify)\/sync$/ }, (args) => b.resolve(swaps[args.path], { kind: args.kind, resolveDir: args.resolveDir }));
    b.onResolve({ filter: /^csv-parse\/stream$/ }, () => ({ path: 'csv-parse-stream', namespace: 'none' }));
    b.onLoad({ filter: /.*/, namespace: 'none' }, () => ({ contents: 'export const parse = undefined;' }));
  },
};

for (const flags of [[] as string[]]) {
  const received: Received[] = [];
  let answers: Answer[] = [];
  let mf: Miniflare;
  beforeAll(async () => {
    mf = new Miniflare({
      modules: true,
      scriptPath: script,
      modulesRoot: dir,
      compatibilityDate: '2025-11-01',
      compatibilityFlags: flags,
      bindings: { ...APP_ENV, UPSTREAM },
      // Every fetch the worker makes lands here: the fake Referral tracking API.
      outboundService: async (request) => {
        const path = new URL(request.url).pathname;
        const text = await request.text();
        const headers: Record<string, string> = {};
        request.headers.forEach((value, key) => (headers[key] = value));
        received.push({ path, headers, body: text ? JSON.parse(text) : undefined });
        const answer = upstreamAnswer(answers, path);
        if (answer === 'network') throw new Error('connection refused');
        return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
      },
    });
    await mf.ready;
  }, 60000);
  afterAll(() => mf?.dispose());
  beforeEach(() => {
    received.length = 0;
    answers = [];
  });
  const target: Target = {
    send: async (path, init) => (await mf.dispatchFetch(ORIGIN + path, init as never)) as unknown as Response,
    received,
    script: (list) => void (answers = list),
    origin: ORIGIN,
  };
  handlerScenarios(`in workerd (Miniflare)${flags.length ? ' with ' + flags.join(', ') : ', no compatibility flags'}`, () => target);
}
