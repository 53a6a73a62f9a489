// Issue 11: embedReferAFriend under generated input (fast-check). Whatever it is given, it
// never throws, `ready` settles, it rejects only with a BuyapowaError, and Object.prototype
// is untouched. Seeded: FUZZ_SEED=<n> replays a run; the seed is printed on failure.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type * as Sdk from '../../src/index';
import { freshSdk } from '../helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/**
 * Stands for a value fast-check must not hold itself (it inspects and prints what it
 * generates, and a revoked Proxy throws on any touch): built fresh by `materialize`.
 */
class Exotic {
  constructor(readonly kind: string) {}
  toString() {
    return `<${this.kind}>`;
  }
}
const EXOTIC: Record<string, () => unknown> = {
  'throwing proxy': () =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('get trap');
        },
        has: () => {
          throw new Error('has trap');
        },
        ownKeys: () => {
          throw Symbol('ownKeys trap');
        },
        getPrototypeOf: () => {
          throw null;
        },
        getOwnPropertyDescriptor: () => {
          throw 0;
        },
      },
    ),
  'revoked proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'throwing getters': () => {
    const value = {};
    for (const key of ['campaign', 'url', 'market', 'container', 'errorContainer', 'timeout', 'email'])
      Object.defineProperty(value, key, {
        get: () => {
          throw new Error(key);
        },
        enumerable: true,
      });
    return value;
  },
  'throwing toString': () => ({
    toString: () => {
      throw new Error('toString');
    },
    [Symbol.toPrimitive]: () => {
      throw new Error('toPrimitive');
    },
  }),
  'a function': () => () => 'fn',
  'an element': () => document.getElementById('bp_div'),
  'a detached element': () => document.createElement('div'),
  'a text node': () => document.createTextNode('bp_div'),
  'a polluting object': () => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
};
const materializeOne = (value: unknown) => (value instanceof Exotic ? EXOTIC[value.kind]() : value);
/** The generated value with every Exotic built; records are one level deep. */
function materialize(value: unknown): unknown {
  if (value instanceof Exotic) return materializeOne(value);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, materializeOne(field)]));
  return value;
}

/** Values a careless or hostile caller passes: Symbols, functions, Proxies whose traps throw, throwing getters. */
const hostile = fc.oneof(
  fc.anything({
    withBigInt: true,
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withSparseArray: true,
  }),
  fc.string().map((description) => Symbol(description)),
  fc.constantFrom(...Object.keys(EXOTIC)).map((kind) => new Exotic(kind)),
);

const slug = fc.oneof(fc.constantFrom('refer-a-friend', 'c', ' padded ', 'a.b_c-d', '../x', ''), fc.stringMatching(/^[\w.-]{1,20}$/), hostile);
const elementRef = fc.oneof(fc.constantFrom('bp_div', 'bp_error', 'nope', '', undefined), hostile);
const url = fc.oneof(
  fc.constantFrom('https://bp.shop.com', 'bp.shop.com', '//bp.shop.com', 'https://bp.shop.com/refer', 'https://bp.{{market}}.com', 'javascript:alert(1)'),
  fc.webUrl(),
  hostile,
);

const config = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        url,
        market: fc.oneof(fc.constantFrom('demo', '', '{{market}}'), hostile),
        container: elementRef,
        errorContainer: elementRef,
        timeout: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1, 10000, 2 ** 31, Infinity, NaN), hostile),
        title: fc.oneof(fc.string(), hostile),
        debug: fc.oneof(fc.boolean(), hostile),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostile },
);

const params = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        campaign: slug,
        locale: fc.oneof(fc.constantFrom('en', 'fr'), hostile),
        auto: fc.oneof(fc.boolean(), hostile),
        name: fc.oneof(fc.string(), hostile),
        email: fc.oneof(fc.emailAddress(), hostile),
        custom_field: hostile,
        marketing_opt_in: fc.oneof(fc.boolean(), hostile),
        signed_keys: fc.oneof(fc.constant('name, email'), hostile),
        signature: fc.oneof(fc.stringMatching(/^[0-9a-f]{0,64}$/), hostile),
        ['__proto__' as string]: hostile,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostile },
);

let sdk: typeof Sdk;
const uncaught: unknown[] = [];
const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
beforeAll(async () => {
  vi.stubGlobal('fetch', async () => new Response(null));
  document.body.innerHTML = '<div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>';
  ({ sdk } = await freshSdk());
  addEventListener('error', onError);
});
afterAll(() => removeEventListener('error', onError));

/** How the promise settled, or 'pending' if it has not after a few microtasks (destroy() settles it at once). */
type Outcome = { settled: 'resolved' | 'rejected'; value: unknown } | 'pending';
async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  let result = 'pending' as Outcome;
  promise.then(
    (value) => (result = { settled: 'resolved', value }),
    (value) => (result = { settled: 'rejected', value }),
  );
  for (let tick = 0; tick < 5; tick++) await null;
  return result;
}

const prototypeKeys = () => Reflect.ownKeys(Object.prototype).map(String).sort().join();

it(`embedReferAFriend: ${RUNS} generated inputs, only BuyapowaError, every promise settles (seed ${SEED})`, async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'info').mockImplementation(() => {});
  const before = prototypeKeys();
  let runs = 0;
  const property = fc.asyncProperty(config, params, async (cfg, embedParams) => {
    runs++;
    const realCfg = materialize(cfg);
    const realParams = materialize(embedParams);
    let handle: ReturnType<typeof sdk.embedReferAFriend> | undefined;
    let thrown: unknown = 'nothing';
    try {
      handle = sdk.embedReferAFriend(realCfg as never, realParams as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe('nothing');
    expect(handle!.ready).toBeInstanceOf(Promise);
    handle!.destroy();
    const result = await outcome(handle!.ready);
    expect(result).not.toBe('pending');
    if (result !== 'pending' && result.settled === 'rejected') expect(result.value).toBeInstanceOf(sdk.BuyapowaError);
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
    expect(prototypeKeys()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
  } catch (error) {
    vi.mocked(console.info).mockRestore();
    console.info(`embed fuzz failed with FUZZ_SEED=${SEED}`);
    throw error;
  }
  expect(runs).toBeGreaterThanOrEqual(RUNS);
  expect(uncaught).toEqual([]);
}, 300_000);
