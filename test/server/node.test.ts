// @vitest-environment node
// Every handler over real HTTP on Node: toNodeListener serving the test application, and a fake
// Referral tracking API on its own node:http server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRelay, toNodeListener } from '../../src/server';
import { createApp } from './app';
import { APP_ENV, handlerScenarios, upstreamAnswer, type Received, type Target } from './handler-scenarios';
import { AUTH_TOKEN, MARKET, SECRET, type Answer } from './relay-fixtures';

const listen = (server: http.Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

const received: Received[] = [];
let answers: Answer[] = [];
const upstream = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const path = new URL(req.url!, 'http://x').pathname;
    received.push({ path, headers: req.headers as Record<string, string>, body: body ? JSON.parse(body) : undefined });
    const answer = upstreamAnswer(answers, path);
    if (answer === 'network') return req.socket.destroy();
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body ?? {}));
  });
});
let app: http.Server;
let origin = '';

beforeAll(async () => {
  const upstreamUrl = await listen(upstream);
  app = http.createServer(toNodeListener(createApp({ ...APP_ENV, UPSTREAM: upstreamUrl })));
  origin = await listen(app);
});
afterAll(() => Promise.all([app, upstream].map((server) => new Promise((resolve) => server.close(resolve)))));
beforeEach(() => {
  received.length = 0;
  answers = [];
});

const target: Target = {
  send: (path, init) => fetch(origin + path, init),
  received,
  script: (list) => void (answers = list),
  get origin() {
    return origin;
  },
};

handlerScenarios('on Node, over HTTP (toNodeListener)', () => target);

describe('toNodeListener', () => {
  const serve = async (listener: http.RequestListener) => {
    const server = http.createServer(listener);
    const url = await listen(server);
    return { url, close: () => new Promise((resolve) => server.close(resolve)) };
  };

  it('gives the handler the full URL (Express originalUrl), headers, body, and https from X-Forwarded-Proto', async () => {
    const seen: { url: string; body: string; type: string | null }[] = [];
    const listener = toNodeListener(async (request) => {
      seen.push({ url: request.url, body: await request.text(), type: request.headers.get('content-type') });
      return new Response('ok', {
        status: 202,
        headers: [
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
          ['x-test', 'yes'],
        ],
      });
    });
    // Express strips its mount path from req.url and keeps it in req.originalUrl.
    const server = await serve((req, res) => {
      (req as { originalUrl?: string }).originalUrl = req.url;
      req.url = req.url!.replace(/^\/buyapowa/, '');
      listener(req, res);
    });
    const response = await fetch(server.url + '/buyapowa/track?x=1', {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/plain', 'x-forwarded-proto': 'https' },
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('ok');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('x-test')).toBe('yes');
    expect(seen).toEqual([{ url: server.url.replace('http:', 'https:') + '/buyapowa/track?x=1', body: 'hello', type: 'text/plain' }]);
    await server.close();
  });

  it('uses a raw body a framework already read, and answers 500 when the handler throws', async () => {
    const listener = toNodeListener(async (request) => new Response(await request.text()));
    const server = await serve((req, res) => {
      // A body parser that keeps the raw bytes (Express's verify hook) has consumed the stream.
      req.resume();
      req.on('end', () => {
        (req as { rawBody?: Buffer }).rawBody = Buffer.from('raw body');
        listener(req, res);
      });
    });
    expect(await (await fetch(server.url, { method: 'POST', body: 'ignored' })).text()).toBe('raw body');
    await server.close();

    const failing = await serve(
      toNodeListener(async () => {
        throw new Error('boom');
      }),
    );
    const original = console.error;
    console.error = () => {};
    try {
      expect((await fetch(failing.url)).status).toBe(500);
    } finally {
      console.error = original;
    }
    await failing.close();
  });

  it('the relay behind it sets a Secure cookie when the proxy says https', async () => {
    const relay = createRelay({ market: MARKET, authToken: AUTH_TOKEN, secret: SECRET, baseUrl: 'http://127.0.0.1:9' });
    const server = await serve(toNodeListener(relay));
    const response = await fetch(server.url + '/buyapowa/click', {
      method: 'POST',
      body: JSON.stringify({ tokens: { bp_e: 'x' }, captured_at: Date.now() }),
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/SameSite=Lax; Secure$/);
    await server.close();
  });
});
