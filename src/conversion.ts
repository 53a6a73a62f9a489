import { problem, received } from './errors';

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

const KNOWN = /^(customer_name|customer_email|marketing_opt_in|order_number|order_value|reward_category|voucher_codes?|signed_keys|signature|locale|campaign)$/;
const DECIMAL = /^\d+(\.\d{1,2})?$/;

/** Splits `signed_keys` into trimmed names. */
export const signedKeyList = (value: unknown): string[] =>
  typeof value == 'string' ? value.split(',').map((k) => k.trim()).filter(Boolean) : [];

/**
 * Validates and normalises a conversion. Unambiguous forms are fixed (`12.5` → `"12.50"`,
 * `true` → `"true"`); ambiguous ones are reported and sent as given; fields listed in
 * `signed_keys` are never changed, as that would break the signature. @internal
 */
export function checkConversion(input: unknown): CheckedConversion {
  const errors: string[] = [];
  const warnings: string[] = [];
  const fields: Record<string, unknown> = {};
  if (!input || typeof input != 'object' || Array.isArray(input)) {
    errors.push(problem('conversion', 'an object like { order_number, customer_email, … }', input));
    return { fields, errors, warnings };
  }
  const given = input as Record<string, unknown>;
  const signed = signedKeyList(given.signed_keys);
  for (const key in given) {
    let value = given[key];
    if (value == null || value === '') continue;
    if (signed.includes(key)) {
      fields[key] = value;
      continue;
    }
    if (!KNOWN.test(key)) warnings.push(`unknown field "${key}" is sent as given`);
    if (typeof value == 'number' && key != 'order_value') value = String(value);
    if (key == 'voucher_codes') {
      // "A, B" and a single code are unambiguous forms of the array.
      const list = typeof value == 'string' ? value.split(',') : value;
      if (!Array.isArray(list) || list.some((c) => typeof c != 'string' && typeof c != 'number')) {
        errors.push(problem(key, 'an array of voucher code strings', value));
        continue;
      }
      value = list.map((c) => String(c).trim()).filter(Boolean);
      if (!(value as string[]).length) continue;
    } else if (key == 'marketing_opt_in') {
      const text = String(value).trim().toLowerCase();
      value = /^(true|yes|1)$/.test(text) ? 'true' : /^(false|no|0)$/.test(text) ? 'false' : '';
      if (!value) {
        warnings.push(problem(key, 'true or false', given[key]) + ': left out, so the platform assumes false');
        continue;
      }
    } else if (key == 'order_value') {
      value = orderValue(value, warnings);
    } else if (typeof value == 'string') {
      value = value.trim();
      if (key == 'signature') value = (value as string).toLowerCase();
    } else if (KNOWN.test(key)) {
      errors.push(problem(key, 'a string', value));
      continue;
    }
    if (value !== '') fields[key] = value;
  }
  const email = fields.customer_email;
  if (email === undefined) errors.push(problem('customer_email', "the customer's email address (required)", given.customer_email));
  else if (typeof email != 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.push(problem('customer_email', 'an email address like "jane@example.com"', email));
  if (fields.order_number === undefined)
    errors.push(problem('order_number', 'your unique order id (required)', given.order_number));
  if (given.signed_keys !== undefined) {
    for (const key of ['order_number', 'customer_email', 'reward_category'])
      if (!signed.includes(key) && (key != 'reward_category' || fields[key] !== undefined))
        warnings.push(`"signed_keys" should include "${key}", received ${received(given.signed_keys)}`);
    for (const key of signed)
      if (given[key] == null) warnings.push(`"signed_keys" lists "${key}" but the conversion has no such field`);
    if (!fields.signature) warnings.push(problem('signature', 'the hex signature of the signed keys', given.signature));
  } else if (fields.signature) warnings.push('"signature" is sent without "signed_keys", so it cannot be checked');
  return { fields, errors, warnings };
}

function orderValue(value: unknown, warnings: string[]): unknown {
  if (typeof value == 'number' && isFinite(value) && value >= 0) return (Math.round(value * 100) / 100).toFixed(2);
  // Currency symbols and spaces are noise; separators are not, so "1.134,65" is never guessed.
  const text = typeof value == 'string' ? value.replace(/[\s$£€¥₹]|^[A-Z]{3}|[A-Z]{3}$/g, '') : '';
  if (DECIMAL.test(text)) {
    const [units, cents = ''] = text.split('.');
    return units.replace(/^0+(?=\d)/, '') + '.' + (cents + '00').slice(0, 2);
  }
  warnings.push(problem('order_value', 'a decimal like "12.89" (no thousands separator)', value) + ': sent as given, not guessed');
  return typeof value == 'string' ? value.trim() : value;
}
