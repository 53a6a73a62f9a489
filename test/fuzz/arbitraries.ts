// Hostile inputs for the property-based tests, shared by the Node runs and the Chromium run
// (bundled by esbuild into the page). Besides fast-check's own values (boxed values, BigInt,
// null prototypes, sparse arrays…), they make what fc.anything() never does: Symbols,
// functions, Proxies whose traps throw, revoked Proxies, objects with throwing getters, keys
// named __proto__ / constructor, arrays nested thousands deep, and strings that made the old
// checks slow (the 50,000-dot email) or that the guide leaves as placeholders.
import fc from 'fast-check';

/** How often a generated run is a hostile value rather than a plausible one, for each field. */
const HOSTILE_WEIGHT = 1;
const PLAUSIBLE_WEIGHT = 2;

/** Thrown by every trap and getter below; a test fails if it ever escapes. */
export const TRAP_MESSAGE = 'fuzz: a hostile trap ran';
const trap = (): never => {
  throw new Error(TRAP_MESSAGE);
};

const PROXY_TRAPS = ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'has', 'getPrototypeOf', 'apply', 'construct'] as const;

/** fast-check's own hooks: it looks for them on every value it generates and reports. */
const FAST_CHECK_KEYS: PropertyKey[] = [fc.cloneMethod, fc.toStringMethod, fc.asyncToStringMethod];

/** Gives `value` a description fast-check prints instead of walking it (which would run its traps). */
function described<T extends object>(value: T, text: string): T {
  return Object.defineProperty(value, fc.toStringMethod, { value: () => text });
}

/**
 * A handler whose chosen trap throws, except when fast-check itself looks for its hooks (it does
 * for every generated value): the SDK is what must survive the trap, not the generator.
 */
function throwingHandler(name: (typeof PROXY_TRAPS)[number], text: string): ProxyHandler<object> {
  const forFastCheck = (key: unknown) => FAST_CHECK_KEYS.includes(key as PropertyKey);
  return {
    get: (target, key, receiver) =>
      key === fc.toStringMethod ? () => text : forFastCheck(key) || name !== 'get' ? Reflect.get(target, key, receiver) : trap(),
    has: (target, key) => key === fc.toStringMethod || (!forFastCheck(key) && (name === 'has' ? trap() : Reflect.has(target, key))),
    ...(name !== 'get' && name !== 'has' && { [name]: trap }),
  };
}

/** A Proxy whose chosen trap throws: over an object, an array or a function. */
export const trapProxy = fc
  .tuple(
    fc.constantFrom(...PROXY_TRAPS),
    fc.constantFrom<() => object>(
      () => ({}),
      () => [],
      () => function target() {},
    ),
  )
  .map(([name, make]) => new Proxy(make(), throwingHandler(name, `Proxy(${name} throws)`)));

/**
 * A Proxy that revokes itself on first use by the code under test, after which every
 * operation on it (even Array.isArray) throws a TypeError. (A Proxy revoked up front would
 * throw inside fast-check.)
 */
export const revokedProxy = fc.constant(null).map(() => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  const text = () => 'Proxy(revoked on use)';
  return new Proxy(proxy, {
    get: (target, key) => (key === fc.toStringMethod ? text : FAST_CHECK_KEYS.includes(key) ? undefined : (revoke(), Reflect.get(target, key))),
    has: (target, key) => key === fc.toStringMethod || (!FAST_CHECK_KEYS.includes(key) && (revoke(), Reflect.has(target, key))),
    ownKeys: (target) => (revoke(), Reflect.ownKeys(target)),
  });
});

export const symbol = fc.string({ maxLength: 4 }).map((description) => Symbol(description));

export const fn = fc.constantFrom<unknown>(
  () => 1,
  function named() {},
  class Klass {},
  Symbol,
  Object,
);

const DEEP_ARRAY_MIN_DEPTH = 2000;
const DEEP_ARRAY_MAX_DEPTH = 12000;
/**
 * `nested[d]` is `[]` inside d arrays. Built once, as one chain (each level holds the one below),
 * so a run does not allocate thousands of arrays for each deep value it generates.
 */
const nested: unknown[][] = [[]];
for (let depth = 1; depth < DEEP_ARRAY_MAX_DEPTH; depth++) nested.push([nested[depth - 1]]);

/** `[[[…]]]`, thousands deep: deeper than a recursive walk survives. A new outer array each run. */
export const deepArray = fc
  .integer({ min: DEEP_ARRAY_MIN_DEPTH, max: DEEP_ARRAY_MAX_DEPTH })
  .map((depth) => described([nested[depth - 1]], `[…${depth} deep…]`));

/** Strings that broke or slowed checks before, and the guide's placeholders. */
export const nastyString = fc.oneof(
  fc.constant('a@' + '.'.repeat(50000) + '@'),
  fc.constant('<email_address>'),
  fc.constant('{{market}}'),
  fc.constant('https://{{market_domain}}'),
  fc.constant('bp.your-website.com'),
  fc.constant('x\ud800'),
  fc.constant('__proto__'),
  fc.integer({ min: 1000, max: 60000 }).map((n) => '{'.repeat(n)),
  fc.integer({ min: 1000, max: 60000 }).map((n) => '<'.repeat(n) + 'a'),
  fc.string({ unit: 'binary' }),
);

/** Keys an attacker picks for prototype pollution, and keys of the guide. */
export const nastyKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then');

/** Any value, as fast-check makes them, with every option that makes odd ones. */
export const anyValue = fc.anything({
  maxDepth: 2,
  withBoxedValues: true,
  withBigInt: true,
  withNullPrototype: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
  withUnicodeString: true,
});

/** A value no API should choke on: fast-check's, plus Symbols, functions, Proxies and the rest above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyValue },
  { weight: 2, arbitrary: symbol },
  { weight: 1, arbitrary: fn },
  { weight: 2, arbitrary: trapProxy },
  { weight: 1, arbitrary: revokedProxy },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: deepArray },
);

/** A plausible value half the time, a hostile one otherwise. */
const maybe = <T>(plausible: fc.Arbitrary<T>) =>
  fc.oneof({ weight: PLAUSIBLE_WEIGHT, arbitrary: plausible as fc.Arbitrary<unknown> }, { weight: HOSTILE_WEIGHT, arbitrary: hostileValue });

/** Wraps an object as an attacker would: as is, with a throwing getter, behind a throwing Proxy, or with an own `__proto__`. */
export const hostileObject = (object: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: object },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, fc.string({ maxLength: 12 }))
        .map(([o, key]) => described(Object.defineProperty({ ...o }, key, { enumerable: true, get: trap }), `{ get ${JSON.stringify(key)}() throws }`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, fc.constantFrom(...PROXY_TRAPS))
        .map(([o, name]) => new Proxy({ ...o }, throwingHandler(name, `Proxy(object, ${name} throws)`))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, nastyKey, hostileValue)
        .map(([o, key, value]) => Object.defineProperty({ ...o }, key, { enumerable: true, value, writable: true, configurable: true })),
    },
    { weight: 1, arbitrary: hostileValue },
  );

const email = fc.oneof(fc.emailAddress(), fc.constant('jane@smith.com'));
const orderNumber = fc.oneof(fc.uuid(), fc.nat());

/** A conversion: the guide's fields (each plausible or hostile), misspellings, extra keys, wrapped hostilely. */
export const conversion = hostileObject(
  fc
    .record(
      {
        customer_email: maybe(email),
        order_number: maybe(orderNumber),
        order_value: maybe(fc.oneof(fc.double({ noNaN: false }), fc.constantFrom('12.89', '£12.50', '1.134,65'))),
        customer_name: maybe(fc.string()),
        marketing_opt_in: maybe(fc.oneof(fc.boolean(), fc.constantFrom('true', 'no', 'maybe'))),
        voucher_code: maybe(fc.string()),
        voucher_codes: maybe(fc.array(fc.oneof(fc.string(), hostileValue), { maxLength: 3 })),
        reward_category: maybe(fc.string()),
        signed_keys: maybe(fc.constantFrom('order_number, customer_email', 'order_number,,customer_email,', 'orderNumber')),
        signature: maybe(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })),
        locale: maybe(fc.constantFrom('en', 'fr')),
        orderNumber: maybe(orderNumber),
        ordervalue: maybe(fc.string()),
      },
      { requiredKeys: [] },
    )
    .chain((fields) => fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), nastyKey), hostileValue, { maxKeys: 2 }).map((extra) => ({ ...extra, ...fields }))),
);

/** A config (or capture options): `url`, `market` and every option, each plausible or hostile. */
export const config = (url: string) =>
  hostileObject(
    fc.record(
      {
        url: maybe(fc.constantFrom(url, url + '/refer', 'https://{{market_domain}}')),
        market: maybe(fc.constantFrom('demo', '{{market}}')),
        trackUrl: maybe(fc.constant(url + '/track')),
        consent: maybe(fc.constantFrom('granted', 'pending', 'denied')),
        attribution: maybe(fc.constantFrom('first', 'last')),
        attributionDays: maybe(fc.integer({ min: -1, max: 90 })),
        referralParams: maybe(fc.array(fc.constantFrom('bp_e', 'ref'), { maxLength: 2 })),
        stripReferralParams: maybe(fc.boolean()),
        cookieDomain: maybe(fc.constantFrom('shop.test', 'example.com')),
        debug: maybe(fc.boolean()),
        timeout: maybe(fc.integer()),
        container: maybe(fc.constant('bp_div')),
        errorContainer: maybe(fc.constant('bp_error')),
      },
      { requiredKeys: [] },
    ),
  );

/** Names of Object.prototype and Array.prototype: a run that changes them polluted the realm. */
export const prototypeFingerprint = (): string =>
  [Object.prototype, Array.prototype, Function.prototype].map((proto) => Reflect.ownKeys(proto).map(String).sort().join()).join('|') +
  String(Object.getPrototypeOf({}) === Object.prototype);
