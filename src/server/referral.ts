// What a merchant's server does with bp_e: read who referred a visitor, and build the one-click
// auto sign-up links of the guide's "Auto Sign-ups" section.
import { isEmailAddress } from '../core/fields';
import { BuyapowaError, problem } from '../core/errors';
import { decryptBpE, encryptBpE } from './bp-e';

/** A `custom_fields` entry of the referral metadata. */
export interface ReferralCustomField {
  key: string;
  value: string;
}

/**
 * The referral metadata inside a share-link landing's `bp_e`, as the guide's "Referral Metadata"
 * section documents it.
 */
export interface ReferralMetadata {
  /** The referrer's confirmed referrals so far. */
  referral_count?: number;
  /** The referrer's email address. */
  email?: string;
  /** The referrer's first name, with any middle names. */
  first_name?: string;
  /** The referrer's last name. */
  last_name?: string;
  /** Extra details from the referrer's seamless sign-up, e.g. `{ customer_id: "ABC123" }`. */
  client_data?: Record<string, unknown>;
  /** The referrer's custom fields. */
  custom_fields?: ReferralCustomField[];
  /** The friend being referred, when known. */
  friend?: { email?: string; first_name?: string; last_name?: string; custom_fields?: ReferralCustomField[] };
  /** The code distributed to the friend. */
  voucher_code?: string;
}

/** Who referred a visitor: {@link decodeReferral}'s answer. */
export interface DecodedReferral {
  /** The customer who shared the link. */
  referrer: {
    email: string;
    first_name: string;
    last_name: string;
    /** `first_name` and `last_name` joined by a space. */
    name: string;
    referral_count?: number;
    client_data?: Record<string, unknown>;
    custom_fields?: ReferralCustomField[];
  };
  /** The friend who followed the link, when Buyapowa knows them; otherwise `null`. */
  friend: ReferralMetadata['friend'] | null;
  /** The code given to the friend, or `null`. */
  voucher_code: string | null;
  /** The decrypted metadata, untouched. */
  metadata: ReferralMetadata;
}

/**
 * Reads who referred a visitor from the `bp_e` of their landing URL.
 *
 * @param bpE - The `bp_e` value (URL-escaped or not), or a whole landing URL carrying it.
 * @param authToken - Your market's auth token.
 * @returns The referrer, the friend and the friend's voucher code, plus the raw metadata.
 * @throws {@link BuyapowaError} `invalid_input` when the value does not decrypt (see
 *   {@link decryptBpE}) or is not referral metadata (an object with the referrer's `email`);
 *   `invalid_config` when the auth token is too short.
 * @example
 * ```ts
 * import { decodeReferral } from 'buyapowa-sdk/server';
 * const { referrer, voucher_code } = decodeReferral(request.url, process.env.BUYAPOWA_AUTH_TOKEN!);
 * console.log(`${referrer.first_name} referred this visitor; their code is ${voucher_code}`);
 * ```
 */
export function decodeReferral(bpE: string, authToken: string): DecodedReferral {
  const metadata = decryptBpE(fromUrl(bpE), authToken) as ReferralMetadata;
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata) || typeof metadata.email !== 'string')
    throw new BuyapowaError(
      'invalid_input',
      'decodeReferral: ' +
        problem('bp_e', 'referral metadata: an object with the referrer\'s "email"', metadata) +
        ' (an auto sign-up link\'s bp_e holds "email" and "name"; read it with decryptBpE)',
    );
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const first_name = text(metadata.first_name);
  const last_name = text(metadata.last_name);
  const referrer: DecodedReferral['referrer'] = { email: metadata.email!, first_name, last_name, name: [first_name, last_name].filter(Boolean).join(' ') };
  if (metadata.referral_count !== undefined) referrer.referral_count = metadata.referral_count;
  if (metadata.client_data) referrer.client_data = metadata.client_data;
  if (metadata.custom_fields) referrer.custom_fields = metadata.custom_fields;
  return {
    referrer,
    friend: metadata.friend && typeof metadata.friend === 'object' ? metadata.friend : null,
    voucher_code: typeof metadata.voucher_code === 'string' && metadata.voucher_code ? metadata.voucher_code : null,
    metadata,
  };
}

/** The customer details of an auto sign-up link (the guide's "Allowed values"). */
export interface AutoSignup {
  /** The customer's email address. Required. */
  email: string;
  /** The customer's full name, as "FirstName LastName". Required. */
  name: string;
  /** `true` (the default) signs them up at once; `false` pre-fills the form for them to confirm. */
  auto?: boolean | 'true' | 'false';
  /** The custom field's value, if your campaign's sign-up form has one. */
  custom_field?: string;
}

const ALLOWED = ['email', 'name', 'auto', 'custom_field'];

/**
 * Builds a one-click auto sign-up link: your refer-a-friend page's URL with an encrypted `bp_e`
 * holding the customer's details, as the guide's "Auto Sign-ups" section describes. The page's
 * own query and fragment are kept; an existing `bp_e` is replaced.
 *
 * @param pageUrl - Your refer-a-friend page, e.g. `"https://www.company.com/refer-a-friend"`.
 * @param customer - `email` and `name` (required), `auto` (default `true`), `custom_field`.
 * @param authToken - Your market's auth token.
 * @returns `pageUrl` with `bp_e=…` added.
 * @throws {@link BuyapowaError} `invalid_config` when `email` or `name` is missing, a key is not
 *   one of `email`, `name`, `auto`, `custom_field`, or the auth token is too short.
 * @example
 * ```ts
 * import { autoSignupUrl } from 'buyapowa-sdk/server';
 * autoSignupUrl('https://www.company.com/refer-a-friend', { email: 'john@doe.com', name: 'John Doe' }, authToken);
 * // → 'https://www.company.com/refer-a-friend?bp_e=xXqWA%2B4gNXzWJ%2BRdmPRylfon…%3D%3D'
 * ```
 */
export function autoSignupUrl(pageUrl: string | URL, customer: AutoSignup, authToken: string): string {
  const where = 'autoSignupUrl: ';
  const page = String(pageUrl ?? '');
  if (!page) throw new BuyapowaError('invalid_config', where + problem('pageUrl', "your refer-a-friend page's URL", pageUrl));
  if (!customer || typeof customer !== 'object')
    throw new BuyapowaError('invalid_config', where + problem('customer', 'an object like { email, name }', customer));
  const problems: string[] = [];
  for (const key of Object.keys(customer))
    if (!ALLOWED.includes(key))
      problems.push(where + problem(key, 'no such key: the allowed keys are ' + ALLOWED.join(', '), (customer as unknown as Record<string, unknown>)[key]));
  if (typeof customer.email !== 'string' || !isEmailAddress(customer.email.trim()))
    problems.push(where + problem('email', "the customer's email address", customer.email));
  if (typeof customer.name !== 'string' || !customer.name.trim())
    problems.push(where + problem('name', 'the customer\'s full name, like "John Doe"', customer.name));
  const auto = customer.auto === undefined ? 'true' : String(customer.auto);
  if (auto !== 'true' && auto !== 'false') problems.push(where + problem('auto', 'true or false', customer.auto));
  if (customer.custom_field !== undefined && typeof customer.custom_field !== 'string')
    problems.push(where + problem('custom_field', 'a string', customer.custom_field));
  if (problems.length) throw new BuyapowaError('invalid_config', problems);

  // Key order as in the guide's example: {"email":…,"name":…,"auto":"true"}.
  const payload: Record<string, string> = { email: customer.email.trim(), name: customer.name.trim(), auto };
  if (customer.custom_field !== undefined) payload.custom_field = customer.custom_field;
  const bpE = encryptBpE(payload, authToken);

  const hashAt = page.indexOf('#');
  const hash = hashAt < 0 ? '' : page.slice(hashAt);
  const beforeHash = hashAt < 0 ? page : page.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const kept =
    queryAt < 0
      ? []
      : beforeHash
          .slice(queryAt + 1)
          .split('&')
          .filter((pair) => pair && !/^bp_e(=|$)/.test(pair));
  return path + '?' + [...kept, 'bp_e=' + bpE].join('&') + hash;
}

/** The bp_e parameter of a URL, or the value itself. */
function fromUrl(value: string): string {
  if (typeof value !== 'string') return value;
  const match = /[?&#]bp_e=([^&#]*)/.exec(value);
  return match ? match[1] : value;
}
