// @vitest-environment node
// The same scenarios as test/server/node.test.ts, in Cloudflare's workerd through Miniflare: the
// test application bundled by esbuild into a module worker, its outbound fetches (the Referral
// tracking API) answered by a fake in this process. The handlers themselves use web APIs only,
// but the API client they forward through (src/api) loads csv-stringify/sync (which needs
// `Buffer`) and csv-parse/stream (`node:stream/web`), so the worker runs with nodejs_compat,
// which Cloudflare turns on by default for compatibility dates from 2026-08-04.
import { build } from 'esbuild';
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
    external: ['node:*'],
    outfile: script,
    logLevel: 'silent',
  });
}, 60000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const flags of [['nodejs_compat']]) {
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
        if (answer == 'network') throw new Error('connection refused');
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
