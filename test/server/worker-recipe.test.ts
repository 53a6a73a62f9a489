// @vitest-environment node
// examples/relay/cloudflare-worker.js as Cloudflare deploys it: bundled by esbuild with the
// workerd/worker export conditions (so `buyapowa-sdk/server` is dist/server.worker.js), run in
// workerd through Miniflare with NO compatibility flags (no nodejs_compat), its outbound fetches
// answered by a fake Referral tracking API in this process. Needs `npm run build` (npm test builds first).
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, EXPECTED_ORDER, MARKET, SECRET, conversionEvent } from './relay-fixtures';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'buyapowa-worker-recipe-'));
const script = join(dir, 'worker.mjs');
const received: { url: string; headers: Record<string, string>; body: unknown }[] = [];
let mf: Miniflare;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/server.worker.js')))
    throw new Error('dist/server.worker.js is missing: run "npm run build" before this test (npm test does)');
  // What wrangler does: esbuild with the workerd and worker conditions. `buyapowa-sdk/server`
  // resolves through package.json's exports (the example sits inside the package itself).
  await build({
    entryPoints: [join(ROOT, 'examples/relay/cloudflare-worker.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    outfile: script,
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: dir,
    compatibilityDate: '2025-11-01',
    compatibilityFlags: [],
    bindings: { BUYAPOWA_MARKET: MARKET, BUYAPOWA_AUTH_TOKEN: AUTH_TOKEN, BUYAPOWA_SECRET: SECRET },
    outboundService: async (request) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => (headers[key] = value));
      received.push({ url: request.url, headers, body: await request.json() });
      return new Response('{"status":"created"}', { status: 201, headers: { 'content-type': 'application/json' } });
    },
  });
  await mf.ready;
}, 60000);
afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('examples/relay/cloudflare-worker.js in workerd without nodejs_compat', () => {
  it('is bundled from dist/server.worker.js, with no node: import left', () => {
    const code = readFileSync(script, 'utf8');
    expect(code).not.toMatch(/from\s*['"]node:|import\(\s*['"]node:|require\(/);
  });

  it('forwards a signed conversion to the Referral tracking API, with its referrer', async () => {
    const response = await mf.dispatchFetch('https://your-website.com/buyapowa/track', {
      method: 'POST',
      body: JSON.stringify(conversionEvent()),
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'created', referral: 'event' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      url: 'https://api.co-buying.com/api/referrals/track',
      headers: { auth_id: MARKET, auth_token: AUTH_TOKEN },
      body: { order: EXPECTED_ORDER },
    });
  });

  it('refuses an unsigned conversion (422) and forwards nothing', async () => {
    received.length = 0;
    const response = await mf.dispatchFetch('https://your-website.com/buyapowa/track', {
      method: 'POST',
      body: JSON.stringify(conversionEvent({ sign: false })),
    });
    expect(response.status).toBe(422);
    expect(received).toHaveLength(0);
  });
});
