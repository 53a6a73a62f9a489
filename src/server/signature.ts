// Signatures (brief decision 3, docs/protocol.md §4): lowercase hex SHA-256 of the RFC 8785
// canonical JSON of the signed fields plus "secret".
//
// @noble/hashes is pure, synchronous JavaScript: the same code runs on Node 20, Deno, Bun and
// WebCrypto-only edge runtimes (whose crypto.subtle.digest is async), so no runtime switch.
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { BuyapowaError, onlyBuyapowaErrors, problem, received } from '../core/errors';
import { LONE_SURROGATE, readFields, signedKeyList } from '../core/fields';

/**
 * Fields to sign or verify: the embed's seamless-login fields or a conversion, with
 * `signed_keys` (and, to verify, `signature`).
 */
export type SignableFields = Record<string, unknown> & { signed_keys?: string; signature?: string };

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** How deep signed values may nest: far more than any real field, far less than the stack allows. */
const SIGNED_MAX_DEPTH = 100;

/** The names in `signed_keys` (see {@link signedKeyList}: trimmed, empty entries skipped), checked. @internal */
export function parseSignedKeys(signedKeys: unknown): string[] {
  if (typeof signedKeys !== 'string' || !signedKeys.trim())
    throw new BuyapowaError('invalid_config', 'sign: ' + problem('signed_keys', 'a comma-separated list of field names, like "name, email"', signedKeys));
  const keys = signedKeyList(signedKeys);
  if (!keys.length) throw new BuyapowaError('invalid_config', 'sign: ' + problem('signed_keys', 'at least one field name, like "name, email"', signedKeys));
  if (keys.includes('secret'))
    throw new BuyapowaError('invalid_config', 'sign: ' + problem('signed_keys', 'field names other than "secret" (the secret is added for you)', signedKeys));
  return keys;
}

/**
 * Computes the signature of the fields named in `fields.signed_keys`, as Buyapowa does: the
 * lowercase hex SHA-256 of the canonical JSON (RFC 8785: keys sorted, no whitespace) of those
 * fields plus your `secret`. Values are signed exactly as given: `"12.50"` and `12.5` differ,
 * and `voucher_codes` stays an array. Fields not named in `signed_keys` are ignored.
 *
 * Run it on your server only: the secret must never reach a browser.
 *
 * @param fields - The fields, including `signed_keys`, e.g. `{ name, email, signed_keys: "name, email" }`.
 * @param secret - Your market's secret key.
 * @returns 64 lowercase hex characters, for the `signature` field.
 * @throws {@link BuyapowaError} `invalid_config` when `signed_keys` is missing or empty, when it
 *   names a field that `fields` lacks, when a value cannot be written as JSON (a function,
 *   `NaN`, a lone surrogate…), or when `secret` is empty.
 * @example
 * ```ts
 * import { sign } from 'buyapowa-sdk/server';
 * sign({ name: 'John Doe', email: 'john@doe.com', signed_keys: 'name, email' }, 'afd46269f68a4b63b6a926d8bad9f5b5');
 * // → 'e8ca91ebc4b1d0831086f1d93ce76b9f15fbebf23883dcbf1361194752befb22'
 * ```
 */
export function sign(fields: SignableFields, secret: string): string {
  return bytesToHex(digest(fields, secret));
}

/**
 * Checks `fields.signature` against the fields named in `fields.signed_keys`, comparing the
 * digests in constant time. Hex case does not matter (`ABC…` equals `abc…`: same bytes).
 *
 * It never throws on what a visitor controls: missing or malformed `signed_keys`, a missing
 * signed field, an absent or malformed signature all give `false`.
 *
 * @param fields - The received fields, with `signed_keys` and `signature`.
 * @param secret - Your market's secret key.
 * @returns `true` when the signature matches.
 * @throws {@link BuyapowaError} `invalid_config` only when `secret` is empty or not a string
 *   (a mistake in your configuration, not in the request).
 * @example
 * ```ts
 * import { verify } from 'buyapowa-sdk/server';
 * if (!verify(request.body, process.env.BUYAPOWA_SECRET!)) return new Response('bad signature', { status: 401 });
 * ```
 */
export function verify(fields: SignableFields, secret: string): boolean {
  return verifiedKeys(fields, secret, 'verify') !== null;
}

/**
 * {@link verify}, returning the names in `signed_keys` when the signature matches and `null`
 * when it does not: the relay checks which fields were signed without parsing them again.
 * @internal
 */
export function verifiedKeys(fields: SignableFields, secret: string, where = 'verify'): string[] | null {
  checkSecret(secret, where);
  try {
    const given = !Array.isArray(fields) && readFields(fields);
    const signature = given && given.signature;
    if (!given || typeof signature !== 'string' || !HEX64.test(signature)) return null;
    const keys = parseSignedKeys(given.signed_keys);
    return equalBytes(digestOf(given, keys, secret), hexToBytes(signature.toLowerCase())) ? keys : null;
  } catch {
    // Whatever a visitor sent (a value too deep, a lone surrogate, a missing field): not signed by us.
    return null;
  }
}

/**
 * Returns a copy of `fields` with `signed_keys` and `signature` set: the one call a merchant's
 * server needs before rendering an embed or a tracking tag.
 *
 * @param fields - The fields to send, e.g. `{ customer_email, order_number, order_value }`.
 * @param keys - The fields to sign, as an array or a comma-separated string.
 * @param secret - Your market's secret key.
 * @returns `{ ...fields, signed_keys: "a, b", signature }`.
 * @throws {@link BuyapowaError} `invalid_config` as {@link sign} does.
 * @example
 * ```ts
 * import { signFields } from 'buyapowa-sdk/server';
 * const conversion = signFields({ customer_email: 'john@doe.com', order_number: 'ORDER123' }, ['customer_email', 'order_number'], secret);
 * // → { customer_email, order_number, signed_keys: 'customer_email, order_number', signature: '351381ba…' }
 * ```
 */
export function signFields<T extends Record<string, unknown>>(
  fields: T,
  keys: string | readonly string[],
  secret: string,
): T & { signed_keys: string; signature: string } {
  return onlyBuyapowaErrors(
    'invalid_config',
    () => 'signFields: ' + problem('fields', 'an object whose fields can be read', fields),
    () => {
      const signedKeys = typeof keys === 'string' ? keys : Array.isArray(keys) ? keys.map(String).join(', ') : (keys as unknown);
      const given = readFields(fields);
      if (!given) throw new BuyapowaError('invalid_config', 'signFields: ' + problem('fields', 'an object with the fields to sign', fields));
      const out = { ...given, signed_keys: signedKeys } as T & { signed_keys: string; signature: string };
      out.signature = sign(out, secret);
      return out;
    },
  );
}

/**
 * SHA-256 of the canonical JSON of the signed fields plus the secret. The fields are read once
 * into a copy without prototypes (so a key named `__proto__` is signed like any other), checked
 * as they are copied, and only the copy is canonicalised.
 */
function digest(fields: SignableFields, secret: string): Uint8Array {
  checkSecret(secret, 'sign');
  const notFields = () => 'sign: ' + problem('fields', 'an object with signed_keys and the fields it names', fields);
  return onlyBuyapowaErrors('invalid_config', notFields, () => {
    const given = !Array.isArray(fields) && readFields(fields);
    if (!given) throw new BuyapowaError('invalid_config', notFields());
    return digestOf(given, parseSignedKeys(given.signed_keys), secret);
  });
}

/** {@link digest} of fields already read (by {@link readFields}), `keys` being their `signed_keys`. */
function digestOf(given: Record<string, unknown>, keys: string[], secret: string): Uint8Array {
  const signed: Record<string, unknown> = Object.create(null);
  for (const key of keys) {
    const value = given[key];
    if (value === undefined)
      throw new BuyapowaError(
        'invalid_config',
        `sign: "${key}" expected a value because signed_keys (${received(given.signed_keys)}) lists it, received undefined`,
      );
    signed[key] = jsonCopy(value, key, 0);
  }
  signed.secret = secret;
  return sha256(utf8ToBytes(canonicalize(signed) as string));
}

function checkSecret(secret: unknown, where: string) {
  if (typeof secret !== 'string' || !secret)
    throw new BuyapowaError(
      'invalid_config',
      `${where}: "secret" expected your market's secret key (a non-empty string), received ${typeof secret === 'string' ? 'an empty string' : received(secret)}`,
    );
}

/**
 * A copy of `value` that RFC 8785 can write (objects without prototypes), or a BuyapowaError
 * naming where the problem is: `voucher_codes[1]`. Depth is bounded, so deep nesting or a cycle
 * is a message, not a stack overflow.
 */
function jsonCopy(value: unknown, path: string, depth: number): unknown {
  const fail = (expected: string): never => {
    throw new BuyapowaError('invalid_config', 'sign: ' + problem(path, expected, value));
  };
  if (depth > SIGNED_MAX_DEPTH) fail(`values nested at most ${SIGNED_MAX_DEPTH} levels deep (is there a cycle?)`);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail('a finite number');
  if (typeof value === 'string') {
    // RFC 8785 refuses lone surrogates: they have no UTF-8 form.
    return LONE_SURROGATE.test(value) ? fail('a string without lone surrogates') : value;
  }
  if (Array.isArray(value)) return Array.from(value as unknown[], (item, i) => jsonCopy(item, `${path}[${i}]`, depth + 1));
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) return fail('a string, number, boolean, null, array or plain object');
  const copy: Record<string, unknown> = Object.create(null);
  const entries = readFields(value);
  if (!entries) return fail('an object whose fields can be read');
  for (const key of Object.keys(entries)) if (entries[key] !== undefined) copy[key] = jsonCopy(entries[key], `${path}.${key}`, depth + 1);
  return copy;
}
