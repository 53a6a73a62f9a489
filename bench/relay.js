#!/usr/bin/env node
// npm run bench (last part): what the relay costs. One upstream (a node:http stand-in for the
// Referral tracking API answering 201) is reached five ways in the same run, with the same
// clients: directly; through a bare node:http proxy (read the body, fetch upstream, pass the
// answer back); through a bare fetch-handler proxy mounted with the same toNodeListener as the
// relay (the fair peer: same adapter, same web Request/Response, no checks); through the floor
// (below); and through createRelay + toNodeListener, with a signed conversion carrying a
// referral bp_e (parse, verify the SHA-256 signature, decrypt the AES bp_e, map, forward).
// Prints requests per second and p50/p99 latency, the latency each adds over the direct call,
// the relay's and the floor's over the fair peer, the CPU each path costs per request, and the
// relay's own steps timed apart (signature, bp_e, mapping). Loopback only; only prints figures,
// nothing passes or fails on a timing.
//
// Like with like: every path gets the same request bodies from the same client, and reaches the
// same upstream through Node's one global fetch pool (keep-alive; the connections each path
// opened are printed). The fair peer and the relay run in interleaved rounds, so the machine's
// load hits both alike; their difference is the median of the rounds' differences. The fair peer
// forwards the event as it came (about twice the bytes of the relay's mapped order).
//
// A third path runs in the same rounds: the floor, the least a relay that checks must do. It
// parses the event, verifies the signature and decrypts the bp_e with the SDK's own verify and
// decryptBpE, forwards five fields with a timeout on the upstream call, and reads the answer. It
// has no field checks, no mapping rules, no API client and no error handling. What it adds over
// the fair peer is what the required steps cost on this machine; what the relay adds over it is
// what the rest of the relay costs.
//
//   node bench/relay.js [--requests=4000] [--concurrency=16] [--rounds=5]
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
const ROUNDS = Math.max(1, Math.min(20, Number(args.rounds) || 5));
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

// The upstream: reads the body, answers 201 like the guide's API. It counts the connections
// opened to it, to show that every path reuses its connections alike.
const upstream = await listen(async (req, res) => {
  await readBody(req);
  res.writeHead(201, { 'content-type': 'application/json' }).end('{"status":"created"}');
});
let upstreamConnections = 0;
upstream.server.on('connection', () => upstreamConnections++);
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

/** The relay's upstream timeout (src/server/relay-upstream.ts): the floor keeps one too. */
const UPSTREAM_TIMEOUT_MS = 10_000;
// The floor: parse, verify, decrypt, forward with a timeout, read the answer. Nothing else.
const floor = await listen(
  toNodeListener(async (request) => {
    const event = JSON.parse(await request.text());
    const fields = event.conversion;
    if (!verify(fields, SECRET)) return new Response('{"status":"invalid_signature"}', { status: 401 });
    const referrer = decryptBpE(event.referral.tokens.bp_e, AUTH_TOKEN);
    const order = {
      email_address: fields.customer_email,
      order_number: fields.order_number,
      order_value: fields.order_value,
      order_timestamp: String(Math.floor(event.created_at / 1000)),
      referrer_email: referrer.email,
    };
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), UPSTREAM_TIMEOUT_MS);
    try {
      const answer = await fetch(UPSTREAM_TRACK, {
        method: 'POST',
        body: JSON.stringify({ order }),
        headers: { 'content-type': 'application/json', auth_id: MARKET, auth_token: AUTH_TOKEN },
        signal: timeout.signal,
      });
      JSON.parse(await answer.text());
      return new Response(JSON.stringify({ status: 'created', referral: 'event' }), { status: answer.status, headers: { 'content-type': 'application/json' } });
    } finally {
      clearTimeout(timer);
    }
  }),
);

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

/** Sends `count` requests (bodies from `from`) to `url`, CONCURRENCY at a time; latencies and CPU. */
async function load(name, url, from, count) {
  const latencies = [];
  let next = 0;
  const connections = upstreamConnections;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = from + next++;
        const begun = performance.now();
        const response = await fetch(url, { method: 'POST', body: bodies[index], headers: { 'content-type': 'text/plain;charset=UTF-8' } });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`${name}: answered ${response.status}`);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { latencies, seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / count, connections: upstreamConnections - connections };
}
const sorted = (list) => [...list].sort((a, b) => a - b);
const at = (list, q) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
const median = (list) => at(sorted(list), 0.5);
async function warm(url) {
  for (let i = 0; i < WARMUP; i++) {
    const response = await fetch(url, { method: 'POST', body: bodies[REQUESTS + i], headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    await response.arrayBuffer();
  }
}
/** A row from runs of one path: requests per second, p50/p99 over all its requests, CPU µs per request. */
function row(name, runs) {
  const latencies = sorted(runs.flatMap((r) => r.latencies));
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const cpu = runs.reduce((sum, r) => sum + r.cpu * r.latencies.length, 0) / latencies.length;
  return {
    name,
    perSecond: latencies.length / seconds,
    p50: at(latencies, 0.5),
    p99: at(latencies, 0.99),
    cpu,
    connections: runs.reduce((n, r) => n + r.connections, 0),
  };
}
async function run(name, url) {
  await warm(url);
  return row(name, [await load(name, url, 0, REQUESTS)]);
}

process.stderr.write(`bench/relay.js: ${REQUESTS} signed conversions with a referral, ${CONCURRENCY} at a time, per path\n`);
const direct = await run('upstream directly', UPSTREAM_TRACK);
const bare = await run('bare node:http proxy', proxy.url + '/track');
// The fair peer, the floor and the relay: ROUNDS rounds each, interleaved; which goes first turns.
const PEER_URL = fetchProxy.url + '/track';
const FLOOR_URL = floor.url + '/track';
const RELAY_URL = relay.url + '/buyapowa/track';
const ROUND_PATHS = [
  { name: 'fair peer', url: PEER_URL, runs: [] },
  { name: 'floor', url: FLOOR_URL, runs: [] },
  { name: 'relay', url: RELAY_URL, runs: [] },
];
for (const path of ROUND_PATHS) await warm(path.url);
const perRound = Math.ceil(REQUESTS / ROUNDS);
for (let r = 0; r < ROUNDS; r++) {
  const from = r * perRound;
  const count = Math.min(perRound, REQUESTS - from);
  for (let k = 0; k < ROUND_PATHS.length; k++) {
    const path = ROUND_PATHS[(r + k) % ROUND_PATHS.length];
    path.runs.push(await load(path.name, path.url, from, count));
  }
}
const [peerRuns, floorRuns, relayRuns] = ROUND_PATHS.map((path) => path.runs);
const peer = row('bare fetch-handler proxy (toNodeListener)', peerRuns);
const floored = row('floor: parse, verify, decrypt, forward with a timeout (toNodeListener)', floorRuns);
const relayed = row('createRelay (toNodeListener)', relayRuns);
const roundAt = (run, q) => at(sorted(run.latencies), q);
/** The median over the rounds of `runs`' quantile `q` minus `base`'s, in the same round. */
const added = (runs, base, q) => median(runs.map((run, i) => roundAt(run, q) - roundAt(base[i], q)));
const addedP50 = added(relayRuns, peerRuns, 0.5);
const addedP99 = added(relayRuns, peerRuns, 0.99);

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
  return { peer: median(peerMs), relay: median(relayMs), added: median(added) };
}
const pairs = await paired(Math.min(REQUESTS, 1000));

const ms = (value) => value.toFixed(2).padStart(8);
console.log('\nRelay cost (node ' + process.versions.node + ', one process, loopback)');
console.log('| path | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU µs per request | upstream connections |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of [direct, bare, peer, floored, relayed])
  console.log(
    `| ${r.name} | ${Math.round(r.perSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r === direct ? '—' : ms(r.p50 - direct.p50)} | ${r === direct ? '—' : ms(r.p99 - direct.p99)} | ${Math.round(r.cpu)} | ${r.connections} |`,
  );
console.log(
  `relay / bare proxy: ${(relayed.perSecond / bare.perSecond).toFixed(2)}× the requests per second, ${(relayed.p50 / bare.p50).toFixed(2)}× the p50 latency`,
);
console.log(
  `relay over the fair peer (fetch-handler proxy), ${CONCURRENCY} at a time, median of ${ROUNDS} interleaved rounds: ` +
    `+${addedP50.toFixed(2)} ms p50, +${addedP99.toFixed(2)} ms p99; CPU per request (the whole process: client, proxy, upstream) ` +
    `+${Math.round(relayed.cpu - peer.cpu)} µs`,
);
console.log(
  `floor over the fair peer, same rounds: +${added(floorRuns, peerRuns, 0.5).toFixed(2)} ms p50 (CPU +${Math.round(floored.cpu - peer.cpu)} µs); ` +
    `relay over the floor: +${added(relayRuns, floorRuns, 0.5).toFixed(2)} ms p50 (CPU +${Math.round(relayed.cpu - floored.cpu)} µs)`,
);
console.log(
  `relay over the fair peer, one at a time, alternating (${Math.min(REQUESTS, 1000)} pairs): peer p50 ${pairs.peer.toFixed(2)} ms, relay p50 ${pairs.relay.toFixed(2)} ms, median added ${pairs.added.toFixed(2)} ms`,
);

// The relay's own steps, timed apart in this process, each two ways: in a tight loop (hot: its
// code and data stay in the CPU's caches), and one call between two real requests through the
// fair peer, the way the relay runs it (cold: the network work in between evicts them). The
// second is what a request pays; on a shared machine it is several times the first.
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
/** µs of one call of `fn` made between real requests (the median of 400). */
const betweenRequests = async (fn) => {
  const times = [];
  for (let i = 0; i < 400; i++) {
    const response = await fetch(PEER_URL, { method: 'POST', body: bodies[i], headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    await response.arrayBuffer();
    const started = performance.now();
    await fn();
    times.push((performance.now() - started) * 1000);
  }
  return median(times);
};
const stepRow = async (name, fn) => console.log(`| ${name} | ${perCall(fn).toFixed(1)} | ${(await betweenRequests(fn)).toFixed(1)} |`);
console.log('\n| relay step | µs per event, tight loop | µs per event, between requests |');
console.log('|---|---:|---:|');
for (const [name, fn] of Object.entries(steps)) await stepRow(name, fn);
// The mapping is internal: bundled from its source for this measure (esbuild comes with vitest).
const mapping = await mappingModule();
if (mapping) {
  await stepRow('mapping to the guide JSON (toGuideOrder, without the bp_e)', () => mapping.toGuideOrder(event.conversion, 1795410000, undefined, AUTH_TOKEN));
  await stepRow('mapping with the bp_e (toGuideOrder: decryption included)', () =>
    mapping.toGuideOrder(event.conversion, 1795410000, { bpE: event.referral.tokens.bp_e, source: 'event' }, AUTH_TOKEN),
  );
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
const handle = async () => (await inProcess(request())).arrayBuffer();
for (let i = 0; i < 300; i++) await handle();
const n = 3000;
const started = performance.now();
for (let i = 0; i < n; i++) await handle();
const hot = ((performance.now() - started) / n) * 1000;
console.log(`| the whole relay handler, upstream answered in process | ${hot.toFixed(1)} | ${(await betweenRequests(handle)).toFixed(1)} |`);
for (const { server } of [upstream, proxy, fetchProxy, floor, relay]) server.close();

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
