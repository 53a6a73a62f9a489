import { PLACEHOLDER_NOTE, problem } from './errors';
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

/** What each field that is checked expects, as its messages say it. */
const EXPECTED: Record<string, string> = {
  customer_email: 'an email address like "jane@example.com"',
  order_number: 'your unique order id',
  order_value: 'a decimal like "12.89"',
  marketing_opt_in: 'true or false',
};

/** Adds `"key" expected …, received …` (and what happens next) to `list`. */
const report = (list: string[], key: string, expected: string, value: unknown, outcome = ''): void => {
  list.push(problem(key, expected, value) + outcome);
};

/** A value sent as text, trimmed; `undefined` for what has no text form (objects, Symbols, functions). */
const textOf = (value: unknown): string | undefined =>
  typeof value == 'string' || typeof value == 'number' || typeof value == 'boolean' || typeof value == 'bigint' ? String(value).trim() : undefined;

/** A placeholder note for a value that still holds one, else nothing. */
const placeholderNote = (value: unknown): string => (typeof value == 'string' && isPlaceholder(value) ? PLACEHOLDER_NOTE : '');

/**
 * Names a field the guide does not know: a spelling of a known field that differs only in case
 * or separators (`orderNumber`, `ordervalue`) is sent under the guide's name, unless that name
 * is given too or the field is signed; anything else is sent as given. One warning each.
 */
function renameUnknownFields(given: Record<string, unknown>, signed: string[], warnings: string[]): void {
  for (const key of Object.keys(given)) {
    if (CONVERSION_FIELDS.includes(key)) continue;
    const known = conversionFieldFor(key);
    const suggestion = known ? `: did you mean "${known}"?` : ` (known: ${CONVERSION_FIELDS.join(', ')}).`;
    // The guide's name is free when it is absent or empty (as the Shopify snippet renders it).
    const free = known != null && (given[known] == null || textOf(given[known]) === '');
    if (free && !signed.includes(key)) {
      given[known!] = given[key];
      delete given[key];
      warnings.push(`"${key}" is not a field of the integration guide${suggestion} It is sent as "${known}"`);
    } else warnings.push(`"${key}" is not a field of the integration guide${suggestion} It is sent as given`);
  }
}

/** The value of an unsigned field as it is sent, or `undefined` to leave it out (with a warning). */
function normalise(key: string, value: unknown, text: string, warnings: string[]): unknown {
  if (key == 'marketing_opt_in') {
    // Unrecognised: left out, which the platform reads as false.
    return looseOptInFlag(text) ?? report(warnings, key, EXPECTED[key], value, ', so it is left out');
  }
  if (key == 'order_value') {
    const amount = looseMoneyAmount(typeof value == 'number' ? value : text);
    if (amount !== undefined) return amount;
    report(warnings, key, EXPECTED[key], value, ', so it is sent as given');
    return text;
  }
  return key == 'signature' ? text.toLowerCase() : text;
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
    report(errors, 'conversion', 'an object like { order_number, customer_email } whose fields can be read', input);
    return { fields, errors, warnings, signed: [] };
  }
  const signedKeys = given.signed_keys;
  const signed = typeof signedKeys == 'string' && !isPlaceholder(signedKeys) ? signedKeyList(signedKeys) : [];
  try {
    renameUnknownFields(given, signed, warnings);
    for (const key in given) {
      const value = given[key];
      const text = textOf(value);
      if (value == null || text === '') continue;
      if (text && isPlaceholder(text)) {
        // Required fields are reported below, as missing.
        if (key != 'order_number' && key != 'customer_email') report(warnings, key, EXPECTED[key] || 'your own value', value, PLACEHOLDER_NOTE + ', so it is left out');
        continue;
      }
      const isSigned = signed.includes(key);
      let sent: unknown;
      if (key == 'voucher_codes' && Array.isArray(value)) {
        const codes = Array.from(value as unknown[]);
        if (codes.every((code) => textOf(code) != null)) sent = isSigned ? codes : cleanCodes(codes);
        else report(errors, key, 'a list of voucher codes', value);
      } else if (text == null) report(errors, key, 'a string', value);
      // Signed: as given; a BigInt has no JSON form, so it goes as its digits.
      else if (isSigned) sent = typeof value == 'bigint' ? text : value;
      else if (key == 'voucher_codes') sent = cleanCodes(text.split(','));
      else sent = normalise(key, value, text, warnings);
      if (sent !== undefined) fields[key] = sent;
    }
  } catch {
    // A Proxy or a getter inside a value (a voucher_codes list) threw.
    report(errors, 'conversion', 'fields that can be read', input);
  }
  if (!isEmailAddress(textOf(fields.customer_email))) report(errors, 'customer_email', EXPECTED.customer_email, given.customer_email, placeholderNote(given.customer_email));
  if (fields.order_number == null) report(errors, 'order_number', EXPECTED.order_number, given.order_number, placeholderNote(given.order_number));
  return { fields, errors, warnings, signed };
}

/** {@link checkFields}, plus warnings about `signed_keys` and `signature`. @internal */
export function checkConversion(input: Conversion): CheckedConversion {
  const result = checkFields(input);
  const { fields, warnings, signed } = result;
  if (signed[0] || fields.signature) {
    for (const key of ['order_number', 'customer_email', fields.reward_category ? 'reward_category' : ''])
      if (key && !signed.includes(key)) report(warnings, 'signed_keys', `to include "${key}"`, fields.signed_keys);
    for (const key of signed) if (fields[key] == null) report(warnings, 'signed_keys', 'only fields of the conversion', key);
    if (!fields.signature) report(warnings, 'signature', 'the signature of the signed keys', fields.signature);
  }
  return result;
}
