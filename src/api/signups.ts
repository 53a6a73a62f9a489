import { parse } from 'csv-parse/sync';
import { retryAfterDelay } from '../core/retry';
import { runBatch, type BatchOptions, type Rows } from './batch';
import { checkWrapped } from './check';
import { BuyapowaApiError } from './errors';
import { checkFlag, checkSlug, SIGNUP_FIELDS } from './fields';
import { problemsIn, result, type ApiResult, type Transport } from './http';
import { csvForm } from './multipart';

/** A customer to sign up, exactly as the guide's `signup` object. */
export interface Signup {
  /** The customer's email address (required). */
  email: string;
  /** The customer's first name (required). */
  first_name: string;
  /** The customer's last name. */
  last_name?: string;
  /** The campaign's custom field: a membership ID, a phone number… (CSV column `CustomField`). */
  custom_field_value?: string;
  /** Extra metadata; each key becomes a `ClientData_<key>` column in batches. */
  client_data?: Record<string, string | number | boolean>;
  /** The customer's locale, e.g. `en`. */
  locale?: string;
}

/** The guide's single signup request. */
export interface SignupRequest {
  /** Your campaign slug. */
  campaign_slug: string;
  /** Send an invitation email if the user is new. */
  send_auto_invite_email?: boolean;
  /** The customer. */
  signup: Signup;
}

/** The guide's single signup response. */
export interface SignupLinks {
  /** The customer's unique share link. */
  share_url: string;
  /** The customer's link to their dashboard. */
  dashboard_url: string;
}

/** A row of the generated CSV: the uploaded columns plus `ShareURL` and `DashboardURL`. */
export type SignupRow = Record<string, string> & { ShareURL: string; DashboardURL: string };

/** Options of {@link Signups.createBatch}. */
export interface SignupBatchOptions extends BatchOptions {
  /** Your campaign slug (required). */
  campaign_slug: string;
  /** Send invitation emails to any new users. Default false. */
  send_auto_invite_emails?: boolean;
  /** Milliseconds between polls of the download URL while it answers 202, unless it sends `Retry-After`. Default 1000. */
  pollInterval?: number;
  /** Give up when the download still answers 202 after this many milliseconds. Default 600 000 (10 minutes). */
  pollTimeout?: number;
}

const SIGNUPS_PATH = '/api/signups';
const UPLOAD_PATH = '/api/signups/upload';
const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_POLL_TIMEOUT_MS = 600_000;

/** Referrer signups with share and dashboard links: `api.signups`. */
export class Signups {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /**
   * Signs one customer up (POST /api/signups) and returns their links.
   *
   * @example
   * ```ts
   * const { share_url, dashboard_url } = await api.signups.create({ campaign_slug: 'refer-a-friend',
   *   send_auto_invite_email: true, signup: { email: 'jane@smith.com', first_name: 'Jane', last_name: 'Smith' } });
   * ```
   */
  async create(params: SignupRequest): Promise<ApiResult<SignupLinks> & SignupLinks> {
    const problems: string[] = [];
    const request = (params ?? {}) as Partial<SignupRequest>;
    const campaign_slug = checkSlug(request.campaign_slug, 'campaign_slug', problems);
    const send_auto_invite_email = checkFlag(request.send_auto_invite_email, 'send_auto_invite_email', problems);
    const signup = checkWrapped(params, 'signup', SIGNUP_FIELDS, 'boolean', 'The signup', problems);
    const body: Record<string, unknown> = { campaign_slug };
    if (send_auto_invite_email !== undefined) body.send_auto_invite_email = send_auto_invite_email;
    body.signup = signup;
    const answer = await this.transport.call<SignupLinks>({ method: 'POST', path: SIGNUPS_PATH, json: body });
    const links = (answer.body && typeof answer.body === 'object' ? answer.body : {}) as Partial<SignupLinks>;
    return { ...answer, share_url: links.share_url ?? '', dashboard_url: links.dashboard_url ?? '' };
  }

  /**
   * Signs many customers up: uploads each chunk as CSV (POST /api/signups/upload), follows the
   * 303 to the download URL, polls it through 202 until 200, and returns the generated rows.
   */
  async createBatch(signups: Rows<Signup>, options: SignupBatchOptions): Promise<SignupRow[]> {
    const problems: string[] = [];
    const opts = (options ?? {}) as Partial<SignupBatchOptions>;
    const campaign_slug = checkSlug(opts.campaign_slug, 'options.campaign_slug', problems);
    const invites = checkFlag(opts.send_auto_invite_emails, 'options.send_auto_invite_emails', problems);
    if (problems.length) throw new BuyapowaApiError('invalid_request', `The signups were not sent: ${problems.join('; ')}`, { problems });
    const rows: SignupRow[] = [];
    const batch = await runBatch<SignupRow[]>({
      rows: signups,
      fields: SIGNUP_FIELDS,
      options,
      send: async (csv) => {
        const form = csvForm(csv, { campaign_slug, send_auto_invite_emails: String(invites ?? false) });
        const upload = await this.transport.send({ method: 'POST', path: UPLOAD_PATH, form, accept: [303] });
        if (upload.status !== 303) {
          // A 200 here is "understood, problems noted" (a missing required column): nothing to download.
          const problems = problemsIn(upload.body, true).map((p) => this.transport.redact(p));
          const detail = problems.length ? `: ${problems.join('; ')}` : '';
          throw new BuyapowaApiError(
            'unprocessable',
            `POST ${UPLOAD_PATH} answered ${upload.status} instead of 303, so there are no links to download${detail}`,
            { status: upload.status, problems },
          );
        }
        const url = downloadUrl(upload.headers.get('location'), upload.body, this.transport);
        const generated = await this.poll(url, opts);
        return result(200, [], generated);
      },
    });
    if (options?.dryRun) return [];
    for (const chunk of batch.chunks) rows.push(...chunk.body);
    return rows;
  }

  /** GETs the download URL until it stops answering 202. */
  private async poll(url: string, options: Partial<SignupBatchOptions>): Promise<SignupRow[]> {
    const interval = options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS;
    const deadline = Date.now() + (options.pollTimeout ?? DEFAULT_POLL_TIMEOUT_MS);
    for (;;) {
      const answer = await this.transport.send({ method: 'GET', path: '' }, url);
      if (answer.status === 200) {
        const text = typeof answer.body === 'string' ? answer.body : '';
        return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as SignupRow[];
      }
      if (Date.now() >= deadline) {
        throw new BuyapowaApiError(
          'server_error',
          `GET ${new URL(url).pathname} still answered 202 (links being generated) after ${options.pollTimeout ?? DEFAULT_POLL_TIMEOUT_MS} ms`,
          { status: 202 },
        );
      }
      // Retry-After (seconds or a date) when it says, never past the deadline; else the interval.
      const asked = retryAfterDelay(answer.headers.get('retry-after'), { maxRetryAfter: deadline - Date.now() });
      await new Promise((resolve) => setTimeout(resolve, asked || interval));
    }
  }
}

/** The download URL from the 303: the `Location` header, else the body's `url`, on the API's origin. */
function downloadUrl(location: string | null, body: unknown, transport: Transport): string {
  const fromBody = body && typeof body === 'object' ? (body as { url?: unknown }).url : undefined;
  const raw = location ?? (typeof fromBody === 'string' ? fromBody : undefined);
  if (!raw)
    throw new BuyapowaApiError('server_error', 'POST /api/signups/upload answered 303 without a download URL (no Location header, no "url" in the body)', {
      status: 303,
      body,
    });
  const url = new URL(raw, transport.options.baseUrl);
  // The guide's example URL is http://; keep the path but stay on the configured origin (and its https).
  const base = new URL(transport.options.baseUrl);
  if (url.hostname === base.hostname) return new URL(url.pathname + url.search, base).toString();
  return url.toString();
}
