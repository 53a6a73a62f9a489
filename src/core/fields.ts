// What a merchant hands the SDK, read safely: own fields copied once inside a try, the guide's
// conversion field names, the field rules (email, money, opt-in) and the `signed_keys` parser.
// Shared by the browser SDK, the Shopify pixel, the relay and the API client, so each rule
// exists once. Where a caller is lenient on purpose, the lenient rule has its own name here.

/**
 * The fields of the integration guide's tracking tag, plus `campaign` (the Shopify snippet's).
 * @internal
 */
export const CONVERSION_FIELDS = [
  'customer_name',
  'customer_email',
  'marketing_opt_in',
  'order_number',
  'order_value',
  'reward_category',
  'voucher_code',
  'voucher_codes',
  'signed_keys',
  'signature',
  'locale',
  'campaign',
];

/** The longest email address SMTP allows (RFC 5321: a 256-octet path minus its brackets). */
const EMAIL_MAX_LENGTH = 254;

/**
 * One `@`, something before it, and a domain with a dot whose labels are not empty. Linear: no
 * part can match the same characters two ways (a label cannot contain the dot that ends it).
 */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * The project's one email check, as loose as the guide's "standard email address format":
 * `jane@example.com`, at most 254 characters. The length is checked first, so no input can
 * make it slow. @internal
 */
export const isEmailAddress = (value: unknown): boolean => typeof value === 'string' && value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value);

/** An amount as the guide writes it: `XX.YY` without a currency symbol (cents optional). */
const MONEY = /^\d+(\.\d{1,2})?$/;

/**
 * An amount as the guide's `"XX.YY"`: a number of whole cents (`12.5` → `"12.50"`) or a string
 * already in that form (`" 12.5 "` → `"12.50"`). `undefined` for anything else (`12.345`,
 * `"$12"`, `-1`): the strict rule of the API client, whose callers are programs. @internal
 */
export function moneyAmount(value: unknown): string | undefined {
  if (typeof value === 'number') {
    const cents = Math.round(value * 100);
    return Number.isFinite(value) && value >= 0 && Math.abs(value * 100 - cents) < 1e-6 ? (cents / 100).toFixed(2) : undefined;
  }
  return typeof value === 'string' && MONEY.test(value.trim()) ? Number(value.trim()).toFixed(2) : undefined;
}

/**
 * {@link moneyAmount}, lenient on purpose for what a page or a shop renders: a tracking tag
 * often prints the formatted price, so spaces, `$ £ € ¥` and a leading or trailing ISO code
 * (`"$12.50"`, `"12.50 EUR"`) are dropped, and a number is rounded to cents. Separators are
 * never guessed (`"1.134,65"` stays unreadable). Used by the browser SDK, the Shopify pixel and
 * the relay, which send an unreadable amount as given (the platform reports it). @internal
 */
export function looseMoneyAmount(value: unknown): string | undefined {
  const amount = typeof value === 'number' ? value.toFixed(2) : typeof value === 'string' ? value.replace(/[\s$£€¥]|^[A-Z]{3}|[A-Z]{3}$/g, '') : '';
  return MONEY.test(amount) ? (+amount).toFixed(2) : undefined;
}

/**
 * A yes/no answer as the guide's `"true"`/`"false"`: exactly `true`, `false`, `"true"` or
 * `"false"`. `undefined` for anything else: the strict rule of the API client. @internal
 */
export const optInFlag = (value: unknown): 'true' | 'false' | undefined =>
  value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : undefined;

/**
 * {@link optInFlag}, lenient on purpose for what a page or a shop renders: a checkbox or a
 * template prints `yes`/`no`, `1`/`0`, `on`/`off` as often as `true`. Takes the value as text.
 * `undefined` for anything else, which callers leave out (the platform reads a missing opt-in as
 * false). @internal
 */
export const looseOptInFlag = (text: string): 'true' | 'false' | undefined =>
  /^\s*(true|yes|1|on)\s*$/i.test(text) ? 'true' : /^\s*(false|no|0|off)\s*$/i.test(text) ? 'false' : undefined;

/**
 * The names in `signed_keys`, a comma-separated list, each trimmed. Empty entries (`"a,,b"`,
 * a trailing comma) are skipped: a field cannot be named "". Anything but a string gives `[]`.
 * @internal
 */
export const signedKeyList = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key)
    : [];

/**
 * A copy of the own enumerable string-keyed fields of `value`, without a prototype (so a field
 * named `__proto__` is an ordinary field). Each getter runs once. `undefined` when `value` is
 * not an object or could not be read (a throwing getter or Proxy trap).
 * @internal
 */
export function readFields(value: unknown): Record<string, unknown> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  try {
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value as object)) copy[key] = (value as Record<string, unknown>)[key];
    return copy;
  } catch {
    return undefined;
  }
}

/** `orderValue`, `Order-Value`, `ordervalue` → `ordervalue`: how a field name is compared. */
const looseName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The guide's name for a misspelled conversion field that differs only in case or separators
 * (`orderNumber`, `ordervalue`, `Customer-Email`), or `undefined`. @internal
 */
export const conversionFieldFor = (name: string): string | undefined => CONVERSION_FIELDS.find((known) => looseName(known) === looseName(name));

/**
 * A placeholder of the integration guide's snippets left in a value: `{{market}}`,
 * `{{ customer.email }}`, `<order_number>`, `bp.your-website.com`, `your-market`. Real values
 * with brackets (`o'brien+</script>@example.com`) are not placeholders. Linear: each bracket
 * run stops at the next bracket. @internal
 */
export const isPlaceholder = (value: string): boolean => /\{\{\s*[\w.]+\s*\}\}|<[a-z_]+>|\byour-(website|market|shop)\b/i.test(value);

/** A UTF-16 surrogate without its pair: such a string has no UTF-8 form (RFC 8785 refuses it). @internal */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/;
