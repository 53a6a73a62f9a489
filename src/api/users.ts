import { runBatch, type BatchOptions, type BatchResult, type Rows } from './batch';
import { checkWrapped } from './check';
import { USER_FIELDS } from './fields';
import { type ApiResult, type Transport } from './http';
import { csvForm } from './multipart';

/** The guide's `user` object. */
export interface ApiUser {
  /** The user's email address. */
  email: string;
}

/** A batch row for the email-only APIs: an email string or `{ email }`. */
export type EmailRow = string | ApiUser;

const asUser = (row: unknown) => (typeof row === 'string' ? { email: row } : row);

/** Posts `{ user }` as JSON, or email rows as an `Email` CSV, to one path. @internal */
export class EmailEndpoint {
  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    private readonly what: string,
  ) {}

  async single(params: { user: ApiUser }): Promise<ApiResult> {
    const user = checkWrapped(params, 'user', USER_FIELDS, 'string', this.what);
    return this.transport.call({ method: 'POST', path: this.path, json: { user } });
  }

  batch(emails: Rows<EmailRow>, options?: BatchOptions): Promise<BatchResult> {
    return runBatch({
      rows: emails,
      fields: USER_FIELDS,
      toObject: asUser,
      options,
      send: (csv) => this.transport.call({ method: 'POST', path: this.path, form: csvForm(csv) }),
    });
  }
}

/** Operational-email subscriptions: `api.subscriptions`. */
export class Subscriptions {
  private readonly subscribeEndpoint: EmailEndpoint;
  private readonly unsubscribeEndpoint: EmailEndpoint;

  /** @internal */
  constructor(transport: Transport) {
    this.subscribeEndpoint = new EmailEndpoint(transport, '/api/subscriptions/subscribe', 'The subscription');
    this.unsubscribeEndpoint = new EmailEndpoint(transport, '/api/subscriptions/unsubscribe', 'The unsubscription');
  }

  /** Re-subscribes one user to the refer-a-friend emails. @example `await api.subscriptions.subscribe({ user: { email: 'john@doe.com' } })` */
  subscribe(params: { user: ApiUser }): Promise<ApiResult> {
    return this.subscribeEndpoint.single(params);
  }

  /** Unsubscribes one user. @example `await api.subscriptions.unsubscribe({ user: { email: 'john@doe.com' } })` */
  unsubscribe(params: { user: ApiUser }): Promise<ApiResult> {
    return this.unsubscribeEndpoint.single(params);
  }

  /** Re-subscribes many users (emails or `{ email }` rows) as `Email` CSV uploads. */
  subscribeBatch(emails: Rows<EmailRow>, options?: BatchOptions): Promise<BatchResult> {
    return this.subscribeEndpoint.batch(emails, options);
  }

  /** Unsubscribes many users as `Email` CSV uploads. */
  unsubscribeBatch(emails: Rows<EmailRow>, options?: BatchOptions): Promise<BatchResult> {
    return this.unsubscribeEndpoint.batch(emails, options);
  }
}

/** Right to be forgotten: `api.users`. */
export class Users {
  private readonly endpoint: EmailEndpoint;

  /** @internal */
  constructor(transport: Transport) {
    this.endpoint = new EmailEndpoint(transport, '/api/users/forget', 'The forget request');
  }

  /** Erases one user's personal data. @example `await api.users.forget({ user: { email: 'john@doe.com' } })` */
  forget(params: { user: ApiUser }): Promise<ApiResult> {
    return this.endpoint.single(params);
  }

  /** Erases many users' data, as `Email` CSV uploads. */
  forgetBatch(emails: Rows<EmailRow>, options?: BatchOptions): Promise<BatchResult> {
    return this.endpoint.batch(emails, options);
  }
}
