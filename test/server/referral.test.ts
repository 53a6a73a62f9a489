// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { autoSignupUrl, BuyapowaError, decodeReferral, decryptBpE, encryptBpE } from '../../src/server';

// The guide's examples (see bp-e.test.ts).
const SIGNUP_TOKEN = 'fd7cf959-8a3d-431e-975b-b5d3f36aa710';
const SIGNUP_ESCAPED = 'xXqWA%2B4gNXzWJ%2BRdmPRylfonBLMkpHtAM3ybYHpm7t6YPRCLQvyYwVKoyC9nQic4y3YPTWWICC0p1pEG995WgQ%3D%3D';
const METADATA_TOKEN = 'fec8d49d-7f85-4884-864a-5cdc01b87cce';
const METADATA_BP_E =
  'c%2FwMvXhEdoEvGFXKkMyzd0cxr%2BUArvqiQMVW7MgtMx2rqvfPRnC7Xaz4Ltvt%0AJfLYpbLjd%2B4ySs7228Z7AIRehpidnuBHRGtUYehcTp9epG32TP969YDqcEmo%0AVDLONgO49cOXxriOr3ydze3IcI0U1av9cTl%2B%2FDvIGxBwUp8eB1XyxH4SCget%0AS%2Bh8poKBJMpr5m5CW7Qjx%2FYZzoVgDuTsoFFYiHPz2gTgMXitWC3%2BSKau1Jp8%0A6QbjROCSAVlP%2FoTGp9FMAGTpUxUh%2BoLUMDvO17KCnDzye6DpKQvF2lsqHLlQ%0AR1KWvYqF5kEDTSVUnnzPvbPW7%2FNjGRlZy7LpQYlPXEuOCkTGDYOG3JbSbark%0ANagXwyRCmxcelzyoa8KqEirw06K1u3xNt%2B6kdtUuk%2FhqTCNHX3tx%2Fk3niSCF%0AjSYZvyyzflWcvqnevtS0U8F7EdFpOlUqW6Z3JimoKyVG9E5n7CLatqppd0Ny%0Ao1UWIzRh7Es%3D';

describe('decodeReferral', () => {
  test("reads the referrer, the friend and the voucher code of the guide's example", () => {
    const referral = decodeReferral(METADATA_BP_E, METADATA_TOKEN);
    expect(referral.referrer).toEqual({
      email: 'john@doe.com',
      first_name: 'John',
      last_name: 'Doe',
      name: 'John Doe',
      referral_count: 0,
      client_data: { customer_id: 'ABC123' },
      custom_fields: [{ key: 'mobile_number', value: '07123456789' }],
    });
    expect(referral.friend).toMatchObject({ email: 'jane@smith.com', first_name: 'Jane', last_name: 'Smith' });
    expect(referral.voucher_code).toBe('QRBPFRNDE827E62E');
    expect(referral.metadata).toEqual(decryptBpE(METADATA_BP_E, METADATA_TOKEN));
  });

  test('takes a whole landing URL, and the value URLSearchParams hands back', () => {
    const url = 'https://www.shop.com/landing?utm_source=x&bp_e=' + METADATA_BP_E + '#top';
    expect(decodeReferral(url, METADATA_TOKEN).referrer.email).toBe('john@doe.com');
    const fromParams = new URL(url).searchParams.get('bp_e')!;
    expect(decodeReferral(fromParams, METADATA_TOKEN).voucher_code).toBe('QRBPFRNDE827E62E');
  });

  test('gives null friend and voucher code when the metadata has none', () => {
    const referral = decodeReferral(encryptBpE({ email: 'a@b.c', first_name: 'Ann' }, METADATA_TOKEN), METADATA_TOKEN);
    expect(referral).toMatchObject({ referrer: { email: 'a@b.c', name: 'Ann', last_name: '' }, friend: null, voucher_code: null });
  });

  test('refuses a bp_e that is not referral metadata, and a wrong token', () => {
    expect(() => decodeReferral(SIGNUP_ESCAPED, SIGNUP_TOKEN)).not.toThrow(); // auto sign-up links carry an email too
    expect(() => decodeReferral(encryptBpE('[1]', SIGNUP_TOKEN), SIGNUP_TOKEN)).toThrow(
      /"bp_e" expected referral metadata: an object with the referrer.s "email"/,
    );
    expect(() => decodeReferral(encryptBpE({ name: 'x' }, SIGNUP_TOKEN), SIGNUP_TOKEN)).toThrow(BuyapowaError);
    expect(() => decodeReferral(METADATA_BP_E, SIGNUP_TOKEN)).toThrow(/does not decrypt with this auth token/);
  });
});

describe('autoSignupUrl', () => {
  test("builds the guide's auto sign-up URL", () => {
    expect(autoSignupUrl('https://www.mycompany.com/refer-a-friend', { email: 'john@doe.com', name: 'John Doe', auto: true }, SIGNUP_TOKEN)).toBe(
      'https://www.mycompany.com/refer-a-friend?bp_e=' + SIGNUP_ESCAPED,
    );
    // auto defaults to true; the scheme-less form of the guide works too.
    expect(autoSignupUrl('www.company.com/refer-a-friend', { email: 'john@doe.com', name: 'John Doe' }, SIGNUP_TOKEN)).toBe(
      'www.company.com/refer-a-friend?bp_e=' + SIGNUP_ESCAPED,
    );
  });

  test('keeps the query and fragment, replaces an existing bp_e, and carries custom_field and auto=false', () => {
    const url = autoSignupUrl(
      new URL('https://www.shop.com/raf?lang=fr&bp_e=old#form'),
      { email: 'zoë@example.com', name: 'Zoë Martin', auto: 'false', custom_field: '0712' },
      SIGNUP_TOKEN,
    );
    expect(url).toMatch(/^https:\/\/www\.shop\.com\/raf\?lang=fr&bp_e=[^&#]+#form$/);
    expect(decryptBpE(new URL(url).searchParams.get('bp_e')!, SIGNUP_TOKEN)).toEqual({
      email: 'zoë@example.com',
      name: 'Zoë Martin',
      auto: 'false',
      custom_field: '0712',
    });
  });

  test('lists every problem: missing email and name, unknown keys, a bad auto', () => {
    try {
      autoSignupUrl('/raf', { mail: 'x', auto: 'yes' } as never, SIGNUP_TOKEN);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(BuyapowaError);
      const problems = (e as BuyapowaError).problems.join('\n');
      expect(problems).toMatch(/"mail" expected no such key: the allowed keys are email, name, auto, custom_field, received "x"/);
      expect(problems).toMatch(/"email" expected the customer's email address, received undefined/);
      expect(problems).toMatch(/"name" expected the customer's full name.*received undefined/);
      expect(problems).toMatch(/"auto" expected true or false, received "yes"/);
    }
    expect(() => autoSignupUrl('', { email: 'a@b.c', name: 'A' }, SIGNUP_TOKEN)).toThrow(/"pageUrl" expected/);
    expect(() => autoSignupUrl('/raf', { email: 'a@b.c', name: 'A' }, 'short')).toThrow(/"authToken" expected/);
  });
});
