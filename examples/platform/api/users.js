// The guide's friend registrations, subscriptions and "forget" (right to erasure) APIs.
import { randomBytes } from 'node:crypto';
import { campaignOf, EMAIL, finish, upload, where } from './shared.js';

/** @typedef {import('./shared.js').ApiContext} ApiContext */
/** @typedef {import('./shared.js').Row} Row */

const FRIEND_COLUMNS = {
  columns: ['ReferrerEmail', 'FriendEmail', 'FriendFirstName', 'FriendLastName', 'CustomFieldValue', 'TermsOptIn', 'MarketingOptIn', 'Locale'],
  required: ['ReferrerEmail', 'FriendEmail', 'FriendFirstName'],
};
const EMAIL_COLUMNS = { columns: ['Email'], required: ['Email'] };
const FRIEND_KEYS = {
  referrer_email: 'ReferrerEmail',
  friend_email: 'FriendEmail',
  friend_first_name: 'FriendFirstName',
  friend_last_name: 'FriendLastName',
  custom_field_value: 'CustomFieldValue',
  terms_opt_in: 'TermsOptIn',
  marketing_opt_in: 'MarketingOptIn',
  locale: 'Locale',
};
const EMAIL_KEYS = { email: 'Email' };

/** POST /api/friends/registrations: one friend (JSON) or a CSV of them. */
export const registerFriends = (/** @type {ApiContext} */ ctx) => upload(ctx, FRIEND_COLUMNS, 'registration', FRIEND_KEYS, friendRows);

/** POST /api/subscriptions/subscribe and /unsubscribe: one email (JSON) or a CSV of them. */
export const subscriptions = (/** @type {ApiContext} */ ctx, /** @type {boolean} */ subscribe) =>
  upload(ctx, EMAIL_COLUMNS, 'user', EMAIL_KEYS, (/** @type {ApiContext} */ c, /** @type {Row[]} */ rows) => subscriptionRows(c, rows, subscribe));

/** POST /api/users/forget: one email (JSON) or a CSV of them. */
export const forget = (/** @type {ApiContext} */ ctx) => upload(ctx, EMAIL_COLUMNS, 'user', EMAIL_KEYS, forgetRows);

/**
 * Registers each row's friend under their referrer; a voucher when distribute_friend_voucher is true.
 *
 * @param {ApiContext} ctx
 * @param {Row[]} rows
 */
function friendRows(ctx, rows) {
  const fields = /** @type {Record<string, string>} */ (ctx.fields);
  const slug = campaignOf(ctx, fields.campaign_slug);
  if (!slug) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(fields.campaign_slug || '')} in this market`] });
  const distribute = String(fields.distribute_friend_voucher) === 'true';
  const s = ctx.store();
  /** @type {string[]} */
  const problems = [];
  let created = 0;
  /** @type {string[]} */
  const vouchers = [];
  rows.forEach((row, i) => {
    const rowProblems = [];
    for (const h of FRIEND_COLUMNS.required) if (!row[h]) rowProblems.push(`${h} is required`);
    for (const h of ['ReferrerEmail', 'FriendEmail'])
      if (row[h] && !EMAIL.test(row[h])) rowProblems.push(`${h} expected an email address, received ${JSON.stringify(row[h])}`);
    for (const h of ['TermsOptIn', 'MarketingOptIn'])
      if (row[h] && !/^(true|false)$/.test(row[h])) rowProblems.push(`${h} expected true or false, received ${JSON.stringify(row[h])}`);
    if (rowProblems.length) return problems.push(where(ctx, i) + rowProblems.join('; '));
    const referrer = s.referrersByEmail.get(ctx.marketId + '\n' + row.ReferrerEmail.toLowerCase());
    if (!referrer) return problems.push(`${where(ctx, i)}Friend not registered: no referrer ${row.ReferrerEmail} in this market`);
    const email = row.FriendEmail.toLowerCase();
    if (ctx.state.friends.some((f) => f.market === ctx.marketId && f.email.toLowerCase() === email))
      return problems.push(`${where(ctx, i)}Friend not registered: ${row.FriendEmail} is already registered`);
    const voucher_code = distribute ? 'BPFRND' + randomBytes(5).toString('hex').toUpperCase() : null;
    ctx.state.friends.push({
      market: ctx.marketId,
      campaign: slug,
      referrer_code: referrer.code,
      referrer_email: referrer.email,
      email: row.FriendEmail,
      first_name: row.FriendFirstName,
      last_name: row.FriendLastName || '',
      terms_opt_in: row.TermsOptIn === 'true',
      marketing_opt_in: row.MarketingOptIn === 'true',
      voucher_code,
      registered_at: Date.now(),
    });
    if (voucher_code) vouchers.push(voucher_code);
    created++;
  });
  return finish(ctx, created, problems, ctx.batch ? {} : { voucher_code: vouchers[0] || null });
}

/**
 * True when the email is a referrer's or a registered friend's in this market.
 *
 * @param {ApiContext} ctx
 * @param {string} marketId
 * @param {string} email
 */
function knownEmail(ctx, marketId, email) {
  const key = marketId + '\n' + email.toLowerCase();
  return ctx.store().referrersByEmail.has(key) || ctx.state.friends.some((f) => f.market === marketId && f.email.toLowerCase() === email.toLowerCase());
}

/**
 * Subscribes or unsubscribes each row's email.
 *
 * @param {ApiContext} ctx
 * @param {Row[]} rows
 * @param {boolean} subscribe
 */
function subscriptionRows(ctx, rows, subscribe) {
  /** @type {string[]} */
  const problems = [];
  let updated = 0;
  rows.forEach((row, i) => {
    const email = (row.Email || '').trim();
    if (!EMAIL.test(email)) return problems.push(`${where(ctx, i)}Email expected an email address, received ${JSON.stringify(email)}`);
    if (!knownEmail(ctx, ctx.marketId, email)) return problems.push(`${where(ctx, i)}No refer-a-friend user with email ${email}`);
    const key = ctx.marketId + '\n' + email.toLowerCase();
    if (subscribe) ctx.state.unsubscribed.delete(key);
    else ctx.state.unsubscribed.add(key);
    updated++;
  });
  return ctx.answer(200, { status: subscribe ? 'subscribed' : 'unsubscribed', updated, problems });
}

/**
 * Forgets each row's person: referrer, friend and conversion details are overwritten.
 *
 * @param {ApiContext} ctx
 * @param {Row[]} rows
 */
function forgetRows(ctx, rows) {
  const s = ctx.store();
  /** @type {string[]} */
  const problems = [];
  let updated = 0;
  rows.forEach((row, i) => {
    const email = (row.Email || '').trim().toLowerCase();
    if (!EMAIL.test(email)) return problems.push(`${where(ctx, i)}Email expected an email address, received ${JSON.stringify(row.Email || '')}`);
    if (!knownEmail(ctx, ctx.marketId, email)) return problems.push(`${where(ctx, i)}No refer-a-friend user with email ${row.Email}`);
    const referrer = s.referrersByEmail.get(ctx.marketId + '\n' + email);
    if (referrer) {
      s.referrersByEmail.delete(ctx.marketId + '\n' + email);
      Object.assign(referrer, {
        name: 'forgotten',
        first_name: 'forgotten',
        last_name: '',
        email: `forgotten-${referrer.code}@invalid`,
        client_data: undefined,
        forgotten: true,
      });
    }
    for (const friend of ctx.state.friends) {
      if (friend.market === ctx.marketId && friend.email.toLowerCase() === email)
        Object.assign(friend, { email: 'forgotten@invalid', first_name: 'forgotten', last_name: '' });
    }
    for (const c of s.conversions) {
      if (c.market === ctx.marketId && String(c.fields.email_address || c.fields.customer_email || '').toLowerCase() === email) {
        c.fields = { ...c.fields, email_address: 'forgotten@invalid', customer_email: 'forgotten@invalid', full_name: 'forgotten' };
      }
    }
    ctx.state.forgotten.push({ market: ctx.marketId, at: Date.now() });
    updated++;
  });
  return ctx.answer(200, { status: 'forgotten', updated, problems });
}
