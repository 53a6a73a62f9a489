// @vitest-environment node
// sign/verify need no globalThis.crypto: @noble/hashes is pure synchronous JavaScript, so what
// runs here on Node 20 is exactly what runs on a WebCrypto-only edge runtime.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { BuyapowaError, sign, signFields, verify } from '../../src/server';

// The guide's secret and its two worked examples ("Restrict access" and "Sign the tracking requests").
const SECRET = 'afd46269f68a4b63b6a926d8bad9f5b5';
const LOGIN_SIGNATURE = 'e8ca91ebc4b1d0831086f1d93ce76b9f15fbebf23883dcbf1361194752befb22';
const TRACK_SIGNATURE = '351381bad6a8c4c3ca0baff383bf64b5248e6ba467314b88c84e3d5e9c91da33';

/** An independent reference: node:crypto over a canonical JSON string written by hand. */
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const login = { auto: true, name: 'John Doe', email: 'john@doe.com', marketing_opt_in: 'true', locale: 'en', signed_keys: 'name, email' };
const conversion = {
  customer_name: 'John, Doe',
  customer_email: 'john@doe.com',
  order_number: 'ORDER123',
  order_value: '12.89',
  signed_keys: 'order_number, customer_email',
};

describe('sign', () => {
  test("reproduces the guide's seamless-login example", () => {
    expect(sha256Hex('{"email":"john@doe.com","name":"John Doe","secret":"afd46269f68a4b63b6a926d8bad9f5b5"}')).toBe(LOGIN_SIGNATURE);
    expect(sign(login, SECRET)).toBe(LOGIN_SIGNATURE);
  });

  test("reproduces the guide's tracking example", () => {
    expect(sign(conversion, SECRET)).toBe(TRACK_SIGNATURE);
  });

  test('ignores the order of signed_keys and of the fields, and trims each name', () => {
    const reordered = { signed_keys: ' email ,name ', email: 'john@doe.com', name: 'John Doe' };
    expect(sign(reordered, SECRET)).toBe(LOGIN_SIGNATURE);
    expect(sign({ ...conversion, signed_keys: 'customer_email,order_number' }, SECRET)).toBe(TRACK_SIGNATURE);
    expect(sign({ ...conversion, signed_keys: 'customer_email,\torder_number,' }, SECRET)).toBe(TRACK_SIGNATURE);
  });

  test('ignores fields that signed_keys does not name', () => {
    expect(sign({ ...login, custom_field: 'x', signature: 'whatever' }, SECRET)).toBe(LOGIN_SIGNATURE);
  });

  test('signs non-ASCII values as UTF-8, unescaped (accents, emoji, right-to-left)', () => {
    const fields = { name: 'Zoë Éclair 🎉', email: 'مريم@example.com', signed_keys: 'name, email' };
    const canonical = '{"email":"مريم@example.com","name":"Zoë Éclair 🎉","secret":"afd46269f68a4b63b6a926d8bad9f5b5"}';
    expect(sign(fields, SECRET)).toBe(sha256Hex(canonical));
  });

  test('escapes quotes, backslashes and control characters as RFC 8785 does', () => {
    const fields = { name: 'A "B" \\ C\n\u0001', email: 'x@y.z', signed_keys: 'name,email' };
    const canonical = '{"email":"x@y.z","name":"A \\"B\\" \\\\ C\\n\\u0001","secret":"s"}';
    expect(sign(fields, 's')).toBe(sha256Hex(canonical));
  });

  test('signs voucher_codes as an array, and values as given (types matter)', () => {
    const fields = { ...conversion, voucher_codes: ['CODE1', 'CODE2'], signed_keys: 'order_number, customer_email, voucher_codes' };
    const canonical =
      '{"customer_email":"john@doe.com","order_number":"ORDER123","secret":"afd46269f68a4b63b6a926d8bad9f5b5","voucher_codes":["CODE1","CODE2"]}';
    expect(sign(fields, SECRET)).toBe(sha256Hex(canonical));
    // The array is not the comma-joined string, and 12.5 is not "12.50".
    expect(sign({ ...fields, voucher_codes: 'CODE1,CODE2' }, SECRET)).not.toBe(sign(fields, SECRET));
    const asNumber = sign({ order_value: 12.5, signed_keys: 'order_value' }, SECRET);
    expect(asNumber).toBe(sha256Hex('{"order_value":12.5,"secret":"afd46269f68a4b63b6a926d8bad9f5b5"}'));
    expect(asNumber).not.toBe(sign({ order_value: '12.50', signed_keys: 'order_value' }, SECRET));
  });

  test('sorts nested object keys too', () => {
    const fields = { client_data: { b: 1, a: [true, null] }, signed_keys: 'client_data' };
    expect(sign(fields, 's')).toBe(sha256Hex('{"client_data":{"a":[true,null],"b":1},"secret":"s"}'));
  });

  test('names the field, what was expected and what was received', () => {
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(BuyapowaError);
        expect((e as BuyapowaError).code).toBe('invalid_config');
        return (e as Error).message;
      }
      throw new Error('expected a throw');
    };
    expect(error(() => sign({ name: 'a', email: 'b' }, SECRET))).toMatch(/"signed_keys" expected a comma-separated list of field names.*received undefined/);
    expect(error(() => sign({ name: 'a', signed_keys: ' , ' }, SECRET))).toMatch(/"signed_keys" expected at least one field name/);
    expect(error(() => sign({ name: 'a', signed_keys: 'name, email' }, SECRET))).toMatch(
      /"email" expected a value because signed_keys \("name, email"\) lists it, received undefined/,
    );
    expect(error(() => sign({ secret: 'x', signed_keys: 'secret' }, SECRET))).toMatch(/"signed_keys" expected field names other than "secret"/);
    expect(error(() => sign(login, ''))).toMatch(/"secret" expected your market's secret key.*received an empty string/);
    expect(error(() => sign(login, undefined as never))).toMatch(/"secret" expected .* received undefined/);
    expect(error(() => sign({ order_value: NaN, signed_keys: 'order_value' }, SECRET))).toMatch(/"order_value" expected a finite number, received NaN/);
    expect(error(() => sign({ voucher_codes: ['A', () => 1], signed_keys: 'voucher_codes' }, SECRET))).toMatch(
      /"voucher_codes\[1\]" expected a string, number/,
    );
    expect(error(() => sign({ name: 'x\ud800', signed_keys: 'name' }, SECRET))).toMatch(/"name" expected a string without lone surrogates/);
    expect(error(() => sign(null as never, SECRET))).toMatch(/"fields" expected an object/);
  });
});

describe('verify', () => {
  const signed = { ...login, signature: LOGIN_SIGNATURE };

  test("accepts the guide's signatures", () => {
    expect(verify(signed, SECRET)).toBe(true);
    expect(verify({ ...conversion, signature: TRACK_SIGNATURE }, SECRET)).toBe(true);
  });

  test('accepts the same digest in upper-case hex', () => {
    expect(verify({ ...signed, signature: LOGIN_SIGNATURE.toUpperCase() }, SECRET)).toBe(true);
  });

  test('rejects a tampered field, another secret and another signature', () => {
    expect(verify({ ...signed, email: 'mallory@doe.com' }, SECRET)).toBe(false);
    expect(verify({ ...signed, name: 'John Doe ' }, SECRET)).toBe(false);
    expect(verify(signed, SECRET + 'x')).toBe(false);
    expect(verify({ ...signed, signature: TRACK_SIGNATURE }, SECRET)).toBe(false);
    // Dropping a name from signed_keys changes what is signed.
    expect(verify({ ...signed, signed_keys: 'email' }, SECRET)).toBe(false);
  });

  test('returns false, never throws, for absent or malformed input', () => {
    expect(verify({ ...login }, SECRET)).toBe(false);
    expect(verify({ ...signed, signature: '' }, SECRET)).toBe(false);
    expect(verify({ ...signed, signature: LOGIN_SIGNATURE.slice(0, 63) }, SECRET)).toBe(false);
    expect(verify({ ...signed, signature: LOGIN_SIGNATURE + '00' }, SECRET)).toBe(false);
    expect(verify({ ...signed, signature: 'g'.repeat(64) }, SECRET)).toBe(false);
    expect(verify({ ...signed, signature: 42 as never }, SECRET)).toBe(false);
    expect(verify({ ...signed, signed_keys: undefined }, SECRET)).toBe(false);
    expect(verify({ ...signed, signed_keys: 'name, email, missing' }, SECRET)).toBe(false);
    expect(verify({ ...signed, name: NaN }, SECRET)).toBe(false);
    expect(verify(null as never, SECRET)).toBe(false);
    expect(verify('text' as never, SECRET)).toBe(false);
  });

  test('throws on an empty secret: that is a configuration mistake, not bad input', () => {
    expect(() => verify(signed, '')).toThrow(/"secret" expected/);
  });
});

describe('signFields', () => {
  test('adds signed_keys and the signature', () => {
    const out = signFields({ customer_email: 'john@doe.com', order_number: 'ORDER123', order_value: '12.89' }, ['order_number', 'customer_email'], SECRET);
    expect(out).toEqual({
      customer_email: 'john@doe.com',
      order_number: 'ORDER123',
      order_value: '12.89',
      signed_keys: 'order_number, customer_email',
      signature: TRACK_SIGNATURE,
    });
    expect(signFields({ name: 'John Doe', email: 'john@doe.com' }, 'name, email', SECRET).signature).toBe(LOGIN_SIGNATURE);
    expect(verify(out, SECRET)).toBe(true);
  });

  test('fails like sign when a key is missing', () => {
    expect(() => signFields({ name: 'John Doe' }, ['name', 'email'], SECRET)).toThrow(/"email" expected a value/);
  });
});

describe('sign, with hostile fields', () => {
  test('signs a key named __proto__: its value counts', () => {
    const fields = JSON.parse('{"__proto__":"a","email":"x@y.co","signed_keys":"__proto__, email"}');
    const other = JSON.parse('{"__proto__":"b","email":"x@y.co","signed_keys":"__proto__, email"}');
    expect(sign(fields, SECRET)).toBe(sha256Hex(`{"__proto__":"a","email":"x@y.co","secret":"${SECRET}"}`));
    expect(verify({ ...other, signature: sign(fields, SECRET) }, SECRET)).toBe(false);
    expect(({} as Record<string, unknown>).email).toBeUndefined();
  });

  test('refuses values nested too deep, or in a cycle, with BuyapowaError instead of a RangeError', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 10000; i++) deep = [deep];
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [deep, cycle]) {
      expect(() => sign({ data: value, signed_keys: 'data' }, SECRET)).toThrow(BuyapowaError);
      expect(() => sign({ data: value, signed_keys: 'data' }, SECRET)).toThrow(/nested at most 100 levels deep/);
      expect(verify({ data: value, signed_keys: 'data', signature: 'a'.repeat(64) }, SECRET)).toBe(false);
    }
  });

  test('turns throwing getters and Proxies into BuyapowaError, and verify into false', () => {
    const getter = Object.defineProperty({ signed_keys: 'a' }, 'a', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const trap = new Proxy(
      { signed_keys: 'a', a: 1 },
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    for (const fields of [
      getter,
      trap,
      {
        signed_keys: 'a',
        a: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap');
            },
          },
        ),
      },
    ]) {
      expect(() => sign(fields as never, SECRET)).toThrow(BuyapowaError);
      expect(() => signFields(fields as never, 'a', SECRET)).toThrow(BuyapowaError);
      expect(verify(fields as never, SECRET)).toBe(false);
    }
    expect(() => sign({ a: Symbol('s'), signed_keys: 'a' } as never, SECRET)).toThrow(
      /"a" expected a string, number, boolean, null, array or plain object, received Symbol\(s\)/,
    );
    expect(() => signFields({ a: 1 }, [Symbol('s')] as never, SECRET)).toThrow(BuyapowaError);
  });
});
