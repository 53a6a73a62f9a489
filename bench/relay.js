#!/usr/bin/env node
// npm run bench (last part): what the relay costs. One upstream (a node:http stand-in for the
// Referral tracking API answering 201) is reached four ways in the same run, with the same
// clients: directly; through a bare node:http proxy (read the body, fetch upstream, pass the
// answer back); through a bare fetch-handler proxy mounted with the same toNodeListener as the
// relay (the fair peer: same adapter, same web Request/Response, no checks); and through
// createRelay + toNodeListener, with a signed conversion carrying a referral bp_e (parse,
// verify the SHA-256 signature, decrypt the AES bp_e, map, forward). Prints requests per second
// and p50/p99 latency, the latency each adds over the direct call, the relay's over the fair
// peer, and the relay's own steps timed apart (signature, bp_e, mapping). Loopback only; only
// prints figures, nothing passes or fails on a timing.
//
//   node bench/relay.js [--requests=4000] [--concurrency=16]
import http from 'node:http';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('..', import.meta.url).pathname;
if (!existsSync(ROOT + 'dist/server.js')) {
  console.error('bench/relay.js: dist/server.js is missing; run `npm run build` first (npm run bench does).');
  process.exit(1);
}
const { createRelay, decryptBpE, encryptBpE, signFields, toNodeListener, verify } = await import(ROOT + 'dist/server.js');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const REQUESTS = Math.max(100, Number(args.requests) || 4000);
const CONCURRENCY = Math.max(1, Number(args.concurrency) || 16);
const WARMUP = 300;
const MARKET = 'demo';
const AUTH_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';
const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';

const listen = (handler) =>
  new Promise((resolve) => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

// The upstream: reads the body, answers 201 like the guide's API.
const upstream = await listen(async (req, res) => {
  await readBody(req);
  res.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"created"}');
});
const UPSTREAM_TRACK = upstream.url + '/api/referrals/track';

// The peer: the least a proxy can do (no checks, no mapping).
const proxy = await listen(async (req, res) => {
  const body = await readBody(req);
  const answer = await fetch(UPSTREAM_TRACK, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', auth_id: MARKET, auth_token: AUTH_TOKEN },
  });
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
});

// The fair peer: a web-standard fetch handler that forwards the body as it is, mounted the way
// the relay is. What the relay adds over it is its own work.
const fetchProxy = await listen(
  toNodeListener(async (request) => {
    const answer = await fetch(UPSTREAM_TRACK, {
      method: 'POST',
      body: await request.arrayBuffer(),
      headers: { 'content-type': 'application/json', auth_id: MARKET, auth_token: AUTH_TOKEN },
    });
    return new Response(await answer.arrayBuffer(), { status: answer.status, headers: { 'content-type': 'application/json' } });
  }),
);

const relay = await listen(toNodeListener(createRelay({ market: MARKET, authToken: AUTH_TOKEN, secret: SECRET, baseUrl: upstream.url })));

const bpE = encryptBpE({ referral_count: 3, email: 'john@doe.com', first_name: 'John', last_name: 'Doe', voucher_code: 'FRIENDCODE1' }, AUTH_TOKEN);
const body = (i) =>
  JSON.stringify({
    v: 1,
    type: 'conversion',
    event_id: 'bench-' + i,
    market: MARKET,
    created_at: Date.now(),
    attempt: 1,
    transport: 'fetch',
    sdk: 'js/bench',
    page: 'https://www.shop.test/thanks',
    conversion: signFields(
      {
        customer_name: 'Jane, Smith',
        customer_email: 'jane@smith.com',
        order_number: 'ORDER' + i,
        order_value: '12.89',
        marketing_opt_in: 'true',
        locale: 'en',
      },
      ['order_number', 'customer_email'],
      SECRET,
    ),
    referral: { tokens: { bp_e: bpE }, captured_at: Date.now() - 1000 },
  });
// Bodies are made before timing, so signing them is not measured.
const bodies = Array.from({ length: REQUESTS + WARMUP }, (_, i) => body(i));

async function run(name, url) {
  const latencies = [];
  let next = 0;
  const one = async (index, record) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', body: bodies[index], headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`${name}: answered ${response.status}`);
    if (record) latencies.push(performance.now() - started);
  };
  for (let i = 0; i < WARMUP; i++) await one(REQUESTS + i, false);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) await one(next++, true);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { name, perSecond: REQUESTS / seconds, p50: at(0.5), p99: at(0.99) };
}

process.stderr.write(`bench/relay.js: ${REQUESTS} signed conversions with a referral, ${CONCURRENCY} at a time, per path\n`);
const direct = await run('upstream directly', UPSTREAM_TRACK);
const bare = await run('bare node:http proxy', proxy.url + '/track');
const peer = await run('bare fetch-handler proxy (toNodeListener)', fetchProxy.url + '/track');
const relayed = await run('createRelay (toNodeListener)', relay.url + '/buyapowa/track');

// Added latency, measured so the machine's load hits both alike: one request at a time,
// alternating the fair peer and the relay, and the median of each pair's difference.
async function paired(rounds) {
  const time = async (url, index) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', body: bodies[index], headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    await response.arrayBuffer();
    return performance.now() - started;
  };
  const peerMs = [],
    relayMs = [],
    added = [];
  for (let i = 0; i < rounds; i++) {
    // Which goes first alternates, so neither always finds the connection pool warmer.
    const first = i % 2 ? [fetchProxy.url + '/track', relay.url + '/buyapowa/track'] : [relay.url + '/buyapowa/track', fetchProxy.url + '/track'];
    const a = await time(first[0], i % bodies.length);
    const b = await time(first[1], i % bodies.length);
    const [p, r] = i % 2 ? [a, b] : [b, a];
    peerMs.push(p);
    relayMs.push(r);
    added.push(r - p);
  }
  const median = (list) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)];
  return { peer: median(peerMs), relay: median(relayMs), added: median(added) };
}
const pairs = await paired(Math.min(REQUESTS, 1000));
for (const { server } of [upstream, proxy, fetchProxy, relay]) server.close();

const ms = (value) => value.toFixed(2).padStart(8);
console.log('\nRelay cost (node ' + process.versions.node + ', one process, loopback)');
console.log('| path | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of [direct, bare, peer, relayed])
  console.log(
    `| ${row.name} | ${Math.round(row.perSecond)} | ${ms(row.p50)} | ${ms(row.p99)} | ${row === direct ? '—' : ms(row.p50 - direct.p50)} | ${row === direct ? '—' : ms(row.p99 - direct.p99)} |`,
  );
console.log(
  `relay / bare proxy: ${(relayed.perSecond / bare.perSecond).toFixed(2)}× the requests per second, ${(relayed.p50 / bare.p50).toFixed(2)}× the p50 latency`,
);
console.log(
  `relay over the fair peer (fetch-handler proxy), ${CONCURRENCY} at a time: +${(relayed.p50 - peer.p50).toFixed(2)} ms p50, +${(relayed.p99 - peer.p99).toFixed(2)} ms p99`,
);
console.log(
  `relay over the fair peer, one at a time, alternating (${Math.min(REQUESTS, 1000)} pairs): peer p50 ${pairs.peer.toFixed(2)} ms, relay p50 ${pairs.relay.toFixed(2)} ms, median added ${pairs.added.toFixed(2)} ms`,
);

// The relay's own steps, timed apart in this process (no network): what each costs per event.
const event = JSON.parse(bodies[0]);
const steps = {
  'JSON.parse of the event': () => JSON.parse(bodies[0]),
  'signature check (verify, SHA-256)': () => verify(event.conversion, SECRET),
  'bp_e decryption (decryptBpE, AES)': () => decryptBpE(event.referral.tokens.bp_e, AUTH_TOKEN),
};
const perCall = (fn) => {
  for (let i = 0; i < 500; i++) fn();
  const n = 5000;
  const started = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - started) / n) * 1000;
};
console.log('\n| relay step | µs per event |');
console.log('|---|---:|');
for (const [name, fn] of Object.entries(steps)) console.log(`| ${name} | ${perCall(fn).toFixed(1)} |`);
// The mapping is internal: bundled from its source for this measure (esbuild comes with vitest).
const mapping = await mappingModule();
if (mapping) {
  const withBpE = perCall(() => mapping.toGuideOrder(event.conversion, 1795410000, { bpE: event.referral.tokens.bp_e, source: 'event' }, AUTH_TOKEN));
  const without = perCall(() => mapping.toGuideOrder(event.conversion, 1795410000, undefined, AUTH_TOKEN));
  console.log(`| mapping to the guide JSON (toGuideOrder, without the bp_e) | ${without.toFixed(1)} |`);
  console.log(`| mapping with the bp_e (toGuideOrder: decryption included) | ${withBpE.toFixed(1)} |`);
}
// The whole relay in this process, upstream answered by a function: its own cost per request.
const inProcess = createRelay({
  market: MARKET,
  authToken: AUTH_TOKEN,
  secret: SECRET,
  baseUrl: upstream.url,
  fetch: async () => new Response('{"status":"created"}', { status: 201, headers: { 'content-type': 'application/json' } }),
});
const request = () => new Request('http://127.0.0.1/buyapowa/track', { method: 'POST', body: bodies[1] });
for (let i = 0; i < 300; i++) await (await inProcess(request())).arrayBuffer();
const n = 3000;
const started = performance.now();
for (let i = 0; i < n; i++) await (await inProcess(request())).arrayBuffer();
console.log(`| the whole relay handler, upstream answered in process | ${(((performance.now() - started) / n) * 1000).toFixed(1)} |`);

async function mappingModule() {
  try {
    const { build } = await import('esbuild');
    const out = (await build({ entryPoints: [ROOT + 'src/server/relay-mapping.ts'], bundle: true, format: 'esm', platform: 'node', write: false }))
      .outputFiles[0].text;
    return await import('data:text/javascript;base64,' + Buffer.from(out).toString('base64'));
  } catch (error) {
    console.log(`| mapping (not measured: ${error.message.split('\n')[0]}) | — |`);
    return null;
  }
}
