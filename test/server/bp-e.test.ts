// @vitest-environment node
// encryptBpE/decryptBpE need no globalThis.crypto: @noble/ciphers is pure synchronous
// JavaScript (WebCrypto has no AES-ECB anyway), so Node 20 and edge runtimes run the same code.
import { createCipheriv } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { BuyapowaError, decryptBpE, encryptBpE } from '../../src/server';

// The guide's "Auto Sign-ups" example.
const SIGNUP_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';
const SIGNUP_JSON = '{"email":"john@doe.com","name":"John Doe","auto":"true"}';
const SIGNUP_BASE64 = 'xXqWA+4gNXzWJ+RdmPRylfonBLMkpHtAM3ybYHpm7t6YPRCLQvyYwVKoyC9nQic4y3YPTWWICC0p1pEG995WgQ==';
const SIGNUP_ESCAPED = 'xXqWA%2B4gNXzWJ%2BRdmPRylfonBLMkpHtAM3ybYHpm7t6YPRCLQvyYwVKoyC9nQic4y3YPTWWICC0p1pEG995WgQ%3D%3D';

// The guide's "Referral Metadata" example: URL-escaped, with Ruby's line breaks as %0A.
const METADATA_TOKEN = 'fec8d49d-7f85-4884-864a-5cdc01b87cce';
const METADATA_BP_E =
  'c%2FwMvXhEdoEvGFXKkMyzd0cxr%2BUArvqiQMVW7MgtMx2rqvfPRnC7Xaz4Ltvt%0AJfLYpbLjd%2B4ySs7228Z7AIRehpidnuBHRGtUYehcTp9epG32TP969YDqcEmo%0AVDLONgO49cOXxriOr3ydze3IcI0U1av9cTl%2B%2FDvIGxBwUp8eB1XyxH4SCget%0AS%2Bh8poKBJMpr5m5CW7Qjx%2FYZzoVgDuTsoFFYiHPz2gTgMXitWC3%2BSKau1Jp8%0A6QbjROCSAVlP%2FoTGp9FMAGTpUxUh%2BoLUMDvO17KCnDzye6DpKQvF2lsqHLlQ%0AR1KWvYqF5kEDTSVUnnzPvbPW7%2FNjGRlZy7LpQYlPXEuOCkTGDYOG3JbSbark%0ANagXwyRCmxcelzyoa8KqEirw06K1u3xNt%2B6kdtUuk%2FhqTCNHX3tx%2Fk3niSCF%0AjSYZvyyzflWcvqnevtS0U8F7EdFpOlUqW6Z3JimoKyVG9E5n7CLatqppd0Ny%0Ao1UWIzRh7Es%3D';
const METADATA = {
  referral_count: 0,
  email: 'john@doe.com',
  first_name: 'John',
  last_name: 'Doe',
  client_data: { customer_id: 'ABC123' },
  custom_fields: [{ key: 'mobile_number', value: '07123456789' }],
  friend: {
    email: 'jane@smith.com',
    first_name: 'Jane',
    last_name: 'Smith',
    custom_fields: [{ key: 'mobile_number', value: '07987654321' }],
  },
  voucher_code: 'QRBPFRNDE827E62E',
};

/** The message of the BuyapowaError `run` throws: `invalid_config`, or `invalid_input` for a bad bp_e value. */
function failure(run: () => unknown, code: 'invalid_config' | 'invalid_input' = 'invalid_config'): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(BuyapowaError);
    expect((e as BuyapowaError).code).toBe(code);
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('encryptBpE', () => {
  test("reproduces the guide's auto sign-up example, URL-escaped", () => {
    expect(encryptBpE({ email: 'john@doe.com', name: 'John Doe', auto: 'true' }, SIGNUP_TOKEN)).toBe(SIGNUP_ESCAPED);
    expect(encryptBpE(SIGNUP_JSON, SIGNUP_TOKEN)).toBe(SIGNUP_ESCAPED);
    expect(decodeURIComponent(SIGNUP_ESCAPED)).toBe(SIGNUP_BASE64);
  });

  test('matches OpenSSL (node:crypto aes-256-ecb) on non-ASCII text of every padding length', () => {
    for (let n = 0; n < 40; n++) {
      const text = 'é🎉م'.repeat(n % 5) + 'x'.repeat(n);
      const cipher = createCipheriv('aes-256-ecb', SIGNUP_TOKEN.slice(0, 32), null);
      const expected = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
      expect(encryptBpE(text, SIGNUP_TOKEN)).toBe(encodeURIComponent(expected));
    }
  });

  test('uses only the first 32 characters of the auth token', () => {
    expect(encryptBpE(SIGNUP_JSON, SIGNUP_TOKEN.slice(0, 32))).toBe(SIGNUP_ESCAPED);
    expect(encryptBpE(SIGNUP_JSON, SIGNUP_TOKEN.slice(0, 32) + 'anything')).toBe(SIGNUP_ESCAPED);
  });

  test('refuses a short auth token and a payload that is neither object nor string', () => {
    expect(failure(() => encryptBpE({}, 'too-short'))).toMatch(/"authToken" expected .* at least 32 ASCII characters .* received 9 characters/);
    expect(failure(() => encryptBpE({}, 'é'.repeat(32)))).toMatch(/received 32 characters with non-ASCII ones/);
    expect(failure(() => encryptBpE({}, undefined as never))).toMatch(/"authToken" expected .* received undefined/);
    expect(failure(() => encryptBpE(42 as never, SIGNUP_TOKEN))).toMatch(/"payload" expected an object or a string, received 42/);
    expect(failure(() => encryptBpE(null as never, SIGNUP_TOKEN))).toMatch(/"payload" expected an object or a string, received null/);
  });
});

describe('decryptBpE', () => {
  test("decrypts the guide's Referral Metadata example (URL-escaped, Ruby line breaks)", () => {
    expect(decryptBpE(METADATA_BP_E, METADATA_TOKEN)).toEqual(METADATA);
  });

  test("decrypts the guide's auto sign-up example, escaped or not", () => {
    const expected = { email: 'john@doe.com', name: 'John Doe', auto: 'true' };
    expect(decryptBpE(SIGNUP_ESCAPED, SIGNUP_TOKEN)).toEqual(expected);
    expect(decryptBpE(SIGNUP_BASE64, SIGNUP_TOKEN)).toEqual(expected);
    // Escaped twice (a link that went through a redirect).
    expect(decryptBpE(encodeURIComponent(SIGNUP_ESCAPED), SIGNUP_TOKEN)).toEqual(expected);
    // Form decoding turned "+" into " ".
    expect(decryptBpE(SIGNUP_BASE64.replace(/\+/g, ' '), SIGNUP_TOKEN)).toEqual(expected);
    // URL-safe alphabet, surrounding whitespace.
    expect(decryptBpE('  ' + SIGNUP_BASE64.replace(/\+/g, '-').replace(/\//g, '_') + '\n', SIGNUP_TOKEN)).toEqual(expected);
  });

  test("accepts Ruby's literal line breaks (Base64.encode64 wraps at 60 characters)", () => {
    const base64 = decodeURIComponent(METADATA_BP_E);
    expect(base64).toContain('\n');
    expect(decryptBpE(base64, METADATA_TOKEN)).toEqual(METADATA);
    expect(decryptBpE(base64.replace(/\n/g, '\r\n'), METADATA_TOKEN)).toEqual(METADATA);
    expect(decryptBpE(base64.replace(/\n/g, ''), METADATA_TOKEN)).toEqual(METADATA);
  });

  test('round-trips objects, non-ASCII text and plain strings', () => {
    const payload = { email: 'zoë@example.com', name: 'مريم 🎉', auto: 'false', custom_field: '07123 456789' };
    expect(decryptBpE(encryptBpE(payload, METADATA_TOKEN), METADATA_TOKEN)).toEqual(payload);
    expect(decryptBpE(encryptBpE('not json', METADATA_TOKEN), METADATA_TOKEN)).toBe('not json');
    expect(decryptBpE(encryptBpE('', METADATA_TOKEN), METADATA_TOKEN)).toBe('');
  });

  test('fails clearly with the wrong auth token', () => {
    expect(failure(() => decryptBpE(METADATA_BP_E, SIGNUP_TOKEN), 'invalid_input')).toMatch(
      /does not decrypt with this auth token.*auth token of the market that made the link/,
    );
    expect(failure(() => decryptBpE(SIGNUP_ESCAPED, METADATA_TOKEN), 'invalid_input')).toMatch(/does not decrypt with this auth token/);
  });

  test('fails clearly on malformed input', () => {
    expect(failure(() => decryptBpE('', SIGNUP_TOKEN), 'invalid_input')).toMatch(/"bp_e" expected the bp_e value of a landing URL .* received ""/);
    expect(failure(() => decryptBpE(undefined as never, SIGNUP_TOKEN), 'invalid_input')).toMatch(/"bp_e" expected .* received undefined/);
    expect(failure(() => decryptBpE('not*base64!', SIGNUP_TOKEN), 'invalid_input')).toMatch(/"bp_e" expected base64 .* received "not\*base64!"/);
    // Cut short: no longer whole AES blocks.
    expect(failure(() => decryptBpE(SIGNUP_BASE64.slice(0, 40), SIGNUP_TOKEN), 'invalid_input')).toMatch(
      /expected whole 16-byte AES blocks, received 30 bytes/,
    );
    // 64 bytes = 4 blocks. A changed last block breaks the padding; a changed middle block
    // decrypts to bytes that are not UTF-8.
    const change = (at: number) => SIGNUP_BASE64.slice(0, at) + (SIGNUP_BASE64[at] === 'A' ? 'B' : 'A') + SIGNUP_BASE64.slice(at + 1);
    expect(failure(() => decryptBpE(change(80), SIGNUP_TOKEN), 'invalid_input')).toMatch(/does not decrypt/);
    expect(failure(() => decryptBpE(change(30), SIGNUP_TOKEN), 'invalid_input')).toMatch(/does not decrypt/);
    expect(failure(() => decryptBpE(SIGNUP_BASE64, 'short'))).toMatch(/"authToken" expected/);
  });
});
