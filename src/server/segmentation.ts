// The guide's "Segmentation API": the two endpoints Buyapowa's servers call on yours.
import { BuyapowaError, problem } from '../core/errors';
import { basicAuthMatches, checkBasicAuth, json, unauthorized, type BasicAuth } from './http-auth';
import { loggerOption, type Logger } from './log';

/** Options of {@link createSegmentationHandler}. */
export interface SegmentationOptions {
  /** The HTTP Basic credentials you give Buyapowa. Required: the guide says Buyapowa only calls authenticated APIs. */
  auth: BasicAuth;
  /**
   * Customer segmentation: may this customer sign up? Called with the query parameters, e.g.
   * `{ membership_number: 'ABCD' }` (your campaign's custom field). `true` answers 200 (allowed),
   * `false` 404 (not allowed).
   */
  customer?: (query: Record<string, string>) => boolean | Promise<boolean>;
  /**
   * Friend segmentation: does this person already exist (so they are NOT eligible for the friend
   * incentive)? Called with the `email` query parameter. `true` answers 200 (exists, not
   * eligible), `false` 404 (eligible).
   */
  friend?: (email: string) => boolean | Promise<boolean>;
  /** Where the handler logs a check that threw or is missing. Default `console`. */
  logger?: Logger;
}

const REALM = 'Buyapowa segmentation';

/**
 * The endpoints Buyapowa calls to segment sign-ups (guide, "Segmentation API"), as one fetch
 * handler: `GET ?email=…` is the friend check, any other `GET ?<custom field>=…` the customer
 * check. Every request must carry your HTTP Basic credentials (compared in constant time);
 * otherwise 401 with `WWW-Authenticate`. A method other than GET answers 405, a request without
 * a query 400, a check that throws 500 (Buyapowa sees a failure, never a wrong answer).
 *
 * @param options - `auth` (required) and at least one of `customer`, `friend`.
 * @returns `(request: Request) => Promise<Response>`; stateless.
 * @throws {@link BuyapowaError} `invalid_config` when `auth` is incomplete or neither check is given.
 * @example
 * ```ts
 * import { createSegmentationHandler, toNodeListener } from 'buyapowa-sdk/server';
 * const segmentation = createSegmentationHandler({
 *   auth: { username: 'buyapowa', password: process.env.SEGMENTATION_PASSWORD! },
 *   customer: async ({ membership_number }) => members.has(membership_number),
 *   friend: async (email) => customers.exists(email),
 * });
 * http.createServer(toNodeListener(segmentation)).listen(8080);
 * ```
 */
export function createSegmentationHandler(options: SegmentationOptions): (request: Request) => Promise<Response> {
  const where = 'createSegmentationHandler';
  const o = (options || {}) as SegmentationOptions;
  const problems: string[] = [];
  let auth: BasicAuth | undefined;
  try {
    auth = checkBasicAuth(o.auth, where);
  } catch (error) {
    problems.push(...(error as BuyapowaError).problems);
  }
  for (const key of ['customer', 'friend'] as const)
    if (o[key] !== undefined && typeof o[key] !== 'function') problems.push(`${where}: ` + problem(key, 'a function', o[key]));
  if (!o.customer && !o.friend) problems.push(`${where}: "customer" or "friend" expected a function (the check Buyapowa calls), received neither`);
  const logger = loggerOption(o.logger, where, problems);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);

  return async (request) => {
    if (!(await basicAuthMatches(request, auth!))) return unauthorized(REALM);
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { status: 'method_not_allowed' }, { allow: 'GET' });
    const query: Record<string, string> = {};
    for (const [key, value] of new URL(request.url).searchParams) query[key] = value;
    const isFriend = 'email' in query && Object.keys(query).length === 1;
    if (!Object.keys(query).length)
      return json(400, { status: 'invalid', errors: ['"query" expected ?email=… (friend) or ?<custom field>=… (customer), received none'] });
    const check = isFriend ? o.friend : o.customer;
    if (!check) {
      logger.error(
        `[Buyapowa] ${where}: a ${isFriend ? 'friend' : 'customer'} segmentation request arrived, but no "${isFriend ? 'friend' : 'customer'}" check is configured; answering 501`,
      );
      return json(501, { status: 'not_configured' });
    }
    try {
      const found = !!(isFriend ? await o.friend!(query.email) : await o.customer!(query));
      return json(found ? 200 : 404, { status: found ? (isFriend ? 'exists' : 'allowed') : isFriend ? 'eligible' : 'not_allowed' });
    } catch (error) {
      logger.error(`[Buyapowa] ${where}: the ${isFriend ? 'friend' : 'customer'} check threw; answering 500`, error);
      return json(500, { status: 'error' });
    }
  };
}
