// The guide's server APIs on the dev platform ("Referral tracking API" through "General API info"):
// auth_id/auth_token against markets.json, JSON and multipart CSV bodies with the documented
// headings, 201 / "200 with problems" / 422, a 429 rate limit with Retry-After, the signups
// 303 → 202 → 200 download and CSV reports built from what the platform holds.
// platform.js hands over its store and helpers; this module keeps its own API state.
import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Paths this module answers (the platform's own /api/state, /api/reset… stay with platform.js). */
const PREFIXES = ['/api/referrals/', '/api/signups', '/api/friends/', '/api/reports/', '/api/subscriptions/', '/api/users/'];
export const API_CONTROL_PATH = '/__control/api';

const MAX_PAYLOAD_BYTES = 20 * 1024 * 1024;
const MAX_JSON_BYTES = 64 * 1024;
const MAX_LOGGED_CALLS = 200;
const DAY = 86_400;
/** Default rate limit per market: this many requests per window. */
const DEFAULT_RATE_LIMIT = { requests: 100, perSeconds: 1 };
/** How many times a signups download answers 202 before the 200 (scriptable). */
const DEFAULT_SIGNUP_POLLS = 1;

const STATUSES = new Set(['confirmed', 'failed', 'manual-pass', 'restore']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MONEY = /^\d+(\.\d{1,2})?$/;

/** The guide's report types: default and maximum range in seconds, and the rows they hold. */
const REPORTS = {
  signups: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
  friend_voucher_distribution: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  friends: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  pending_referrals: { defaultRange: 90 * DAY, maxRange: 90 * DAY },
  who_referred_whom: { defaultRange: 7 * DAY, maxRange: 90 * DAY },
  top_referrers: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
  all_vouchers_distribution: { defaultRange: 30 * DAY, maxRange: 365 * DAY },
};

/** CSV headings per upload endpoint, with the ones a file must carry. */
const TRACK_COLUMNS = {
  columns: ['ReferrerEmail', 'VoucherCode', 'FullName', 'EmailAddress', 'MarketingOptIn', 'OrderValue', 'OrderNumber', 'OrderTimestamp', 'RewardCategory', 'Locale'],
  required: ['EmailAddress', 'OrderValue', 'OrderNumber', 'OrderTimestamp'],
};
const CONFIRMATION_COLUMNS = { columns: ['OrderNumber', 'Status', 'RewardCategory'], required: ['OrderNumber', 'Status'] };
const SIGNUP_COLUMNS = { columns: ['Email', 'FirstName', 'LastName', 'CustomField', 'Locale'], required: ['Email', 'FirstName'] };
const FRIEND_COLUMNS = {
  columns: ['ReferrerEmail', 'FriendEmail', 'FriendFirstName', 'FriendLastName', 'CustomFieldValue', 'TermsOptIn', 'MarketingOptIn', 'Locale'],
  required: ['ReferrerEmail', 'FriendEmail', 'FriendFirstName'],
};
const EMAIL_COLUMNS = { columns: ['Email'], required: ['Email'] };

/** JSON key → CSV heading, so single and batch calls share one row handler. */
const TRACK_KEYS = {
  referrer_email: 'ReferrerEmail', voucher_code: 'VoucherCode', full_name: 'FullName', email_address: 'EmailAddress',
  marketing_opt_in: 'MarketingOptIn', order_value: 'OrderValue', order_number: 'OrderNumber', order_timestamp: 'OrderTimestamp',
  reward_category: 'RewardCategory', locale: 'Locale',
};
const CONFIRMATION_KEYS = { order_number: 'OrderNumber', status: 'Status', reward_category: 'RewardCategory' };
const FRIEND_KEYS = {
  referrer_email: 'ReferrerEmail', friend_email: 'FriendEmail', friend_first_name: 'FriendFirstName', friend_last_name: 'FriendLastName',
  custom_field_value: 'CustomFieldValue', terms_opt_in: 'TermsOptIn', marketing_opt_in: 'MarketingOptIn', locale: 'Locale',
};

/**
 * The guide's APIs for the dev platform.
 *
 * @param {object} platform
 * @param {Map<string, {authToken: string, campaigns: object}>} platform.markets
 * @param {() => any} platform.store - The platform's current store (replaced on reset).
 * @param {(market: string, who: {name: string, email: string}) => any} platform.findOrCreateReferrer
 * @param {(req: any) => string} platform.baseOf - The platform's base URL as the client sees it.
 */
export function createApi({ markets, store, findOrCreateReferrer, baseOf }) {
  let state = emptyState();

  function emptyState() {
    return {
      calls: [],
      friends: [],
      jobs: new Map(),
      unsubscribed: new Set(),
      forgotten: [],
      script: [],
      rateLimit: { ...DEFAULT_RATE_LIMIT },
      signupPolls: DEFAULT_SIGNUP_POLLS,
      windows: new Map(),
    };
  }

  /** True for the guide's endpoints and the API control path. */
  const handles = (pathname) => pathname == API_CONTROL_PATH || PREFIXES.some((p) => pathname.startsWith(p));

  async function handle(req, res, url) {
    if (url.pathname == API_CONTROL_PATH) return control(req, res);
    const started = Date.now();
    const call = { at: started, market: null, method: req.method, path: url.pathname, status: 0, rows: null, problems: [] };
    const answer = (status, body, headers = {}) => {
      call.status = status;
      call.ms = Date.now() - started;
      if (body && typeof body == 'object' && !Buffer.isBuffer(body) && Array.isArray(body.problems)) call.problems = body.problems.slice(0, 5);
      state.calls.push(call);
      if (state.calls.length > MAX_LOGGED_CALLS) state.calls.shift();
      store().version++; // the dashboard reloads on a new version
      return send(res, status, body, headers);
    };

    const marketId = String(req.headers['auth_id'] || '');
    const market = markets.get(marketId);
    if (!market || !market.authToken || req.headers['auth_token'] !== market.authToken) {
      await drain(req);
      return answer(401, { status: 'unauthorized', problems: ['The wrong auth_id/auth_token combination is given'] });
    }
    call.market = marketId;

    const scripted = state.script.shift();
    if (scripted !== undefined) {
      await drain(req);
      if (scripted === 'drop') return res.destroy();
      const status = typeof scripted == 'number' ? scripted : scripted.status;
      const retryAfter = typeof scripted == 'object' && scripted.retryAfter !== undefined ? { 'Retry-After': String(scripted.retryAfter) } : {};
      const problems = typeof scripted == 'object' && Array.isArray(scripted.problems) ? scripted.problems : [`Scripted answer ${status}`];
      return answer(status, { status: status == 429 ? 'rate_limited' : 'scripted', problems }, retryAfter);
    }
    const limited = rateLimited(marketId);
    if (limited) {
      await drain(req);
      return answer(429, { status: 'rate_limited', problems: [`Rate limit: at most ${state.rateLimit.requests} requests per ${state.rateLimit.perSeconds} s`] }, { 'Retry-After': String(limited) });
    }

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const ctx = { req, url, marketId, market, call, answer };
    const route = `${req.method} ${parts.slice(0, 3).join('/')}`;
    switch (route) {
      case 'POST api/referrals/track':
        return upload(ctx, TRACK_COLUMNS, 'order', TRACK_KEYS, trackRows);
      case 'POST api/referrals/confirmations':
        return upload(ctx, CONFIRMATION_COLUMNS, 'order', CONFIRMATION_KEYS, confirmRows);
      case 'POST api/signups':
        return signupSingle(ctx);
      case 'POST api/signups/upload':
        return signupUpload(ctx);
      case 'GET api/signups/download':
        return signupDownload(ctx, parts[3]);
      case 'POST api/friends/registrations':
        return upload(ctx, FRIEND_COLUMNS, 'registration', FRIEND_KEYS, friendRows);
      case 'POST api/subscriptions/subscribe':
      case 'POST api/subscriptions/unsubscribe':
        return upload(ctx, EMAIL_COLUMNS, 'user', { email: 'Email' }, (c, rows) => subscriptionRows(c, rows, parts[2] == 'subscribe'));
      case 'POST api/users/forget':
        return upload(ctx, EMAIL_COLUMNS, 'user', { email: 'Email' }, forgetRows);
    }
    if (req.method == 'GET' && parts[1] == 'reports' && parts.length == 4) return report(ctx, parts[2], parts[3]);
    await drain(req);
    return answer(404, { status: 'not_found', problems: [`No API at ${req.method} ${url.pathname}`] });
  }

  // ---- Rate limit and test control ------------------------------------------------------

  /** Fixed-window counter per market; returns the seconds to wait, or 0. */
  function rateLimited(marketId) {
    const { requests, perSeconds } = state.rateLimit;
    if (!requests) return 0;
    const now = Date.now();
    let window = state.windows.get(marketId);
    if (!window || now - window.start >= perSeconds * 1000) state.windows.set(marketId, (window = { start: now, count: 0 }));
    window.count++;
    return window.count > requests ? Math.max(1, Math.ceil((window.start + perSeconds * 1000 - now) / 1000)) : 0;
  }

  async function control(req, res) {
    const body = parseJson(await readBuffer(req, MAX_JSON_BYTES));
    const value = body.ok ? body.value : null;
    const usage =
      'expected { answers?: [429, {status: 429, retryAfter: 1}, {status: 422, problems: ["…"]}, 500, "drop", …], rateLimit?: {requests, perSeconds} | null, signupPolls?: number }';
    if (!value || typeof value != 'object') return send(res, 400, { status: 'invalid', problems: [usage] });
    if ('answers' in value) {
      const ok = Array.isArray(value.answers) && value.answers.every((a) => a === 'drop' || Number.isInteger(a) || (a && Number.isInteger(a.status)));
      if (!ok) return send(res, 400, { status: 'invalid', problems: [`"answers" ${usage}`] });
      state.script = value.answers.slice();
    }
    if ('rateLimit' in value) {
      const r = value.rateLimit;
      if (r !== null && !(r && Number.isInteger(r.requests) && r.requests >= 0 && Number(r.perSeconds) > 0))
        return send(res, 400, { status: 'invalid', problems: [`"rateLimit" ${usage}`] });
      state.rateLimit = r === null ? { ...DEFAULT_RATE_LIMIT } : { requests: r.requests, perSeconds: Number(r.perSeconds) };
      state.windows.clear();
    }
    if ('signupPolls' in value) {
      if (!Number.isInteger(value.signupPolls) || value.signupPolls < 0) return send(res, 400, { status: 'invalid', problems: [`"signupPolls" ${usage}`] });
      state.signupPolls = value.signupPolls;
    }
    return send(res, 200, { status: 'ok', pending: state.script.length, rateLimit: state.rateLimit, signupPolls: state.signupPolls });
  }

  // ---- Bodies: JSON for single calls, multipart CSV for batches --------------------------

  /**
   * Reads a single (JSON `{ [wrapper]: {...} }`) or batch (multipart `csv`) body into rows keyed
   * by CSV heading, then hands them to `handleRows`, which answers.
   */
  async function upload(ctx, spec, wrapper, keys, handleRows) {
    const type = String(ctx.req.headers['content-type'] || '');
    if (type.startsWith('multipart/form-data')) {
      const read = await readCsvUpload(ctx, spec);
      if (!read) return;
      ctx.call.rows = read.rows.length;
      return handleRows({ ...ctx, fields: read.fields, batch: true }, read.rows);
    }
    const body = parseJson(await readBuffer(ctx.req, MAX_JSON_BYTES));
    if (!body.ok) return ctx.answer(422, { status: 'invalid', problems: [body.error] });
    const inner = body.value && body.value[wrapper];
    if (!inner || typeof inner != 'object') return ctx.answer(422, { status: 'invalid', problems: [`Expected a JSON object with "${wrapper}"`] });
    const row = {};
    for (const [key, column] of Object.entries(keys)) if (inner[key] !== undefined && inner[key] !== null) row[column] = String(inner[key]);
    for (const [key, value] of Object.entries(inner.client_data || {})) row[`ClientData_${key}`] = String(value);
    ctx.call.rows = 1;
    return handleRows({ ...ctx, fields: body.value, batch: false }, [row]);
  }

  /** Parses a multipart body's `csv` file; answers (and returns undefined) when it can't be used. */
  async function readCsvUpload(ctx, spec) {
    const { req, answer } = ctx;
    const declared = Number(req.headers['content-length'] || 0);
    if (declared > MAX_PAYLOAD_BYTES) {
      await drain(req);
      return answer(422, { status: 'too_large', problems: [`Payload limit: ${declared} bytes is over the ${MAX_PAYLOAD_BYTES}-byte limit`] }), undefined;
    }
    const buffer = await readBuffer(req, MAX_PAYLOAD_BYTES);
    if (!buffer) return answer(422, { status: 'too_large', problems: [`Payload limit: the body is over the ${MAX_PAYLOAD_BYTES}-byte limit`] }), undefined;
    let form;
    try {
      form = await new Response(buffer, { headers: { 'content-type': req.headers['content-type'] } }).formData();
    } catch (error) {
      return answer(422, { status: 'invalid', problems: [`The multipart body could not be read: ${error.message}`] }), undefined;
    }
    const file = form.get('csv');
    if (!file || typeof file == 'string') return answer(422, { status: 'invalid', problems: ['Expected a file in the multipart field "csv"'] }), undefined;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const spreadsheet = spreadsheetKind(bytes, file.name || '');
    if (spreadsheet) return answer(422, { status: 'invalid', problems: [`Where a CSV is required, a spreadsheet (${spreadsheet}) was uploaded: save it as CSV`] }), undefined;
    let rows;
    try {
      rows = parse(Buffer.from(bytes), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
    } catch (error) {
      return answer(422, { status: 'invalid', problems: [`The CSV could not be parsed: ${error.message}`] }), undefined;
    }
    const headings = headingsOf(bytes);
    const missing = spec.required.filter((h) => !headings.includes(h));
    if (missing.length) {
      answer(200, { status: 'not_processed', created: 0, problems: missing.map((h) => `The uploaded CSV is missing a required column: ${h}`) });
      return undefined;
    }
    const fields = {};
    for (const [name, value] of form.entries()) if (name != 'csv') fields[name] = String(value);
    return { rows, fields };
  }

  /** Answers 201 when everything was created, 200 with the problems otherwise. */
  function finish(ctx, created, problems, extra = {}) {
    const status = problems.length == 0 && created > 0 ? 201 : 200;
    return ctx.answer(status, { status: status == 201 ? 'created' : 'processed', created, problems, ...extra });
  }

  const where = (ctx, i) => (ctx.batch ? `row ${i + 1}: ` : '');

  // ---- Referral tracking and reconciliation ------------------------------------------------

  function trackRows(ctx, rows) {
    const s = store();
    const problems = [];
    let created = 0;
    const ids = [];
    rows.forEach((row, i) => {
      const rowProblems = [];
      const number = (row.OrderNumber || '').trim();
      if (!number) rowProblems.push('OrderNumber is required');
      if (!EMAIL.test(row.EmailAddress || '')) rowProblems.push(`EmailAddress expected an email address, received ${JSON.stringify(row.EmailAddress || '')}`);
      if (row.ReferrerEmail && !EMAIL.test(row.ReferrerEmail)) rowProblems.push(`ReferrerEmail expected an email address, received ${JSON.stringify(row.ReferrerEmail)}`);
      if (!MONEY.test(row.OrderValue || '')) rowProblems.push(`OrderValue expected XX.YY, received ${JSON.stringify(row.OrderValue || '')}`);
      if (!/^\d{1,10}$/.test(row.OrderTimestamp || '')) rowProblems.push(`OrderTimestamp expected UNIX seconds, received ${JSON.stringify(row.OrderTimestamp || '')}`);
      if (row.MarketingOptIn && !/^(true|false)$/.test(row.MarketingOptIn)) rowProblems.push(`MarketingOptIn expected true or false, received ${JSON.stringify(row.MarketingOptIn)}`);
      const key = ctx.marketId + '\n' + number;
      if (!rowProblems.length && s.conversionsByOrder.has(key)) rowProblems.push(`Referral not created: order_number ${number} was already tracked`);
      if (rowProblems.length) return problems.push(`${where(ctx, i)}${rowProblems.join('; ')}`);
      const fields = fieldsOf(row, TRACK_KEYS);
      fields.customer_email = fields.email_address;
      const referrer = referrerFor(ctx.marketId, row);
      if (referrer) referrer.referral_count++;
      const conversion = {
        id: randomUUID(),
        market: ctx.marketId,
        event_id: null,
        fields,
        signature: 'absent',
        warnings: [],
        attribution: referrer ? { referrer: who(referrer), via: row.VoucherCode ? 'voucher_code' : 'referrer_email' } : { referrer: null, via: null, note: 'no known referrer email or voucher code' },
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

  function referrerFor(marketId, row) {
    const s = store();
    if (row.VoucherCode) {
      const voucher = s.vouchers.get(row.VoucherCode.trim().toUpperCase()) || friendVoucher(marketId, row.VoucherCode);
      if (voucher && voucher.market == marketId) return s.referrersByCode.get(voucher.referrer);
    }
    if (row.ReferrerEmail) return s.referrersByEmail.get(marketId + '\n' + row.ReferrerEmail.trim().toLowerCase());
    return undefined;
  }

  function friendVoucher(marketId, code) {
    const friend = state.friends.find((f) => f.market == marketId && f.voucher_code == code.trim().toUpperCase());
    return friend && { market: marketId, referrer: friend.referrer_code };
  }

  function confirmRows(ctx, rows) {
    const s = store();
    const problems = [];
    let updated = 0;
    rows.forEach((row, i) => {
      const number = (row.OrderNumber || '').trim();
      const status = (row.Status || '').trim().replace(/\u2011/g, '-');
      if (!STATUSES.has(status)) return problems.push(`${where(ctx, i)}Status expected one of ${[...STATUSES].join(', ')}, received ${JSON.stringify(row.Status || '')}`);
      const conversion = s.conversionsByOrder.get(ctx.marketId + '\n' + number);
      if (!conversion) return problems.push(`${where(ctx, i)}Referral not found for order_number ${JSON.stringify(number)}`);
      conversion.status = status == 'restore' ? 'pending' : status;
      conversion.reconciled_at = Date.now();
      if (row.RewardCategory) conversion.fields.reward_category = row.RewardCategory;
      updated++;
    });
    const status = problems.length ? 200 : 201;
    return ctx.answer(status, { status: problems.length ? 'processed' : 'updated', updated, problems });
  }

  // ---- Signups -------------------------------------------------------------------------------

  function campaignOf(ctx, slug) {
    return slug && Object.prototype.hasOwnProperty.call(ctx.market.campaigns, slug) ? slug : null;
  }

  function signUp(ctx, slug, row, base) {
    const name = [row.FirstName, row.LastName].filter(Boolean).join(' ') || row.Email;
    const referrer = findOrCreateReferrer(ctx.marketId, { name, email: row.Email });
    state.unsubscribed.delete(ctx.marketId + '\n' + row.Email.toLowerCase());
    return {
      share_url: `${base}/r/${referrer.code}`,
      dashboard_url: `${base}/iaf/${encodeURIComponent(slug)}?market=${encodeURIComponent(ctx.marketId)}&dashboard=${referrer.code}`,
    };
  }

  async function signupSingle(ctx) {
    const body = parseJson(await readBuffer(ctx.req, MAX_JSON_BYTES));
    if (!body.ok) return ctx.answer(422, { status: 'invalid', problems: [body.error] });
    const { campaign_slug, signup } = body.value || {};
    if (!campaignOf(ctx, campaign_slug)) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(campaign_slug)} in this market`] });
    const problems = [];
    if (!signup || !EMAIL.test(signup.email || '')) problems.push(`signup.email expected an email address, received ${JSON.stringify(signup && signup.email)}`);
    if (!signup || !signup.first_name) problems.push('signup.first_name is required');
    if (problems.length) return ctx.answer(422, { status: 'invalid', problems });
    ctx.call.rows = 1;
    const links = signUp(ctx, campaign_slug, { Email: signup.email, FirstName: signup.first_name, LastName: signup.last_name }, baseOf(ctx.req));
    return ctx.answer(200, links);
  }

  async function signupUpload(ctx) {
    const read = await readCsvUpload(ctx, SIGNUP_COLUMNS);
    if (!read) return;
    ctx.call.rows = read.rows.length;
    const slug = campaignOf(ctx, read.fields.campaign_slug);
    if (!slug) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(read.fields.campaign_slug || '')} in this market`] });
    const bad = read.rows.flatMap((row, i) => (EMAIL.test(row.Email || '') ? [] : [`row ${i + 1}: Email expected an email address, received ${JSON.stringify(row.Email || '')}`]));
    if (bad.length) return ctx.answer(422, { status: 'invalid', problems: bad });
    const id = randomUUID();
    state.jobs.set(id, { market: ctx.marketId, slug, rows: read.rows, pollsLeft: state.signupPolls, base: baseOf(ctx.req), invites: read.fields.send_auto_invite_emails == 'true' });
    const url = `${baseOf(ctx.req)}/api/signups/download/${id}`;
    return ctx.answer(303, { url }, { Location: url });
  }

  function signupDownload(ctx, id) {
    const job = id && state.jobs.get(id);
    if (!job || job.market != ctx.marketId) return ctx.answer(404, { status: 'not_found', problems: ['No signups download with this ID'] });
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

  // ---- Friend registrations ---------------------------------------------------------------

  function friendRows(ctx, rows) {
    const fields = ctx.fields;
    const slug = campaignOf(ctx, fields.campaign_slug);
    if (!slug) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(fields.campaign_slug || '')} in this market`] });
    const distribute = String(fields.distribute_friend_voucher) == 'true';
    const s = store();
    const problems = [];
    let created = 0;
    const vouchers = [];
    rows.forEach((row, i) => {
      const rowProblems = [];
      for (const h of FRIEND_COLUMNS.required) if (!row[h]) rowProblems.push(`${h} is required`);
      for (const h of ['ReferrerEmail', 'FriendEmail']) if (row[h] && !EMAIL.test(row[h])) rowProblems.push(`${h} expected an email address, received ${JSON.stringify(row[h])}`);
      for (const h of ['TermsOptIn', 'MarketingOptIn']) if (row[h] && !/^(true|false)$/.test(row[h])) rowProblems.push(`${h} expected true or false, received ${JSON.stringify(row[h])}`);
      if (rowProblems.length) return problems.push(where(ctx, i) + rowProblems.join('; '));
      const referrer = s.referrersByEmail.get(ctx.marketId + '\n' + row.ReferrerEmail.toLowerCase());
      if (!referrer) return problems.push(`${where(ctx, i)}Friend not registered: no referrer ${row.ReferrerEmail} in this market`);
      const email = row.FriendEmail.toLowerCase();
      if (state.friends.some((f) => f.market == ctx.marketId && f.email.toLowerCase() == email))
        return problems.push(`${where(ctx, i)}Friend not registered: ${row.FriendEmail} is already registered`);
      const voucher_code = distribute ? 'BPFRND' + randomBytes(5).toString('hex').toUpperCase() : null;
      state.friends.push({
        market: ctx.marketId,
        campaign: slug,
        referrer_code: referrer.code,
        referrer_email: referrer.email,
        email: row.FriendEmail,
        first_name: row.FriendFirstName,
        last_name: row.FriendLastName || '',
        terms_opt_in: row.TermsOptIn == 'true',
        marketing_opt_in: row.MarketingOptIn == 'true',
        voucher_code,
        registered_at: Date.now(),
      });
      if (voucher_code) vouchers.push(voucher_code);
      created++;
    });
    return finish(ctx, created, problems, ctx.batch ? {} : { voucher_code: vouchers[0] || null });
  }

  // ---- Subscriptions and forget --------------------------------------------------------------

  function knownEmail(marketId, email) {
    const key = marketId + '\n' + email.toLowerCase();
    return store().referrersByEmail.has(key) || state.friends.some((f) => f.market == marketId && f.email.toLowerCase() == email.toLowerCase());
  }

  function subscriptionRows(ctx, rows, subscribe) {
    const problems = [];
    let updated = 0;
    rows.forEach((row, i) => {
      const email = (row.Email || '').trim();
      if (!EMAIL.test(email)) return problems.push(`${where(ctx, i)}Email expected an email address, received ${JSON.stringify(email)}`);
      if (!knownEmail(ctx.marketId, email)) return problems.push(`${where(ctx, i)}No refer-a-friend user with email ${email}`);
      const key = ctx.marketId + '\n' + email.toLowerCase();
      if (subscribe) state.unsubscribed.delete(key);
      else state.unsubscribed.add(key);
      updated++;
    });
    return ctx.answer(200, { status: subscribe ? 'subscribed' : 'unsubscribed', updated, problems });
  }

  function forgetRows(ctx, rows) {
    const s = store();
    const problems = [];
    let updated = 0;
    rows.forEach((row, i) => {
      const email = (row.Email || '').trim().toLowerCase();
      if (!EMAIL.test(email)) return problems.push(`${where(ctx, i)}Email expected an email address, received ${JSON.stringify(row.Email || '')}`);
      if (!knownEmail(ctx.marketId, email)) return problems.push(`${where(ctx, i)}No refer-a-friend user with email ${row.Email}`);
      const referrer = s.referrersByEmail.get(ctx.marketId + '\n' + email);
      if (referrer) {
        s.referrersByEmail.delete(ctx.marketId + '\n' + email);
        Object.assign(referrer, { name: 'forgotten', first_name: 'forgotten', last_name: '', email: `forgotten-${referrer.code}@invalid`, client_data: undefined, forgotten: true });
      }
      for (const friend of state.friends) {
        if (friend.market == ctx.marketId && friend.email.toLowerCase() == email) Object.assign(friend, { email: 'forgotten@invalid', first_name: 'forgotten', last_name: '' });
      }
      for (const c of s.conversions) {
        if (c.market == ctx.marketId && String(c.fields.email_address || c.fields.customer_email || '').toLowerCase() == email) {
          c.fields = { ...c.fields, email_address: 'forgotten@invalid', customer_email: 'forgotten@invalid', full_name: 'forgotten' };
        }
      }
      state.forgotten.push({ market: ctx.marketId, at: Date.now() });
      updated++;
    });
    return ctx.answer(200, { status: 'forgotten', updated, problems });
  }

  // ---- Reports --------------------------------------------------------------------------------

  function report(ctx, type, slug) {
    const spec = REPORTS[type];
    if (!spec) return ctx.answer(404, { status: 'not_found', problems: [`No report type ${JSON.stringify(type)}; expected one of ${Object.keys(REPORTS).join(', ')}`] });
    if (!campaignOf(ctx, slug)) return ctx.answer(404, { status: 'not_found', problems: [`No campaign ${JSON.stringify(slug)} in this market`] });
    const q = ctx.url.searchParams;
    const now = Math.floor(Date.now() / 1000);
    const problems = [];
    const number = (name) => {
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
    const inRange = (seconds) => seconds >= starts && seconds < ends;
    const rows = reportRows(ctx.marketId, type, inRange);
    ctx.call.rows = rows.length - 1;
    return ctx.answer(200, stringify(rows), { 'Content-Type': 'text/csv; charset=utf-8' });
  }

  /** The report as CSV records, headings first. Times are UNIX seconds; windows are [starts_at, ends_at). */
  function reportRows(marketId, type, inRange) {
    const s = store();
    const seconds = (ms) => Math.floor(ms / 1000);
    const conversions = s.conversions.filter((c) => c.market == marketId && c.attribution && c.attribution.referrer);
    const converted = conversions.map((c) => ({ c, at: c.order_timestamp ?? seconds(c.received_at) })).filter(({ at }) => inRange(at));
    const friends = state.friends.filter((f) => f.market == marketId && inRange(seconds(f.registered_at)));
    switch (type) {
      case 'signups':
        return [
          ['Email', 'FirstName', 'LastName', 'ShareCode', 'SignedUpAt'],
          ...s.referrers.filter((r) => r.market == marketId && !r.forgotten && inRange(seconds(r.created_at))).map((r) => [r.email, r.first_name, r.last_name, r.code, seconds(r.created_at)]),
        ];
      case 'friends':
        return [
          ['ReferrerEmail', 'FriendEmail', 'FriendFirstName', 'FriendLastName', 'RegisteredAt'],
          ...friends.map((f) => [f.referrer_email, f.email, f.first_name, f.last_name, seconds(f.registered_at)]),
        ];
      case 'friend_voucher_distribution':
        return [['FriendEmail', 'VoucherCode', 'DistributedAt'], ...friends.filter((f) => f.voucher_code).map((f) => [f.email, f.voucher_code, seconds(f.registered_at)])];
      case 'all_vouchers_distribution': {
        const issued = [...s.vouchers.entries()].filter(([, v]) => v.market == marketId && inRange(seconds(v.issued_at || 0)));
        return [
          ['VoucherCode', 'Kind', 'ReferrerCode', 'DistributedAt'],
          ...issued.map(([code, v]) => [code, 'share_link', v.referrer, seconds(v.issued_at)]),
          ...friends.filter((f) => f.voucher_code).map((f) => [f.voucher_code, 'friend_registration', f.referrer_code, seconds(f.registered_at)]),
        ];
      }
      case 'who_referred_whom':
      case 'pending_referrals': {
        const pending = type == 'pending_referrals';
        return [
          ['ReferrerEmail', 'FriendEmail', 'OrderNumber', 'OrderValue', 'Status', 'OrderTimestamp'],
          ...converted
            .filter(({ c }) => !pending || (c.status || 'pending') == 'pending')
            .sort((a, b) => a.at - b.at)
            .map(({ c, at }) => [c.attribution.referrer.email, c.fields.email_address || c.fields.customer_email || '', c.fields.order_number, c.fields.order_value || '', c.status || 'pending', at]),
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

  return {
    handles,
    handle,
    reset: () => (state = emptyState()),
    /** API calls for the dashboard, newest first (no credentials are recorded). */
    calls: () => state.calls.slice().reverse(),
    /** Same as POST /__control/api, for in-process tests. */
    script: (answers) => (state.script = answers.slice()),
    snapshot: (marketId) =>
      structuredClone({
        calls: state.calls.filter((c) => !marketId || c.market == marketId),
        friends: state.friends.filter((f) => !marketId || f.market == marketId),
        unsubscribed: [...state.unsubscribed].filter((k) => !marketId || k.startsWith(marketId + '\n')).map((k) => k.split('\n')[1]),
      }),
  };
}

// ---- Helpers ------------------------------------------------------------------------------

const who = (r) => ({ code: r.code, name: r.name, email: r.email });

function fieldsOf(row, keys) {
  const fields = {};
  for (const [key, column] of Object.entries(keys)) if (row[column] !== undefined && row[column] !== '') fields[key] = row[column];
  const clientData = Object.entries(row).filter(([h]) => h.startsWith('ClientData_'));
  if (clientData.length) fields.client_data = Object.fromEntries(clientData.map(([h, v]) => [h.slice('ClientData_'.length), v]));
  return fields;
}

/** XLSX (a zip), XLS (OLE2) or a spreadsheet file name; undefined for anything else. */
function spreadsheetKind(bytes, name) {
  if (bytes[0] == 0x50 && bytes[1] == 0x4b && bytes[2] == 0x03 && bytes[3] == 0x04) return 'XLSX';
  if (bytes[0] == 0xd0 && bytes[1] == 0xcf && bytes[2] == 0x11 && bytes[3] == 0xe0) return 'XLS';
  if (/\.(xlsx?|ods|numbers)$/i.test(name)) return name.split('.').pop().toUpperCase();
  return undefined;
}

/** The first record's cells: the file's headings. */
function headingsOf(bytes) {
  const [first = []] = parse(Buffer.from(bytes), { to_line: 1, bom: true, relax_column_count: true });
  return first.map((h) => h.trim());
}

/** The body as a Buffer, or null when it is over `limit` bytes. */
function readBuffer(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const drain = (req) => readBuffer(req, 0).catch(() => null);

function parseJson(buffer) {
  if (!buffer) return { ok: false, error: 'The body is too large or empty; expected JSON' };
  try {
    return { ok: true, value: JSON.parse(buffer.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `The body is not JSON (${error.message})` };
  }
}

function send(res, status, body, headers = {}) {
  const raw = Buffer.isBuffer(body) || typeof body == 'string';
  res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(raw ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), ...headers });
  res.end(raw ? body : JSON.stringify(body));
}
