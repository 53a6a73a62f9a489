import { parse } from 'csv-parse/sync';
import { BuyapowaApiError } from './errors';
import { checkSlug, toUnixSeconds } from './fields';
import { type Transport } from './http';
import { parseCsvStream } from './csv-stream';

const DAY_SECONDS = 86_400;
/** Longest range per request, in seconds, for each of the guide's report types. */
export const REPORT_MAX_RANGE_SECONDS = {
  signups: 365 * DAY_SECONDS,
  friend_voucher_distribution: 90 * DAY_SECONDS,
  friends: 90 * DAY_SECONDS,
  pending_referrals: 90 * DAY_SECONDS,
  who_referred_whom: 90 * DAY_SECONDS,
  top_referrers: 365 * DAY_SECONDS,
  all_vouchers_distribution: 365 * DAY_SECONDS,
} as const;

/** The guide's seven report types. */
export type ReportType = keyof typeof REPORT_MAX_RANGE_SECONDS;

/** A report row, keyed by the CSV header. */
export type ReportRow = Record<string, string>;

/** Time range of a report: UNIX seconds or `Date`s. Omit both for the report's default range. */
export interface ReportRange {
  /** Start (UNIX seconds or a `Date`). */
  starts_at?: number | string | Date;
  /** End (UNIX seconds or a `Date`); default now when `starts_at` is given. */
  ends_at?: number | string | Date;
}

/** One request's time window, in UNIX seconds. */
export interface ReportWindow {
  starts_at: number;
  ends_at: number;
}

/** Campaign reports as CSV: `api.reports`. */
export class Reports {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /**
   * Downloads a report and returns its rows, keyed by the CSV header. A range longer than the
   * report's maximum (90 days or 1 year) is split into consecutive windows, rows concatenated in order.
   *
   * @example
   * ```ts
   * const rows = await api.reports.get('who_referred_whom', 'refer-a-friend', { starts_at: 1503749083, ends_at: 1506427494 });
   * ```
   */
  async get(report_type: ReportType, campaign_slug: string, range: ReportRange = {}): Promise<ReportRow[]> {
    const rows: ReportRow[] = [];
    for (const window of reportWindows(report_type, campaign_slug, range)) {
      const { body } = await this.transport.send(this.spec(report_type, campaign_slug, window));
      rows.push(...(parse(typeof body === 'string' ? body : '', { columns: true, skip_empty_lines: true, bom: true }) as ReportRow[]));
    }
    return rows;
  }

  /**
   * Streams a report's rows as they arrive, one window at a time, without holding the whole CSV.
   *
   * @example
   * ```ts
   * for await (const row of api.reports.stream('signups', 'refer-a-friend', { starts_at: new Date('2025-01-01') })) console.log(row.Email);
   * ```
   */
  async *stream(report_type: ReportType, campaign_slug: string, range: ReportRange = {}): AsyncGenerator<ReportRow> {
    for (const window of reportWindows(report_type, campaign_slug, range)) {
      const { response } = await this.transport.send({ ...this.spec(report_type, campaign_slug, window), stream: true });
      if (response.body) yield* parseCsvStream(response.body);
    }
  }

  private spec(type: string, slug: string, window: ReportWindow | undefined) {
    const query = window ? { starts_at: String(window.starts_at), ends_at: String(window.ends_at) } : undefined;
    return { method: 'GET' as const, path: `/api/reports/${encodeURIComponent(type)}/${encodeURIComponent(slug)}`, query };
  }
}

/**
 * Checks a report request and splits its range into windows no longer than the report's maximum:
 * `[starts_at, ends_at)` back to back. `[undefined]` means "the report's default range".
 * @internal
 */
export function reportWindows(type: unknown, slug: unknown, range: ReportRange, now = Date.now()): (ReportWindow | undefined)[] {
  const problems: string[] = [];
  const max = REPORT_MAX_RANGE_SECONDS[type as ReportType];
  if (!max) problems.push(`"report_type" expected one of ${Object.keys(REPORT_MAX_RANGE_SECONDS).join(', ')}, received ${JSON.stringify(type)}`);
  checkSlug(slug, 'campaign_slug', problems);
  const { starts_at, ends_at } = range ?? {};
  const start = starts_at === undefined ? undefined : toUnixSeconds(starts_at);
  // Windows are [starts_at, ends_at): "now" ends after the current second, so it is included.
  const end = ends_at === undefined ? Math.floor(now / 1000) + 1 : toUnixSeconds(ends_at);
  if (starts_at !== undefined && start === undefined) problems.push(`"starts_at" expected UNIX seconds or a Date, received ${JSON.stringify(starts_at)}`);
  if (ends_at !== undefined && end === undefined) problems.push(`"ends_at" expected UNIX seconds or a Date, received ${JSON.stringify(ends_at)}`);
  if (starts_at === undefined && ends_at !== undefined)
    problems.push('"starts_at" expected UNIX seconds or a Date when "ends_at" is given, received undefined');
  if (start !== undefined && end !== undefined && start >= end) problems.push(`"ends_at" expected a time after starts_at (${start}), received ${end}`);
  if (problems.length) throw new BuyapowaApiError('invalid_request', `The report was not requested: ${problems.join('; ')}`, { problems });
  if (start === undefined) return [undefined];
  const windows: ReportWindow[] = [];
  for (let from = start; from < end!; from += max) windows.push({ starts_at: from, ends_at: Math.min(from + max, end!) });
  return windows;
}
