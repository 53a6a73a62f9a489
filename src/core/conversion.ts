import { explainConversion, signedKeysMissing, unknownFieldWarning } from './messages';
import { CONVERSION_FIELDS, conversionFieldFor, isEmailAddress, isPlaceholder, looseMoneyAmount, looseOptInFlag, readFields, signedKeyList } from './fields';

/**
 * A conversion, with the fields of the integration guide's tracking tag.
 * Only `order_number` and `customer_email` are required.
 *
 * @example
 * ```ts
 * const conversion: Conversion = {
 *   customer_name: 'Jane, Smith',
 *   customer_email: 'jane@smith.com',
 *   order_number: 'ORDER123',
 *   order_value: 12.89,
 *   voucher_code: 'BPCRAW1234',
 * };
 * ```
 */
export interface Conversion {
  /** `"FirstName, LastName"`. */
  customer_name?: string;
  /** The customer's email address. Required. */
  customer_email: string;
  /** Whether the customer opted into marketing: `true`/`false` or `"true"`/`"false"`. Default on the platform: false. */
  marketing_opt_in?: boolean | string;
  /** Your unique id for this conversion. Required; tracked once per market. */
  order_number: string | number;
  /** The value, `"XX.YY"` without currency symbol; a number is formatted for you. */
  order_value?: string | number;
  /** Reward category, for intelligent rewards only. */
  reward_category?: string;
  /** The voucher code used at checkout. */
  voucher_code?: string;
  /** Every voucher code used at checkout, when several are accepted. */
  voucher_codes?: string[];
  /** Comma-separated names of the signed fields, e.g. `"order_number, customer_email"`. */
  signed_keys?: string;
  /** Hex SHA-256 signature of the signed fields; compute it on your server. */
  signature?: string;
  /** The customer's locale, e.g. `"en"`. */
  locale?: string;
  /** The campaign slug (the Shopify snippet passes it). */
  campaign?: string;
  /** Any other field is sent as given, with a warning. */
  [field: string]: unknown;
}

/** The outcome of checking a conversion. @internal */
export interface CheckedConversion {
  /** What will be sent (no prototype: a field named `__proto__` is an ordinary field). */
  fields: Record<string, unknown>;
  /** Problems that stop the conversion being sent. */
  errors: string[];
  /** Problems that were reported but did not stop it. */
  warnings: string[];
  /** The names in `signed_keys`, whose values are sent exactly as given. */
  signed: string[];
}

/**
 * Adds `"key" expected …, received …` (and `note`, what happens next) to `list`; in production,
 * the field name alone. `id` picks the expectation in messages.ts `CONVERSION_EXPECTED` (default: `key`).
 */
const report = (list: string[], key: string, value: unknown, note?: string, id?: string): void => {
  list.push(process.env.NODE_ENV !== 'production' ? explainConversion(key, value, note, id) : key);
};

/** A value sent as text, trimmed; `undefined` for what has no text form (objects, Symbols, functions). */
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value).trim() : undefined;

/** The placeholder note for a value that still holds one, else none. */
const placeholderNote = (value: unknown): string | undefined => (typeof value === 'string' && isPlaceholder(value) ? 'placeholder' : undefined);

/**
 * Names a field the guide does not know: a spelling of a known field that differs only in case
 * or separators (`orderNumber`, `ordervalue`) is sent under the guide's name, unless that name
 * is given too or the field is signed; anything else is sent as given. One warning each.
 */
function renameUnknownFields(given: Record<string, unknown>, signed: string[], warnings: string[]): void {
  for (const key of Object.keys(given)) {
    if (CONVERSION_FIELDS.includes(key)) continue;
    const known = conversionFieldFor(key);
    // The guide's name is free when it is absent or empty (as the Shopify snippet renders it).
    const free = known != null && (given[known] == null || textOf(given[known]) === '');
    if (free && !signed.includes(key)) {
      given[known!] = given[key];
      delete given[key];
      warnings.push(process.env.NODE_ENV !== 'production' ? unknownFieldWarning(key, known, known, CONVERSION_FIELDS) : key);
    } else warnings.push(process.env.NODE_ENV !== 'production' ? unknownFieldWarning(key, known, undefined, CONVERSION_FIELDS) : key);
  }
}

/** The value of an unsigned field as it is sent, or `undefined` to leave it out (with a warning). */
function normalise(key: string, value: unknown, text: string, warnings: string[]): unknown {
  if (key === 'marketing_opt_in') {
    // Unrecognised: left out, which the platform reads as false.
    return looseOptInFlag(text) ?? report(warnings, key, value, 'left out');
  }
  if (key === 'order_value') {
    const amount = looseMoneyAmount(typeof value === 'number' ? value : text);
    if (amount !== undefined) return amount;
    report(warnings, key, value, 'sent as given');
    return text;
  }
  return key === 'signature' ? text.toLowerCase() : text;
}

/** Voucher codes trimmed, empty ones left out; `undefined` (the field left out) when none is left. */
function cleanCodes(codes: unknown[]): string[] | undefined {
  const kept = codes.map((code) => String(code).trim()).filter((code) => code);
  return kept.length ? kept : undefined;
}

/**
 * Validates and normalises a conversion. Unambiguous forms are fixed (`12.5` → `"12.50"`,
 * `true` → `"true"`, `" A, B "` → `["A", "B"]`, numbers → strings, `orderNumber` →
 * `order_number`); ambiguous ones (`"1.134,65"`) are reported and sent as given; the guide's
 * placeholders (`<order_number>`) are reported and left out; fields listed in `signed_keys` are
 * never changed, as that would break the signature. The input is read once, safely: whatever it
 * is (a Proxy, throwing getters, Symbols), the outcome is a list of problems, never a throw.
 * The Shopify pixel, which never signs, calls only this; {@link checkConversion} adds the
 * signature checks. @internal
 */
export function checkFields(input: Conversion): CheckedConversion {
  const errors: string[] = [];
  const warnings: string[] = [];
  const fields: Record<string, unknown> = Object.create(null);
  const read = readFields(input);
  const given: Record<string, unknown> = read || Object.create(null);
  // Nothing given is reported as the missing required fields below; something unreadable, once.
  if (input != null && !read) {
    report(errors, 'conversion', input);
    return { fields, errors, warnings, signed: [] };
  }
  const signedKeys = given.signed_keys;
  const signed = typeof signedKeys === 'string' && !isPlaceholder(signedKeys) ? signedKeyList(signedKeys) : [];
  try {
    renameUnknownFields(given, signed, warnings);
    for (const key in given) {
      const value = given[key];
      const text = textOf(value);
      if (value == null || text === '') continue;
      if (text && isPlaceholder(text)) {
        // Required fields are reported below, as missing.
        if (key !== 'order_number' && key !== 'customer_email')
          report(warnings, key, value, 'placeholder left out', key === 'order_value' || key === 'marketing_opt_in' ? key : 'own');
        continue;
      }
      const isSigned = signed.includes(key);
      let sent: unknown;
      if (key === 'voucher_codes' && Array.isArray(value)) {
        const codes = Array.from(value as unknown[]);
        if (codes.every((code) => textOf(code) != null)) sent = isSigned ? codes : cleanCodes(codes);
        else report(errors, key, value);
      } else if (text == null) report(errors, key, value, '', 'string');
      // Signed: as given; a BigInt has no JSON form, so it goes as its digits.
      else if (isSigned) sent = typeof value === 'bigint' ? text : value;
      else if (key === 'voucher_codes') sent = cleanCodes(text.split(','));
      else sent = normalise(key, value, text, warnings);
      if (sent !== undefined) fields[key] = sent;
    }
  } catch {
    // A Proxy or a getter inside a value (a voucher_codes list) threw.
    report(errors, 'conversion', input, '', 'conversion:fields');
  }
  if (!isEmailAddress(textOf(fields.customer_email))) report(errors, 'customer_email', given.customer_email, placeholderNote(given.customer_email));
  if (fields.order_number == null) report(errors, 'order_number', given.order_number, placeholderNote(given.order_number));
  return { fields, errors, warnings, signed };
}

/** {@link checkFields}, plus warnings about `signed_keys` and `signature`. @internal */
export function checkConversion(input: Conversion): CheckedConversion {
  const result = checkFields(input);
  const { fields, warnings, signed } = result;
  if (signed[0] || fields.signature) {
    for (const key of ['order_number', 'customer_email', fields.reward_category ? 'reward_category' : ''])
      if (key && !signed.includes(key)) warnings.push(process.env.NODE_ENV !== 'production' ? signedKeysMissing(key, fields.signed_keys) : 'signed_keys');
    for (const key of signed) if (fields[key] == null) report(warnings, 'signed_keys', key, '', 'signed_keys:only');
    if (!fields.signature) report(warnings, 'signature', fields.signature);
  }
  return result;
}
