// Property-based tests of the npm API in the unit environment (jsdom): whatever it is given,
// `track` settles and rejects only with BuyapowaError, `captureReferral` and the Buyapowa class
// never throw, `noscriptPixelUrl` throws only BuyapowaError, and Object.prototype is untouched.
// Sends go to a fetch stub that answers 201 at once: the network path is tested elsewhere;
// here it would only make 10,000 runs slow.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as arb from './arbitraries';
import { FUZZ_TEST_TIMEOUT_MS, fuzz } from './settings';
import { BuyapowaError } from '../../src/core/errors';
import { Buyapowa, captureReferral, flushConversions, getReferral, noscriptPixelUrl, setConsent, track } from '../../src/index';

const URL = 'https://bp.shop.com';
/** A guard against a promise that never settles; not a timing assertion. */
const SETTLE_GUARD_MS = 30_000;

const SILENCED = ['error', 'warn', 'info'] as const;
const consoleMethods = SILENCED.map((level) => console[level]);

let fingerprint: string;
beforeAll(() => {
  vi.stubGlobal('fetch', async () => new Response('{"status":"created"}', { status: 201 }));
  Object.defineProperty(navigator, 'sendBeacon', { value: () => true, configurable: true });
  fingerprint = arb.prototypeFingerprint();
  // One line per problem is what these tests provoke, 10,000 times: not worth printing. Plain
  // no-ops, not spies: a spy would keep every call's arguments (hostile values, deep arrays,
  // 60,000-character strings) until the test ends, and the garbage collector would walk them.
  for (const level of SILENCED) console[level] = () => {};
});
afterAll(() => {
  vi.unstubAllGlobals();
  SILENCED.forEach((level, i) => (console[level] = consoleMethods[i]));
});

/**
 * Lets the event loop turn once. The fetch stub answers in microtasks, so without it an async
 * property's 10,000 runs never return to the event loop, and vitest's worker cannot answer its
 * own messages meanwhile ("Timeout calling onTaskUpdate" on a busy machine).
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Storage and consent back to a fresh page's, so state does not pile up across runs. */
function freshPage() {
  setConsent('granted');
  localStorage.clear();
}

/** Settles `promise`; a rejection must be a BuyapowaError; hanging past the guard fails. */
async function settlesWithBuyapowaErrorOnly(promise: unknown): Promise<void> {
  expect(promise).toBeInstanceOf(Promise);
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise((resolve) => (guard = setTimeout(() => resolve('hung'), SETTLE_GUARD_MS)));
  const outcome = await Promise.race([
    (promise as Promise<unknown>).then(
      () => 'resolved',
      (error) => error,
    ),
    hung,
  ]);
  clearTimeout(guard);
  expect(outcome).not.toBe('hung');
  if (outcome !== 'resolved') expect(outcome).toBeInstanceOf(BuyapowaError);
}

describe('fuzz: the npm API with hostile input', { timeout: FUZZ_TEST_TIMEOUT_MS }, () => {
  it('track settles, and rejects only with BuyapowaError', async () => {
    await fuzz(
      fc.asyncProperty(arb.config(URL), arb.conversion, async (config, conversion) => {
        await nextTurn();
        freshPage();
        await settlesWithBuyapowaErrorOnly(track(config as never, conversion as never));
        expect(arb.prototypeFingerprint()).toBe(fingerprint);
      }),
    );
  });

  it('captureReferral never throws and returns a referral or null', async () => {
    await fuzz(
      fc.property(arb.config(URL), (options) => {
        freshPage();
        const referral = captureReferral(options as never);
        expect(referral === null || typeof referral === 'object').toBe(true);
        expect(arb.prototypeFingerprint()).toBe(fingerprint);
      }),
    );
  });

  it('the Buyapowa class never throws; its track settles with BuyapowaError only', async () => {
    await fuzz(
      fc.asyncProperty(
        arb.config(URL),
        arb.hostileValue,
        arb.hostileValue,
        arb.conversion,
        arb.config(URL),
        async (config, container, errorContainer, conversion, options) => {
          await nextTurn();
          freshPage();
          const buyapowa = new Buyapowa(config as never, container as never, errorContainer as never);
          expect(() => buyapowa.captureReferral(options as never)).not.toThrow();
          await settlesWithBuyapowaErrorOnly(buyapowa.track(conversion as never));
          expect(arb.prototypeFingerprint()).toBe(fingerprint);
        },
      ),
    );
  });

  it('getReferral and flushConversions never throw, whatever config they are handed', async () => {
    await fuzz(
      fc.asyncProperty(arb.config(URL), async (config) => {
        await nextTurn();
        freshPage();
        // A script-tag page may hand getReferral its config too; it must not matter.
        expect(() => (getReferral as (c: unknown) => unknown)(config)).not.toThrow();
        let returned: unknown;
        expect(() => (returned = flushConversions(config as never))).not.toThrow();
        if (returned instanceof Promise) await settlesWithBuyapowaErrorOnly(returned);
        expect(arb.prototypeFingerprint()).toBe(fingerprint);
      }),
    );
  });

  it('noscriptPixelUrl returns a URL on the market domain or throws BuyapowaError', async () => {
    await fuzz(
      fc.property(arb.config(URL), arb.conversion, (config, conversion) => {
        try {
          expect(noscriptPixelUrl(config as never, conversion as never).startsWith(URL + '/track.gif?')).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(BuyapowaError);
        }
        expect(arb.prototypeFingerprint()).toBe(fingerprint);
      }),
    );
  });
});
