// The guide's request objects as field tables: each field's JSON key, CSV heading and kind.
// One table per object drives the input checks, the JSON body and the CSV columns alike.
import { problem } from '../core/errors';
import { isEmailAddress, moneyAmount, optInFlag } from '../core/fields';

/** How a field is checked and written. @internal */
export type FieldKind = 'text' | 'email' | 'boolean' | 'money' | 'timestamp' | 'status' | 'client_data';

/** @internal */
export interface Field {
  key: string;
  column: string;
  kind: FieldKind;
  required?: boolean;
}

/** Reconciliation statuses the guide lists. */
export const RECONCILIATION_STATUSES = ['confirmed', 'failed', 'manual-pass', 'restore'] as const;

/** Timestamps at or above this are milliseconds, not the seconds the guide asks for (year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;

/** Tracking: the `order` object of POST /api/referrals/track. @internal */
export const TRACKING_FIELDS: Field[] = [
  { key: 'referrer_email', column: 'ReferrerEmail', kind: 'email' },
  { key: 'voucher_code', column: 'VoucherCode', kind: 'text' },
  { key: 'full_name', column: 'FullName', kind: 'text' },
  { key: 'email_address', column: 'EmailAddress', kind: 'email', required: true },
  { key: 'marketing_opt_in', column: 'MarketingOptIn', kind: 'boolean' },
  { key: 'order_value', column: 'OrderValue', kind: 'money', required: true },
  { key: 'order_number', column: 'OrderNumber', kind: 'text', required: true },
  { key: 'order_timestamp', column: 'OrderTimestamp', kind: 'timestamp', required: true },
  { key: 'reward_category', column: 'RewardCategory', kind: 'text' },
  { key: 'client_data', column: 'ClientData_', kind: 'client_data' },
  { key: 'locale', column: 'Locale', kind: 'text' },
];

/** Reconciliation: the `order` object of POST /api/referrals/confirmations. @internal */
export const RECONCILIATION_FIELDS: Field[] = [
  { key: 'order_number', column: 'OrderNumber', kind: 'text', required: true },
  { key: 'status', column: 'Status', kind: 'status', required: true },
  { key: 'reward_category', column: 'RewardCategory', kind: 'text' },
];

/** Signups: the `signup` object of POST /api/signups (CSV headings of /api/signups/upload). @internal */
export const SIGNUP_FIELDS: Field[] = [
  { key: 'email', column: 'Email', kind: 'email', required: true },
  { key: 'first_name', column: 'FirstName', kind: 'text', required: true },
  { key: 'last_name', column: 'LastName', kind: 'text' },
  { key: 'custom_field_value', column: 'CustomField', kind: 'text' },
  { key: 'client_data', column: 'ClientData_', kind: 'client_data' },
  { key: 'locale', column: 'Locale', kind: 'text' },
];

/** Friend registrations: the `registration` object of POST /api/friends/registrations. @internal */
export const REGISTRATION_FIELDS: Field[] = [
  { key: 'referrer_email', column: 'ReferrerEmail', kind: 'email', required: true },
  { key: 'friend_email', column: 'FriendEmail', kind: 'email', required: true },
  { key: 'friend_first_name', column: 'FriendFirstName', kind: 'text', required: true },
  { key: 'friend_last_name', column: 'FriendLastName', kind: 'text' },
  { key: 'custom_field_value', column: 'CustomFieldValue', kind: 'text' },
  { key: 'client_data', column: 'ClientData_', kind: 'client_data' },
  { key: 'terms_opt_in', column: 'TermsOptIn', kind: 'boolean' },
  { key: 'marketing_opt_in', column: 'MarketingOptIn', kind: 'boolean' },
  { key: 'locale', column: 'Locale', kind: 'text' },
];

/** Subscriptions and forget: the `user` object. @internal */
export const USER_FIELDS: Field[] = [{ key: 'email', column: 'Email', kind: 'email', required: true }];

/** A checked object: values as the guide types them, or the problems that stop it. @internal */
export interface Checked {
  value: Record<string, unknown>;
  problems: string[];
}

/**
 * Checks one request object against its field table and writes its values as the guide
 * types them: booleans as `"true"`/`"false"` strings when `booleans` is `'string'` (tracking),
 * as JSON booleans otherwise. `path` names the object in messages (`order`, `row 12`).
 * @internal
 */
export function checkObject(input: unknown, fields: Field[], path: string, booleans: 'string' | 'boolean'): Checked {
  const problems: string[] = [];
  const value: Record<string, unknown> = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { value, problems: [problem(path, 'an object', input)] };
  }
  const record = input as Record<string, unknown>;
  const known = knownKeys(fields);
  for (const key of Object.keys(record)) {
    if (!known.has(key) && record[key] !== undefined) {
      problems.push(`"${path}.${key}" is not a field the guide documents; expected one of ${[...known].join(', ')}`);
    }
  }
  for (const field of fields) {
    const raw = record[field.key];
    const name = `${path}.${field.key}`;
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) problems.push(problem(name, requiredText(field), raw));
      continue;
    }
    const checked = checkValue(field.kind, raw, name, booleans);
    if (typeof checked === 'object' && checked && 'problem' in checked) problems.push(checked.problem as string);
    else value[field.key] = checked;
  }
  return { value, problems };
}

function requiredText(field: Field): string {
  return `${describeKind(field.kind)} (required)`;
}

function describeKind(kind: FieldKind): string {
  switch (kind) {
    case 'email':
      return 'an email address';
    case 'boolean':
      return 'true or false';
    case 'money':
      return 'an amount as XX.YY without a currency symbol';
    case 'timestamp':
      return 'a UNIX timestamp in seconds (or a Date)';
    case 'status':
      return `one of ${RECONCILIATION_STATUSES.join(', ')}`;
    case 'client_data':
      return 'an object of strings';
    default:
      return 'a non-empty string';
  }
}

/** The keys of each field table, as a set: built once per table, not on every call. */
const KNOWN_KEYS = new WeakMap<Field[], Set<string>>();
function knownKeys(fields: Field[]): Set<string> {
  let known = KNOWN_KEYS.get(fields);
  if (!known) KNOWN_KEYS.set(fields, (known = new Set(fields.map((f) => f.key))));
  return known;
}

function checkValue(kind: FieldKind, raw: unknown, name: string, booleans: 'string' | 'boolean'): unknown {
  const fail = () => ({ problem: problem(name, describeKind(kind), raw) });
  switch (kind) {
    case 'text':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
      return fail();
    case 'email':
      return typeof raw === 'string' && isEmailAddress(raw.trim()) ? raw.trim() : fail();
    case 'boolean': {
      const flag = optInFlag(raw);
      if (flag === undefined) return fail();
      return booleans === 'string' ? flag : flag === 'true';
    }
    case 'money':
      return moneyAmount(raw) ?? fail();
    case 'timestamp': {
      const seconds = toUnixSeconds(raw);
      if (seconds === undefined) return fail();
      if (seconds >= MILLISECONDS_THRESHOLD) {
        return { problem: problem(name, 'a UNIX timestamp in seconds (this looks like milliseconds: divide by 1000)', raw) };
      }
      return String(seconds);
    }
    case 'status': {
      const status = typeof raw === 'string' ? raw.trim().replace(/\u2011/g, '-') : raw;
      return RECONCILIATION_STATUSES.includes(status as never) ? status : fail();
    }
    case 'client_data': {
      if (typeof raw !== 'object' || Array.isArray(raw)) return fail();
      const data: Record<string, string> = {};
      for (const [key, item] of Object.entries(raw as Record<string, unknown>)) {
        if (item === undefined || item === null) continue;
        if (typeof item === 'object') return { problem: problem(`${name}.${key}`, 'a string, number or boolean', item) };
        data[key] = String(item);
      }
      return data;
    }
  }
}

/**
 * A `Date`, a whole number of seconds or a string of digits as UNIX seconds; undefined otherwise.
 * @internal
 */
export function toUnixSeconds(raw: unknown): number | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : Math.floor(raw.getTime() / 1000);
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string' && /^\d+$/.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

/** Checks a `boolean` option of a call (`send_auto_invite_email`, …). @internal */
export function checkFlag(raw: unknown, name: string, problems: string[]): boolean | undefined {
  if (raw === undefined) return undefined;
  const flag = optInFlag(raw);
  if (flag) return flag === 'true';
  problems.push(problem(name, 'true or false', raw));
  return undefined;
}

/** Checks a campaign slug. @internal */
export function checkSlug(raw: unknown, name: string, problems: string[]): string {
  if (typeof raw === 'string' && raw.trim() && !/[/?#\s]/.test(raw.trim())) return raw.trim();
  problems.push(problem(name, 'a campaign slug (a non-empty string without /, ?, # or spaces)', raw));
  return '';
}

/** A checked object's CSV cells in heading order, plus one per ClientData key. @internal */
export function csvCells(value: Record<string, unknown>, fields: Field[], clientKeys: string[]): string[] {
  const cells: string[] = [];
  for (const field of fields) {
    if (field.kind === 'client_data') {
      const data = (value.client_data ?? {}) as Record<string, string>;
      for (const key of clientKeys) cells.push(data[key] ?? '');
    } else {
      const cell = value[field.key];
      cells.push(cell === undefined ? '' : String(cell));
    }
  }
  return cells;
}

/** CSV headings of a field table, with `ClientData_<key>` columns in place. @internal */
export function csvHeadings(fields: Field[], clientKeys: string[]): string[] {
  return fields.flatMap((f) => (f.kind === 'client_data' ? clientKeys.map((k) => `ClientData_${k}`) : [f.column]));
}

/** The guide's CSV layouts, by the API that takes them. */
export type GuideCsvKind = 'track' | 'reconcile' | 'signups' | 'friends' | 'emails';

const CSV_FIELDS: Record<GuideCsvKind, Field[]> = {
  track: TRACKING_FIELDS,
  reconcile: RECONCILIATION_FIELDS,
  signups: SIGNUP_FIELDS,
  friends: REGISTRATION_FIELDS,
  emails: USER_FIELDS,
};

/**
 * Turns a record of one of the guide's CSV files (keyed by its headings: `OrderNumber`,
 * `ClientData_membership_number`…) into the guide's JSON object (`order_number`,
 * `client_data.membership_number`…), ready for a batch call. Empty cells are left out;
 * headings the guide does not document are kept under their own name, so the checks name them.
 *
 * @example
 * ```ts
 * fromGuideCsv('reconcile', { OrderNumber: 'ORDER928', Status: 'confirmed' }); // { order_number: 'ORDER928', status: 'confirmed' }
 * ```
 */
export function fromGuideCsv(kind: GuideCsvKind, record: Record<string, string>): Record<string, unknown> {
  const fields = CSV_FIELDS[kind];
  if (!fields) throw new TypeError(`fromGuideCsv: "kind" expected one of ${Object.keys(CSV_FIELDS).join(', ')}, received ${JSON.stringify(kind)}`);
  const byColumn = new Map(fields.map((f) => [f.column, f.key]));
  const value: Record<string, unknown> = {};
  for (const [heading, cell] of Object.entries(record)) {
    if (cell === undefined || cell === '') continue;
    if (heading.startsWith('ClientData_')) {
      const data = (value.client_data ??= {}) as Record<string, string>;
      data[heading.slice('ClientData_'.length)] = cell;
    } else {
      value[byColumn.get(heading.trim()) ?? heading] = cell;
    }
  }
  return value;
}
