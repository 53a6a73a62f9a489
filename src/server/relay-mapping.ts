// From what the browser sends (docs/protocol.md §2, §3) to the guide's single-upload tracking
// JSON (POST /api/referrals/track): every value a string, as the guide types them.
import { looseMoneyAmount, looseOptInFlag } from '../core/fields';
import { decryptBpE } from './bp-e';
import type { ReferralMetadata } from './referral';

/** The guide's tracking object: every value a string, `client_data` an object of strings. */
export interface GuideOrder {
  referrer_email?: string;
  voucher_code?: string;
  full_name?: string;
  email_address: string;
  marketing_opt_in?: 'true' | 'false';
  order_value: string;
  order_number: string;
  order_timestamp: string;
  reward_category?: string;
  client_data?: Record<string, string>;
  locale?: string;
}

/** Where the referrer came from, for logs and the answer. @internal */
export type ReferralSource = 'event' | 'cookie' | 'cart' | 'none' | 'undecryptable';

/** The mapping's outcome: the order, and what was noticed on the way. @internal */
export interface MappedOrder {
  order: GuideOrder;
  referral: ReferralSource;
  /** Problems that did not stop the conversion (a bp_e that does not decrypt…). */
  warnings: string[];
}

const text = (value: unknown): string | undefined => {
  if (value == null) return undefined;
  const out = (typeof value === 'object' ? '' : String(value)).trim();
  return out || undefined;
};

/**
 * Client data: a `client_data` object, plus flat `client_data_<key>` / `ClientData_<key>`
 * fields (the tracking tag only carries strings). @internal
 */
function clientData(conversion: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const nested = conversion.client_data;
  if (nested && typeof nested === 'object' && !Array.isArray(nested))
    for (const [key, value] of Object.entries(nested)) if (text(value) !== undefined) out[key] = text(value)!;
  for (const [key, value] of Object.entries(conversion)) {
    const match = /^(?:client_data_|ClientData_)(.+)$/.exec(key);
    if (match && text(value) !== undefined) out[match[1]] = text(value)!;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The referral metadata inside a bp_e, or null when it does not decrypt to referral metadata. */
function metadataOf(bpE: string, authToken: string): ReferralMetadata | null {
  try {
    const metadata = decryptBpE(bpE, authToken) as ReferralMetadata;
    return metadata && typeof metadata === 'object' && typeof metadata.email === 'string' ? metadata : null;
  } catch {
    return null;
  }
}

/**
 * Maps a conversion to the guide's tracking object. `seconds` is the conversion's time in UNIX
 * seconds. `bpE` is the stored referral token, when there is one. @internal
 */
export function toGuideOrder(
  conversion: Record<string, unknown>,
  seconds: number,
  referral: { bpE?: string; source: Exclude<ReferralSource, 'none' | 'undecryptable'> } | undefined,
  authToken: string,
): MappedOrder {
  const codes = conversion.voucher_codes;
  const firstCode = Array.isArray(codes)
    ? codes.map(text).find(Boolean)
    : text(codes)
        ?.split(',')
        .map((c) => c.trim())
        .find(Boolean);
  const order: GuideOrder = {
    full_name: text(conversion.customer_name),
    email_address: text(conversion.customer_email)!,
    // The lenient rules of the browser SDK: the noscript pixel sends what the page rendered.
    marketing_opt_in: looseOptInFlag(text(conversion.marketing_opt_in) ?? ''),
    order_value: (looseMoneyAmount(conversion.order_value) ?? text(conversion.order_value))!,
    order_number: text(conversion.order_number)!,
    order_timestamp: String(Math.floor(seconds)),
    reward_category: text(conversion.reward_category),
    voucher_code: text(conversion.voucher_code) || firstCode,
    client_data: clientData(conversion),
    locale: text(conversion.locale),
  };
  const warnings: string[] = [];
  let source: ReferralSource = 'none';
  if (referral?.bpE) {
    const metadata = metadataOf(referral.bpE, authToken);
    if (metadata) {
      source = referral.source;
      order.referrer_email = metadata.email!.trim();
      // The friend's code from the landing counts when the order carries none.
      if (!order.voucher_code && text(metadata.voucher_code)) order.voucher_code = text(metadata.voucher_code);
    } else {
      source = 'undecryptable';
      warnings.push(
        '"referral.tokens.bp_e" expected referral metadata encrypted with this market\'s auth token, received a value that does not decrypt to it; the conversion is forwarded without a referrer',
      );
    }
  }
  // Absent values are left out, never sent as empty strings.
  for (const key of Object.keys(order) as (keyof GuideOrder)[]) if (order[key] === undefined) delete order[key];
  return { order, referral: source, warnings };
}
