// @vitest-environment node
// examples/relay: every example parses, the Next.js route handler type-checks against the built
// types, and node-http.js runs: a signed conversion through it reaches a fake Referral tracking API.
// Needs `npm run build` (npm test builds first): the examples import buyapowa-sdk/server.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, EXPECTED_ORDER, MARKET, SECRET, conversionEvent } from './relay-fixtures';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIR = join(ROOT, 'examples/relay');
const requireBuild = () => {
  if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('dist/server.js is missing: run "npm run build" before this test (npm test does)');
};

describe('examples/relay', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.js')))('%s parses', (file) => {
    execFileSync(process.execPath, ['--check', join(DIR, file)]);
  });

  it('the Next.js route handler type-checks against buyapowa-sdk/server', () => {
    requireBuild();
    const file = join(ROOT, 'examples/nextjs/app/buyapowa/[...path]/route.ts');
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2021,
      lib: ['lib.es2021.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60000);

  it('node-http.js runs: a signed conversion goes through it to the Referral tracking API', async () => {
    requireBuild();
    const received: unknown[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url, auth_id: req.headers.auth_id, body: JSON.parse(body) });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"created"}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const child = spawn(
      process.execPath,
      [join(DIR, 'node-http.js'), '--port', '0', '--base-url', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`],
      {
        cwd: ROOT,
        env: { ...process.env, BUYAPOWA_MARKET: MARKET, BUYAPOWA_AUTH_TOKEN: AUTH_TOKEN, BUYAPOWA_SECRET: SECRET },
      },
    );
    try {
      const relayUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /relay listening on (\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.stderr.on('data', (chunk) => (out += chunk));
        child.on('exit', (code) => reject(new Error(`node-http.js exited with ${code}: ${out}`)));
      });
      const response = await fetch(relayUrl + 'track', { method: 'POST', body: JSON.stringify(conversionEvent()), headers: { 'content-type': 'text/plain' } });
      expect(response.status).toBe(201);
      expect(received).toEqual([{ path: '/api/referrals/track', auth_id: MARKET, body: { order: EXPECTED_ORDER } }]);
      expect((await fetch(relayUrl.replace('/buyapowa/', '/elsewhere'))).status).toBe(404);
    } finally {
      child.kill();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
