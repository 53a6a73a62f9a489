// @vitest-environment node
// Property-based tests of the server helpers: whatever they are given, `sign`, `signFields`,
// `encryptBpE` and `decryptBpE` return or throw BuyapowaError, `verify` returns a boolean (or
// throws BuyapowaError for a wrong secret), and Object.prototype is untouched. Plus the
// properties that make them right: a signature verifies, a changed value does not, and bp_e
// round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as arb from './arbitraries';
import { FUZZ_TEST_TIMEOUT_MS, fuzz } from './settings';
import { BuyapowaError } from '../../src/core/errors';
import { decryptBpE, encryptBpE, sign, signFields, verify } from '../../src/server';
import { decryptBpEText } from '../../src/server/bp-e';

const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';
const AUTH_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';

/** Runs `run`; it must return, or throw a BuyapowaError. */
function returnsOrBuyapowaError(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(BuyapowaError);
    return error;
  }
}

/** Signable fields: JSON values (some hostile), keys that include __proto__, and signed_keys naming some of them. */
const fieldsToSign = fc
  .dictionary(
    fc.oneof(fc.string({ maxLength: 6 }), arb.nastyKey),
    fc.oneof({ weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: arb.hostileValue }),
    { minKeys: 1, maxKeys: 5 },
  )
  .chain((values) =>
    fc.subarray(Object.keys(values), { minLength: 1 }).map((keys) => {
      // JSON.parse makes __proto__ an own key, as a request body does.
      const fields = JSON.parse('{}');
      for (const [key, value] of Object.entries(values)) Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
      fields.signed_keys = keys.join(', ');
      return fields as Record<string, unknown> & { signed_keys: string };
    }),
  );

describe('fuzz: the server helpers with hostile input', { timeout: FUZZ_TEST_TIMEOUT_MS }, () => {
  const fingerprint = arb.prototypeFingerprint();

  it('sign and signFields return 64 hex digits or throw BuyapowaError; verify accepts what sign made, and only that', async () => {
    await fuzz(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: fieldsToSign }, { weight: 1, arbitrary: arb.conversion }),
        fc.oneof(fc.constant(SECRET), arb.hostileValue),
        (fields, secret) => {
          const signature = returnsOrBuyapowaError(() => sign(fields as never, secret as never));
          returnsOrBuyapowaError(() => signFields(fields as never, ['order_number'], secret as never));
          if (typeof signature === 'string') {
            expect(signature).toMatch(/^[0-9a-f]{64}$/);
            const signed = { ...(fields as object), signature };
            expect(verify(signed as never, secret as string)).toBe(true);
            expect(verify({ ...signed, signature: signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) } as never, secret as string)).toBe(false);
          }
          expect(arb.prototypeFingerprint()).toBe(fingerprint);
        },
      ),
    );
  });

  it('verify returns a boolean for any request body, never throwing with a valid secret', async () => {
    await fuzz(
      fc.property(fc.oneof(fieldsToSign, arb.conversion, arb.hostileValue), (fields) => {
        expect(typeof verify(fields as never, SECRET)).toBe('boolean');
        expect(arb.prototypeFingerprint()).toBe(fingerprint);
      }),
    );
  });

  it('decryptBpE returns or throws BuyapowaError for any value and token; encryptBpE round-trips', async () => {
    await fuzz(
      fc.property(
        fc.oneof(arb.hostileValue, fc.string(), fc.base64String()),
        fc.oneof({ weight: 3, arbitrary: fc.constant(AUTH_TOKEN) }, { weight: 1, arbitrary: arb.hostileValue }),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null && typeof v === 'object'),
          fc.string({ unit: 'grapheme' }),
          arb.hostileValue,
        ),
        (value, token, payload) => {
          returnsOrBuyapowaError(() => decryptBpE(value as never, token as never));
          const encrypted = returnsOrBuyapowaError(() => encryptBpE(payload as never, AUTH_TOKEN));
          if (typeof encrypted === 'string') {
            // What was encrypted comes back exactly (decryptBpE then parses it when it is JSON).
            expect(decryptBpEText(encrypted, AUTH_TOKEN)).toBe(typeof payload === 'string' ? payload : JSON.stringify(payload));
          }
          expect(arb.prototypeFingerprint()).toBe(fingerprint);
        },
      ),
    );
  });
});
