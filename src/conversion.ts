import { problem } from './errors';

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
  /** What will be sent. */
  fields: Record<string, unknown>;
  /** Problems that stop the conversion being sent. */
  errors: string[];
  /** Problems that were reported but did not stop it. */
  warnings: string[];
}

/** Splits `signed_keys` into trimmed names. @internal */
export const signedKeyList = (value: unknown): string[] => (typeof value == 'string' ? value.split(',').map((k) => k.trim()) : []);

/** Adds `"key" expected …, received …` (and what happens next) to `list`. */
const report = (list: string[], key: string, expected: string, value: unknown, outcome = '') => list.push(problem(key, expected, value) + outcome);

/**
 * Validates and normalises a conversion. Unambiguous forms are fixed (`12.5` → `"12.50"`,
 * `true` → `"true"`, `" A, B "` → `["A", "B"]`, numbers → strings); ambiguous ones
 * (`"1.134,65"`) are reported and sent as given; fields listed in `signed_keys` are never
 * changed, as that would break the signature. The Shopify pixel, which never signs, calls only
this; {@link checkConversion} adds the signature checks. @internal
 */
export function checkFields(input: Conversion): CheckedConversion {
  const errors: string[] = [];
  const warnings: string[] = [];
  const fields: Record<string, unknown> = {};
  const given = (input || {}) as Record<string, unknown>;
  const signed = signedKeyList(given.signed_keys);
  for (const key in given) {
    let value = given[key];
    const text = (value + '').trim();
    if (value == null || !text) continue;
    if (!signed.includes(key))
      if (key == 'voucher_codes') value = (Array.isArray(value) ? value : text.split(',')).map((c) => (c + '').trim()).filter((c) => c);
      else if (key == 'marketing_opt_in')
        // Unrecognised: left out, which the platform reads as false.
        value = /^(true|yes|1)$/i.test(text) ? 'true' : /^(false|no|0)$/i.test(text) ? 'false' : void report(warnings, key, 'true or false', value, ', so it is left out');
      else if (key == 'order_value') {
        // Currency symbols and spaces are noise; separators are not, so "1.134,65" is never guessed.
        const amount = typeof value == 'number' ? value.toFixed(2) : text.replace(/[\s$£€¥]|^[A-Z]{3}|[A-Z]{3}$/g, '');
        value = /^\d+(\.\d\d?)?$/.test(amount) ? (+amount).toFixed(2) : (report(warnings, key, 'a decimal like "12.89"', value, ', so it is sent as given'), text);
      } else if (typeof value == 'object') report(errors, key, 'a string', value);
      else value = key == 'signature' ? text.toLowerCase() : text;
    if (value != null) fields[key] = value;
  }
  if (!/^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/.test(fields.customer_email as string)) report(errors, 'customer_email', 'an email address like "jane@example.com"', given.customer_email);
  if (fields.order_number == null) report(errors, 'order_number', 'your unique order id', given.order_number);
  return { fields, errors, warnings };
}

/** {@link checkFields}, plus warnings about `signed_keys` and `signature`. @internal */
export function checkConversion(input: Conversion): CheckedConversion {
  const result = checkFields(input);
  const { fields, warnings } = result;
  const given = (input || {}) as Record<string, unknown>;
  const signed = signedKeyList(given.signed_keys);
  if (signed[0] || fields.signature) {
    for (const key of ['order_number', 'customer_email', fields.reward_category ? 'reward_category' : ''])
      if (key && !signed.includes(key)) report(warnings, 'signed_keys', `to include "${key}"`, given.signed_keys);
    for (const key of signed) if (given[key] == null) report(warnings, 'signed_keys', 'only fields of the conversion', key);
    if (!fields.signature) report(warnings, 'signature', 'the signature of the signed keys', given.signature);
  }
  return result;
}
