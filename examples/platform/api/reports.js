// The guide's "Reports API": CSV reports over [starts_at, ends_at), built from what the platform holds.
import { stringify } from 'csv-stringify/sync';
import { campaignOf } from './shared.js';

/** @typedef {import('./shared.js').ApiContext} ApiContext */
/** @typedef {import('./shared.js').Row} Row */

const DAY = 86_400;

/** @type {Record<string, { defaultRange: number, maxRange: number }>} The guide's report types: default and maximum range in seconds. */
const REPORTS = {
  signups: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
  friend_voucher_distribution: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  friends: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  pending_referrals: { defaultRange: 90 * DAY, maxRange: 90 * DAY },
  who_referred_whom: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  top_referrers: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
  all_vouchers_distribution: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
};

/**
 * GET /api/reports/:type/:campaign?starts_at&ends_at: a CSV report of what the platform holds.
 *
 * @param {ApiContext} ctx
 * @param {string} type
 * @param {string} slug
 */
export function report(ctx, type, slug) {
  const spec = REPORTS[type];
  if (!spec)
    return ctx.answer(404, { status: 'not_found', problems: [`No report type ${JSON.stringify(type)}; expected one of ${Object.keys(REPORTS).join(', ')}`] });
  if (!campaignOf(ctx, slug)) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(slug)} in this market`] });
  const q = ctx.url.searchParams;
  const now = Math.floor(Date.now() / 1000);
  /** @type {string[]} */
  const problems = [];
  const number = (/** @type {string} */ name) => {
    const raw = q.get(name);
    if (raw === null) return undefined;
    if (!/^\d{1,10}$/.test(raw)) problems.push(`${name} expected a UNIX timestamp in seconds, received ${JSON.stringify(raw)}`);
    return Number(raw);
  };
  // Windows are [starts_at, ends_at): the default end is just after now, so this second counts.
  const ends = number('ends_at') ?? now + 1;
  const starts = number('starts_at') ?? ends - spec.defaultRange;
  if (!problems.length && starts >= ends) problems.push(`ends_at (${ends}) expected to be after starts_at (${starts})`);
  if (!problems.length && ends - starts > spec.maxRange)
    problems.push(`Result limit: ${type} covers at most ${spec.maxRange / DAY} days per request; this range is ${((ends - starts) / DAY).toFixed(1)} days`);
  if (problems.length) return ctx.answer(422, { status: 'invalid', problems });
  const inRange = (/** @type {number} */ seconds) => seconds >= starts && seconds < ends;
  const rows = reportRows(ctx, ctx.marketId, type, inRange);
  ctx.call.rows = rows.length - 1;
  return ctx.answer(200, stringify(rows), { 'Content-Type': 'text/csv; charset=utf-8' });
}

/**
 * The report as CSV records, headings first. Times are UNIX seconds; windows are [starts_at, ends_at).
 *
 * @param {ApiContext} ctx
 * @param {string} marketId
 * @param {string} type
 * @param {(seconds: number) => boolean} inRange
 * @returns {unknown[][]}
 */
function reportRows(ctx, marketId, type, inRange) {
  const s = ctx.store();
  const seconds = (/** @type {number} */ ms) => Math.floor(ms / 1000);
  const conversions = s.conversions.filter((c) => c.market === marketId && c.attribution && c.attribution.referrer);
  const converted = conversions.map((c) => ({ c, at: /** @type {number} */ (c.order_timestamp ?? seconds(c.received_at)) })).filter(({ at }) => inRange(at));
  const friends = ctx.state.friends.filter((f) => f.market === marketId && inRange(seconds(f.registered_at)));
  switch (type) {
    case 'signups':
      return [
        ['Email', 'FirstName', 'LastName', 'ShareCode', 'SignedUpAt'],
        ...s.referrers
          .filter((r) => r.market === marketId && !r.forgotten && inRange(seconds(r.created_at)))
          .map((r) => [r.email, r.first_name, r.last_name, r.code, seconds(r.created_at)]),
      ];
    case 'friends':
      return [
        ['ReferrerEmail', 'FriendEmail', 'FriendFirstName', 'FriendLastName', 'RegisteredAt'],
        ...friends.map((f) => [f.referrer_email, f.email, f.first_name, f.last_name, seconds(f.registered_at)]),
      ];
    case 'friend_voucher_distribution':
      return [
        ['FriendEmail', 'VoucherCode', 'DistributedAt'],
        ...friends.filter((f) => f.voucher_code).map((f) => [f.email, f.voucher_code, seconds(f.registered_at)]),
      ];
    case 'all_vouchers_distribution': {
      const issued = [...s.vouchers.entries()].filter(([, v]) => v.market === marketId && inRange(seconds(v.issued_at || 0)));
      return [
        ['VoucherCode', 'Kind', 'ReferrerCode', 'DistributedAt'],
        ...issued.map(([code, v]) => [code, 'share_link', v.referrer, seconds(v.issued_at)]),
        ...friends.filter((f) => f.voucher_code).map((f) => [f.voucher_code, 'friend_registration', f.referrer_code, seconds(f.registered_at)]),
      ];
    }
    case 'who_referred_whom':
    case 'pending_referrals': {
      const pending = type === 'pending_referrals';
      return [
        ['ReferrerEmail', 'FriendEmail', 'OrderNumber', 'OrderValue', 'Status', 'OrderTimestamp'],
        ...converted
          .filter(({ c }) => !pending || (c.status || 'pending') === 'pending')
          .sort((a, b) => a.at - b.at)
          .map(({ c, at }) => [
            c.attribution.referrer.email,
            c.fields.email_address || c.fields.customer_email || '',
            c.fields.order_number,
            c.fields.order_value || '',
            c.status || 'pending',
            at,
          ]),
      ];
    }
    case 'top_referrers': {
      const counts = new Map();
      for (const { c } of converted) counts.set(c.attribution.referrer.email, (counts.get(c.attribution.referrer.email) || 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 100);
      return [['ReferrerEmail', 'Referrals'], ...top];
    }
  }
  return [[]];
}
