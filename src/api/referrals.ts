import { runBatch, type BatchOptions, type BatchResult, type Rows } from './batch';
import { checkWrapped } from './check';
import { RECONCILIATION_FIELDS, TRACKING_FIELDS } from './fields';
import { type ApiResult, type Transport } from './http';
import { csvForm } from './multipart';

/**
 * A conversion, exactly as the guide's tracking object. Every value goes out as a string; numbers,
 * booleans and a `Date` for `order_timestamp` are accepted and converted.
 */
export interface TrackingOrder {
  /** The referrer's email address. */
  referrer_email?: string;
  /** The code used at checkout. */
  voucher_code?: string;
  /** The customer's name as "FirstName, LastName". */
  full_name?: string;
  /** The customer's email address (required). */
  email_address: string;
  /** Whether the customer opted into marketing emails; default false. */
  marketing_opt_in?: 'true' | 'false' | boolean;
  /** `XX.YY`, no currency symbol (required). */
  order_value: string | number;
  /** Your unique identifier for this conversion (required). */
  order_number: string | number;
  /** UNIX seconds as a string, or a `Date` (required). */
  order_timestamp: string | number | Date;
  /** Reward category, for intelligent rewards. */
  reward_category?: string;
  /** Extra metadata: `{ membership_number: '662-56-3593' }` becomes a `ClientData_membership_number` column. */
  client_data?: Record<string, string | number | boolean>;
  /** The customer's locale, e.g. `en`. */
  locale?: string;
}

/** One of the guide's reconciliation statuses (`manual‑pass` with the guide's non-breaking hyphen is accepted too). */
export type ReconciliationStatus = 'confirmed' | 'failed' | 'manual-pass' | 'restore';

/** A referral to reconcile, exactly as the guide's reconciliation object. */
export interface ReconciliationOrder {
  /** The `order_number` the referral was tracked with. */
  order_number: string | number;
  /** The new status. */
  status: ReconciliationStatus;
  /** Reward category, for intelligent rewards. */
  reward_category?: string;
}

const TRACK_PATH = '/api/referrals/track';
const CONFIRMATIONS_PATH = '/api/referrals/confirmations';

/** Referral tracking and reconciliation: `api.referrals`. */
export class Referrals {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /**
   * Tracks one conversion (POST /api/referrals/track, JSON).
   *
   * @example
   * ```ts
   * const { created, problems } = await api.referrals.track({ order: {
   *   referrer_email: 'john@doe.com', email_address: 'jane@smith.com', order_value: '12.89',
   *   order_number: 'ORDER12345678', order_timestamp: '1321009871' } });
   * ```
   */
  async track(params: { order: TrackingOrder }): Promise<ApiResult> {
    const order = checkWrapped(params, 'order', TRACKING_FIELDS, 'string', 'The conversion');
    return this.transport.call({ method: 'POST', path: TRACK_PATH, json: { order } });
  }

  /** Tracks many conversions as CSV uploads (multipart `csv`), `rowsPerRequest` rows each. */
  trackBatch(orders: Rows<TrackingOrder>, options?: BatchOptions): Promise<BatchResult> {
    return runBatch({
      rows: orders,
      fields: TRACKING_FIELDS,
      options,
      send: (csv) => this.transport.call({ method: 'POST', path: TRACK_PATH, form: csvForm(csv) }),
    });
  }

  /** Reconciles one referral (POST /api/referrals/confirmations, JSON). */
  async reconcile(params: { order: ReconciliationOrder }): Promise<ApiResult> {
    const order = checkWrapped(params, 'order', RECONCILIATION_FIELDS, 'string', 'The reconciliation');
    return this.transport.call({ method: 'POST', path: CONFIRMATIONS_PATH, json: { order } });
  }

  /** Reconciles many referrals as CSV uploads (`OrderNumber,Status,RewardCategory`). */
  reconcileBatch(rows: Rows<ReconciliationOrder>, options?: BatchOptions): Promise<BatchResult> {
    return runBatch({
      rows,
      fields: RECONCILIATION_FIELDS,
      options,
      send: (csv) => this.transport.call({ method: 'POST', path: CONFIRMATIONS_PATH, form: csvForm(csv) }),
    });
  }
}
