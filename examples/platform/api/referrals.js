// The guide's "Referral tracking API": POST /api/referrals/track (an order, or a CSV of them) and
// POST /api/referrals/confirmations (reconciliation: confirmed, failed, manual-pass, restore).
import { randomUUID } from 'node:crypto';
import { EMAIL, fieldsOf, finish, upload, where, who } from './shared.js';

/** @typedef {import('./shared.js').ApiContext} ApiContext */
/** @typedef {import('./shared.js').Row} Row */

const STATUSES = new Set(['confirmed', 'failed', 'manual-pass', 'restore']);
const MONEY = /^\d+(\.\d{1,2})?$/;

/** CSV headings per upload endpoint, with the ones a file must carry. */
const TRACK_COLUMNS = {
  columns: [
    'ReferrerEmail',
    'VoucherCode',
    'FullName',
    'EmailAddress',
    'MarketingOptIn',
    'OrderValue',
    'OrderNumber',
    'OrderTimestamp',
    'RewardCategory',
    'Locale',
  ],
  required: ['EmailAddress', 'OrderValue', 'OrderNumber', 'OrderTimestamp'],
};
const CONFIRMATION_COLUMNS = { columns: ['OrderNumber', 'Status', 'RewardCategory'], required: ['OrderNumber', 'Status'] };

/** JSON key → CSV heading, so single and batch calls share one row handler. */
const TRACK_KEYS = {
  referrer_email: 'ReferrerEmail',
  voucher_code: 'VoucherCode',
  full_name: 'FullName',
  email_address: 'EmailAddress',
  marketing_opt_in: 'MarketingOptIn',
  order_value: 'OrderValue',
  order_number: 'OrderNumber',
  order_timestamp: 'OrderTimestamp',
  reward_category: 'RewardCategory',
  locale: 'Locale',
};
const CONFIRMATION_KEYS = { order_number: 'OrderNumber', status: 'Status', reward_category: 'RewardCategory' };

/** POST /api/referrals/track: one order (JSON) or a CSV of them. */
export const trackReferrals = (/** @type {ApiContext} */ ctx) => upload(ctx, TRACK_COLUMNS, 'order', TRACK_KEYS, trackRows);

/** POST /api/referrals/confirmations: one status (JSON) or a CSV of them. */
export const confirmReferrals = (/** @type {ApiContext} */ ctx) => upload(ctx, CONFIRMATION_COLUMNS, 'order', CONFIRMATION_KEYS, confirmRows);

/**
 * Tracks each row's order as a conversion, credited to a referrer by voucher code or referrer email.
 *
 * @param {ApiContext} ctx
 * @param {Row[]} rows
 */
function trackRows(ctx, rows) {
  const s = ctx.store();
  /** @type {string[]} */
  const problems = [];
  let created = 0;
  /** @type {string[]} */
  const ids = [];
  rows.forEach((row, i) => {
    const rowProblems = [];
    const number = (row.OrderNumber || '').trim();
    if (!number) rowProblems.push('OrderNumber is required');
    if (!EMAIL.test(row.EmailAddress || '')) rowProblems.push(`EmailAddress expected an email address, received ${JSON.stringify(row.EmailAddress || '')}`);
    if (row.ReferrerEmail && !EMAIL.test(row.ReferrerEmail))
      rowProblems.push(`ReferrerEmail expected an email address, received ${JSON.stringify(row.ReferrerEmail)}`);
    if (!MONEY.test(row.OrderValue || '')) rowProblems.push(`OrderValue expected XX.YY, received ${JSON.stringify(row.OrderValue || '')}`);
    if (!/^\d{1,10}$/.test(row.OrderTimestamp || ''))
      rowProblems.push(`OrderTimestamp expected UNIX seconds, received ${JSON.stringify(row.OrderTimestamp || '')}`);
    if (row.MarketingOptIn && !/^(true|false)$/.test(row.MarketingOptIn))
      rowProblems.push(`MarketingOptIn expected true or false, received ${JSON.stringify(row.MarketingOptIn)}`);
    const key = ctx.marketId + '\n' + number;
    if (!rowProblems.length && s.conversionsByOrder.has(key)) rowProblems.push(`Referral not created: order_number ${number} was already tracked`);
    if (rowProblems.length) return problems.push(`${where(ctx, i)}${rowProblems.join('; ')}`);
    const fields = fieldsOf(row, TRACK_KEYS);
    fields.customer_email = fields.email_address;
    const referrer = referrerFor(ctx, ctx.marketId, row);
    if (referrer) referrer.referral_count++;
    const conversion = {
      id: randomUUID(),
      market: ctx.marketId,
      event_id: null,
      fields,
      signature: 'absent',
      warnings: [],
      attribution: referrer
        ? { referrer: who(referrer), via: row.VoucherCode ? 'voucher_code' : 'referrer_email' }
        : { referrer: null, via: null, note: 'no known referrer email or voucher code' },
      transport: ctx.batch ? 'api-csv' : 'api',
      attempt: 1,
      status: referrer ? 'pending' : 'unattributed',
      order_timestamp: Number(row.OrderTimestamp),
      received_at: Date.now(),
    };
    s.record('conversions', conversion);
    ids.push(conversion.id);
    created++;
  });
  return finish(ctx, created, problems, ctx.batch ? {} : { referral_id: ids[0] });
}

/**
 * The referrer a row credits: by voucher code (share link or friend registration), else by referrer email.
 *
 * @param {ApiContext} ctx
 * @param {string} marketId
 * @param {Row} row
 */
function referrerFor(ctx, marketId, row) {
  const s = ctx.store();
  if (row.VoucherCode) {
    const voucher = s.vouchers.get(row.VoucherCode.trim().toUpperCase()) || friendVoucher(ctx, marketId, row.VoucherCode);
    if (voucher && voucher.market === marketId) return s.referrersByCode.get(voucher.referrer);
  }
  if (row.ReferrerEmail) return s.referrersByEmail.get(marketId + '\n' + row.ReferrerEmail.trim().toLowerCase());
  return undefined;
}

/**
 * A voucher issued by a friend registration, as a share-link voucher looks.
 *
 * @param {ApiContext} ctx
 * @param {string} marketId
 * @param {string} code
 */
function friendVoucher(ctx, marketId, code) {
  const friend = ctx.state.friends.find((f) => f.market === marketId && f.voucher_code === code.trim().toUpperCase());
  return friend && { market: marketId, referrer: friend.referrer_code };
}

/**
 * Applies each row's status to the tracked conversion of its order number.
 *
 * @param {ApiContext} ctx
 * @param {Row[]} rows
 */
function confirmRows(ctx, rows) {
  const s = ctx.store();
  /** @type {string[]} */
  const problems = [];
  let updated = 0;
  rows.forEach((row, i) => {
    const number = (row.OrderNumber || '').trim();
    const status = (row.Status || '').trim().replace(/\u2011/g, '-');
    if (!STATUSES.has(status))
      return problems.push(`${where(ctx, i)}Status expected one of ${[...STATUSES].join(', ')}, received ${JSON.stringify(row.Status || '')}`);
    const conversion = s.conversionsByOrder.get(ctx.marketId + '\n' + number);
    if (!conversion) return problems.push(`${where(ctx, i)}Referral not found for order_number ${JSON.stringify(number)}`);
    conversion.status = status === 'restore' ? 'pending' : status;
    conversion.reconciled_at = Date.now();
    if (row.RewardCategory) conversion.fields.reward_category = row.RewardCategory;
    updated++;
  });
  const status = problems.length ? 200 : 201;
  return ctx.answer(status, { status: problems.length ? 'processed' : 'updated', updated, problems });
}
