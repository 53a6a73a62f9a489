import { runBatch, type BatchOptions, type BatchResult, type Rows } from './batch';
import { checkWrapped } from './check';
import { BuyapowaApiError } from './errors';
import { checkFlag, checkSlug, REGISTRATION_FIELDS } from './fields';
import { type ApiResult, type Transport } from './http';
import { csvForm } from './multipart';

/** A friend to register, exactly as the guide's `registration` object. */
export interface Registration {
  /** The referrer who led the friend to you (required). */
  referrer_email: string;
  /** The friend's email address (required). */
  friend_email: string;
  /** The friend's first name (required). */
  friend_first_name: string;
  /** The friend's last name. */
  friend_last_name?: string;
  /** The campaign's custom field. */
  custom_field_value?: string;
  /** Extra metadata; each key becomes a `ClientData_<key>` column in batches. */
  client_data?: Record<string, string | number | boolean>;
  /** Terms accepted; default false. */
  terms_opt_in?: boolean;
  /** Marketing opt-in; default false. */
  marketing_opt_in?: boolean;
  /** The friend's locale, e.g. `en`. */
  locale?: string;
}

/** The guide's single registration request. */
export interface RegistrationRequest {
  /** Your campaign slug. */
  campaign_slug: string;
  /** Send the friend a voucher; default false. */
  distribute_friend_voucher?: boolean;
  /** The friend. */
  registration: Registration;
}

/** Options of {@link Friends.registerBatch}. */
export interface RegistrationBatchOptions extends BatchOptions {
  /** Your campaign slug (required). */
  campaign_slug: string;
  /** Send each friend a voucher; default false. */
  distribute_friend_voucher?: boolean;
}

const REGISTRATIONS_PATH = '/api/friends/registrations';

/** Friend registrations: `api.friends`. */
export class Friends {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /**
   * Registers one friend (POST /api/friends/registrations, JSON).
   *
   * @example
   * ```ts
   * await api.friends.register({ campaign_slug: 'refer-a-friend', distribute_friend_voucher: true,
   *   registration: { referrer_email: 'john@doe.com', friend_email: 'jane@smith.com', friend_first_name: 'Jane' } });
   * ```
   */
  async register(params: RegistrationRequest): Promise<ApiResult> {
    const problems: string[] = [];
    const request = (params ?? {}) as Partial<RegistrationRequest>;
    const campaign_slug = checkSlug(request.campaign_slug, 'campaign_slug', problems);
    const voucher = checkFlag(request.distribute_friend_voucher, 'distribute_friend_voucher', problems);
    const registration = checkWrapped(params, 'registration', REGISTRATION_FIELDS, 'boolean', 'The registration', problems);
    const body: Record<string, unknown> = { campaign_slug };
    if (voucher !== undefined) body.distribute_friend_voucher = voucher;
    body.registration = registration;
    return this.transport.call({ method: 'POST', path: REGISTRATIONS_PATH, json: body });
  }

  /** Registers many friends as CSV uploads with `campaign_slug` and `distribute_friend_voucher` fields. */
  async registerBatch(registrations: Rows<Registration>, options: RegistrationBatchOptions): Promise<BatchResult> {
    const problems: string[] = [];
    const opts = (options ?? {}) as Partial<RegistrationBatchOptions>;
    const campaign_slug = checkSlug(opts.campaign_slug, 'options.campaign_slug', problems);
    const voucher = checkFlag(opts.distribute_friend_voucher, 'options.distribute_friend_voucher', problems);
    if (problems.length) throw new BuyapowaApiError('invalid_request', `The registrations were not sent: ${problems.join('; ')}`, { problems });
    return runBatch({
      rows: registrations,
      fields: REGISTRATION_FIELDS,
      options,
      send: (csv) =>
        this.transport.call({
          method: 'POST',
          path: REGISTRATIONS_PATH,
          form: csvForm(csv, { campaign_slug, distribute_friend_voucher: String(voucher ?? false) }),
        }),
    });
  }
}
