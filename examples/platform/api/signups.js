// The guide's "Signups API": one referrer (JSON), or a CSV answered by a 303 → 202 → 200 download.
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { campaignOf, EMAIL, MAX_JSON_BYTES, parseJson, readBuffer, readCsvUpload } from './shared.js';

/** @typedef {import('./shared.js').ApiContext} ApiContext */
/** @typedef {import('./shared.js').Row} Row */

const SIGNUP_COLUMNS = { columns: ['Email', 'FirstName', 'LastName', 'CustomField', 'Locale'], required: ['Email', 'FirstName'] };

/**
 * Signs up (or finds) a referrer; their share and dashboard URLs.
 *
 * @param {ApiContext} ctx
 * @param {string} slug
 * @param {Row} row
 * @param {string} base - The platform's base URL.
 */
function signUp(ctx, slug, row, base) {
  const name = [row.FirstName, row.LastName].filter(Boolean).join(' ') || row.Email;
  const referrer = ctx.findOrCreateReferrer(ctx.marketId, { name, email: row.Email });
  ctx.state.unsubscribed.delete(ctx.marketId + '\n' + row.Email.toLowerCase());
  return {
    share_url: `${base}/r/${referrer.code}`,
    dashboard_url: `${base}/iaf/${encodeURIComponent(slug)}?market=${encodeURIComponent(ctx.marketId)}&dashboard=${referrer.code}`,
  };
}

/** POST /api/signups: one referrer; answers their share and dashboard URLs. */
export async function signupSingle(/** @type {ApiContext} */ ctx) {
  const body = parseJson(await readBuffer(ctx.req, MAX_JSON_BYTES));
  if (!body.ok) return ctx.answer(422, { status: 'invalid', problems: [body.error] });
  const { campaign_slug, signup } = body.value || {};
  if (!campaignOf(ctx, campaign_slug))
    return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(campaign_slug)} in this market`] });
  const problems = [];
  if (!signup || !EMAIL.test(signup.email || '')) problems.push(`signup.email expected an email address, received ${JSON.stringify(signup && signup.email)}`);
  if (!signup || !signup.first_name) problems.push('signup.first_name is required');
  if (problems.length) return ctx.answer(422, { status: 'invalid', problems });
  ctx.call.rows = 1;
  const links = signUp(ctx, campaign_slug, { Email: signup.email, FirstName: signup.first_name, LastName: signup.last_name }, ctx.baseOf(ctx.req));
  return ctx.answer(200, links);
}

/** POST /api/signups/upload: a CSV of referrers; 303 to its download. */
export async function signupUpload(/** @type {ApiContext} */ ctx) {
  const read = await readCsvUpload(ctx, SIGNUP_COLUMNS);
  if (!read) return;
  ctx.call.rows = read.rows.length;
  const slug = campaignOf(ctx, read.fields.campaign_slug);
  if (!slug) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(read.fields.campaign_slug || '')} in this market`] });
  const bad = read.rows.flatMap((row, i) =>
    EMAIL.test(row.Email || '') ? [] : [`row ${i + 1}: Email expected an email address, received ${JSON.stringify(row.Email || '')}`],
  );
  if (bad.length) return ctx.answer(422, { status: 'invalid', problems: bad });
  const id = randomUUID();
  ctx.state.jobs.set(id, {
    market: ctx.marketId,
    slug,
    rows: read.rows,
    pollsLeft: ctx.state.signupPolls,
    base: ctx.baseOf(ctx.req),
    invites: read.fields.send_auto_invite_emails === 'true',
  });
  const url = `${ctx.baseOf(ctx.req)}/api/signups/download/${id}`;
  return ctx.answer(303, { url }, { Location: url });
}

/** GET /api/signups/download/:id: 202 while processing (scriptable), then the CSV with links. */
export function signupDownload(/** @type {ApiContext} */ ctx, /** @type {string | undefined} */ id) {
  const job = id && ctx.state.jobs.get(id);
  if (!job || job.market !== ctx.marketId) return ctx.answer(404, { status: 'not_found', problems: ['No signups download with this ID'] });
  if (job.pollsLeft > 0) {
    job.pollsLeft--;
    return ctx.answer(202, { status: 'processing' });
  }
  if (!job.csv) {
    const headings = Object.keys(job.rows[0] || { Email: '', FirstName: '' });
    const records = job.rows.map((row) => {
      const links = signUp(ctx, job.slug, row, job.base);
      return [...headings.map((h) => row[h]), links.share_url, links.dashboard_url];
    });
    job.csv = stringify([[...headings, 'ShareURL', 'DashboardURL'], ...records]);
    job.rows = [];
  }
  ctx.call.rows = null;
  return ctx.answer(200, job.csv, { 'Content-Type': 'text/csv; charset=utf-8' });
}
