// bp_e (brief decision 4, docs/protocol.md §5): AES-256-ECB with PKCS#7 padding, the key being
// the first 32 characters of the market's auth token, the ciphertext base64 then URL-escaped.
// ECB is Buyapowa's format, not our choice; @noble/ciphers does the AES (pure JS, synchronous,
// so it runs on Node 20 and on WebCrypto-only edge runtimes, whose SubtleCrypto has no ECB).
import { ecb } from '@noble/ciphers/aes.js';
import { BuyapowaError, onlyBuyapowaErrors, problem } from '../core/errors';
import { LONE_SURROGATE } from '../core/fields';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ENCODER = new TextEncoder();
/** Refuses bytes that are not UTF-8 (a wrong key decrypts to noise); reusable, it keeps no state between calls. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The AES-256 key: the first 32 characters of the auth token, as bytes. */
function keyOf(authToken: unknown, where: string): Uint8Array {
  if (typeof authToken !== 'string')
    throw new BuyapowaError('invalid_config', `${where}: ` + problem('authToken', "your market's auth token (a string of at least 32 characters)", authToken));
  const head = authToken.slice(0, 32);
  const key = ENCODER.encode(head);
  if (head.length < 32 || key.length !== 32)
    throw new BuyapowaError(
      'invalid_config',
      `${where}: "authToken" expected your market's auth token, at least 32 ASCII characters (like "fd7cf959-8a3d-431e-975b-b5d3f36aa710"), received ${authToken.length} characters` +
        (key.length !== head.length ? ' with non-ASCII ones' : ''),
    );
  return key;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

/**
 * Encrypts a payload into a `bp_e` value, as Buyapowa's share links and auto sign-up URLs carry
 * it: AES-256-ECB with PKCS#7 padding, keyed with the first 32 characters of your auth token,
 * then base64, then URL-escaped so it goes straight after `?bp_e=`.
 *
 * @param payload - An object (written with `JSON.stringify`, keys in their insertion order) or a
 *   string (encrypted as is).
 * @param authToken - Your market's auth token; only its first 32 characters are used.
 * @returns The URL-escaped base64 ciphertext, e.g. `xXqWA%2B4gNXz…%3D%3D`.
 * @throws {@link BuyapowaError} `invalid_config` when the auth token is shorter than 32
 *   characters, or the payload is neither an object nor a string.
 * @example
 * ```ts
 * import { encryptBpE } from 'buyapowa-sdk/server';
 * const bpE = encryptBpE({ email: 'john@doe.com', name: 'John Doe', auto: 'true' }, process.env.BUYAPOWA_AUTH_TOKEN!);
 * const link = 'https://www.company.com/refer-a-friend?bp_e=' + bpE;
 * ```
 */
export function encryptBpE(payload: object | string, authToken: string): string {
  const key = keyOf(authToken, 'encryptBpE');
  const notJson = () => 'encryptBpE: ' + problem('payload', 'an object JSON can write (no BigInt, no cycle, readable fields) or a string', payload);
  const text = onlyBuyapowaErrors('invalid_config', notJson, () =>
    typeof payload === 'string' ? payload : payload && typeof payload === 'object' ? JSON.stringify(payload) : undefined,
  );
  if (typeof text !== 'string') throw new BuyapowaError('invalid_config', 'encryptBpE: ' + problem('payload', 'an object or a string', payload));
  // UTF-8 would turn a lone surrogate into U+FFFD: what decrypts would not be what was given.
  if (LONE_SURROGATE.test(text)) throw new BuyapowaError('invalid_config', 'encryptBpE: ' + problem('payload', 'text without lone surrogates', payload));
  return encodeURIComponent(toBase64(ecb(key).encrypt(ENCODER.encode(text))));
}

/**
 * Decrypts a `bp_e` value: the referral metadata of a share-link landing, or the details of an
 * auto sign-up link.
 *
 * Accepts what a web framework hands you: the value URL-escaped (even twice) or already
 * unescaped, with the line breaks Ruby's `Base64.encode64` inserts (raw or as `%0A`),
 * surrounding whitespace, and `+` turned into a space by form decoding.
 *
 * @param value - The `bp_e` query parameter.
 * @param authToken - Your market's auth token; only its first 32 characters are used.
 * @returns The parsed JSON (an object, for every value Buyapowa makes). When the plaintext is not
 *   JSON, the plaintext string itself, so `decryptBpE(encryptBpE('text', t), t) === 'text'`.
 * @throws {@link BuyapowaError} `invalid_input` when the value is empty, not base64, not whole
 *   AES blocks, or does not decrypt with this auth token (bad padding or not UTF-8: a value
 *   changed or cut short, or the auth token of another market); `invalid_config` when the auth
 *   token is shorter than 32 characters.
 * @example
 * ```ts
 * import { decryptBpE } from 'buyapowa-sdk/server';
 * const metadata = decryptBpE(new URL(request.url).searchParams.get('bp_e')!, process.env.BUYAPOWA_AUTH_TOKEN!);
 * // → { referral_count: 0, email: 'john@doe.com', first_name: 'John', …, voucher_code: 'QRBPFRNDE827E62E' }
 * ```
 */
export function decryptBpE(value: string, authToken: string): unknown {
  const text = decryptBpEText(value, authToken);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Decrypts a `bp_e` value to its plaintext; see {@link decryptBpE}. @internal */
export function decryptBpEText(value: string, authToken: string): string {
  const key = keyOf(authToken, 'decryptBpE');
  const unreadable = () => 'decryptBpE: ' + problem('bp_e', 'the bp_e value of a landing URL (URL-escaped base64)', value);
  return onlyBuyapowaErrors('invalid_input', unreadable, () => decryptWith(key, value));
}

/** The steps of {@link decryptBpEText}, once the key is known. */
function decryptWith(key: Uint8Array, value: string): string {
  if (typeof value !== 'string' || !value.trim())
    throw new BuyapowaError('invalid_input', 'decryptBpE: ' + problem('bp_e', 'the bp_e value of a landing URL (URL-escaped base64)', value));
  let text = value.trim();
  // Unescape until no %XX is left (links that went through a redirect get escaped twice).
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(text); i++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  // Ruby's line breaks go; a space can only be a "+" that form decoding turned into one.
  text = text
    .replace(/[\r\n\t]/g, '')
    .trim()
    .replace(/ /g, '+');
  // URL-safe base64 (-, _) and missing padding are accepted too.
  text = text.replace(/-/g, '+').replace(/_/g, '/');
  if (text.length % 4) text += '='.repeat(4 - (text.length % 4));
  if (!BASE64.test(text) || text.length % 4)
    throw new BuyapowaError('invalid_input', 'decryptBpE: ' + problem('bp_e', 'base64 (URL-escaped or not), like "xXqWA%2B4gNXz…%3D%3D"', value));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (!bytes.length || bytes.length % 16)
    throw new BuyapowaError(
      'invalid_input',
      `decryptBpE: "bp_e" expected whole 16-byte AES blocks, received ${bytes.length} bytes: was the value cut short or changed?`,
    );
  const wrongKey = () =>
    new BuyapowaError(
      'invalid_input',
      'decryptBpE: "bp_e" does not decrypt with this auth token (expected valid padding and UTF-8 text, received neither): is it the auth token of the market that made the link, and is the value complete?',
    );
  let plain: Uint8Array;
  try {
    plain = ecb(key).decrypt(bytes);
  } catch {
    throw wrongKey();
  }
  try {
    return STRICT_UTF8.decode(plain);
  } catch {
    throw wrongKey();
  }
}
