// Issue 11 in real Chromium, through the script tag: `new Buyapowa(cfg, 'bp_div', 'bp_error')
// .embedReferAFriend(x)` with generated `x` (and config fields) never throws into the page,
// leaves no uncaught error, settles `ready` with a BuyapowaError or a result, and leaves
// Object.prototype alone. Values Playwright cannot carry (Symbols, Proxies, getters, functions)
// travel as tags and are built in the page. Seeded: FUZZ_SEED replays; the seed is printed on failure.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { collectConsole, useStack } from './harness';

const t = useStack();
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_BROWSER_RUNS ?? 300);

const EXOTIC_KINDS = [
  'symbol',
  'function',
  'bigint',
  'throwing proxy',
  'revoked proxy',
  'throwing getters',
  'throwing toString',
  'element',
  'polluting object',
];
type Tagged = { $exotic: string };
const exotic = fc.constantFrom(...EXOTIC_KINDS).map((kind): Tagged => ({ $exotic: kind }));
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), exotic, exotic);
const embedParams = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        campaign: fc.oneof(fc.constantFrom('refer-a-friend', 'no-such-campaign', '../x', ''), value),
        locale: value,
        auto: value,
        name: value,
        email: value,
        custom_field: value,
        signed_keys: value,
        signature: value,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: value },
);
const configExtras = fc.record({ timeout: value, title: value, errorContainer: value }, { requiredKeys: [] });

it(`the script tag's embedReferAFriend: ${RUNS} generated inputs, no uncaught error (seed ${SEED})`, async () => {
  const logs = collectConsole(t.page);
  t.stack.merchant.addPage(
    '/fuzz',
    `<!doctype html><script src="${t.stack.platformUrl}/embedding.min.js"></script>
    <div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>`,
  );
  await t.page.goto(t.stack.merchantUrl + '/fuzz');
  const property = fc.asyncProperty(configExtras, embedParams, async (extras, params) => {
    const outcome = await t.page.evaluate(
      async ({ url, extras, params }: { url: string; extras: unknown; params: unknown }) => {
        const build = (value: unknown): unknown => {
          if (typeof value !== 'object' || value === null) return value;
          const kind = (value as { $exotic?: string }).$exotic;
          if (kind === 'symbol') return Symbol('x');
          if (kind === 'function') return () => 'fn';
          if (kind === 'bigint') return BigInt(12);
          if (kind === 'throwing proxy')
            return new Proxy(
              {},
              {
                get: () => {
                  throw new Error('get');
                },
                ownKeys: () => {
                  throw Symbol('keys');
                },
                getPrototypeOf: () => {
                  throw null;
                },
              },
            );
          if (kind === 'revoked proxy') {
            const { proxy, revoke } = Proxy.revocable({}, {});
            revoke();
            return proxy;
          }
          if (kind === 'throwing getters') {
            const object = {};
            for (const key of ['campaign', 'email', 'name', 'timeout', 'errorContainer'])
              Object.defineProperty(object, key, {
                get: () => {
                  throw new Error(key);
                },
                enumerable: true,
              });
            return object;
          }
          if (kind === 'throwing toString')
            return {
              toString: () => {
                throw new Error('toString');
              },
            };
          if (kind === 'element') return document.getElementById('bp_div');
          if (kind === 'polluting object') return JSON.parse('{"__proto__": {"polluted": 1}}');
          if (Array.isArray(value)) return value.map(build);
          return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, build(field)]));
        };
        const before = Reflect.ownKeys(Object.prototype).length;
        const B = (
          window as unknown as { Buyapowa: new (...args: unknown[]) => { embedReferAFriend(x: unknown): { ready: Promise<unknown>; destroy(): void } } }
        ).Buyapowa;
        let thrown = '';
        let handle: { ready: Promise<unknown>; destroy(): void } | undefined;
        try {
          handle = new B({ url, market: 'demo', ...(build(extras) as object) }, 'bp_div', 'bp_error').embedReferAFriend(build(params));
          handle.destroy();
        } catch (error) {
          thrown = String(error);
        }
        let settled = 'pending';
        handle?.ready.then(
          () => (settled = 'resolved'),
          (error) => (settled = error && error.name === 'BuyapowaError' ? 'BuyapowaError' : 'rejected with ' + String(error)),
        );
        for (let tick = 0; tick < 5; tick++) await null;
        return {
          thrown,
          settled,
          frames: document.querySelectorAll('iframe').length,
          prototypeIntact: Reflect.ownKeys(Object.prototype).length === before && !('polluted' in {}),
        };
      },
      { url: t.stack.platformUrl, extras: extras as unknown, params: params as unknown },
    );
    expect(outcome).toEqual({ thrown: '', settled: 'BuyapowaError', frames: 0, prototypeIntact: true });
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
  } catch (error) {
    console.info(`embed browser fuzz failed with FUZZ_SEED=${SEED}`);
    throw error;
  }
  expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
});
